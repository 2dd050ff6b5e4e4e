package dev.kiln.compiler.translate;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.wasm.code.InstructionReader;
import dev.kiln.wasm.code.Opcode;
import dev.kiln.wasm.module.FunctionBody;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Which reference locals each safepoint of one function body must spill: those live after it, read
 * on some path from it before any write ({@link SafepointSpills}). A backward liveness pass over the
 * body's control-flow graph, built from the wasm instructions before translation, so the answer does
 * not depend on the SSA builder's values (a local's value at an unsealed loop header is not final
 * while the loop is translated; deciding from it left a stale root, issue 39).
 *
 * <p>The graph has every edge the translated IR has, and possibly more (more is safe: a local
 * wrongly live costs a spill; a local wrongly dead would leave the old address of a moved object in
 * its variable). A node is a run of instructions control enters only at its start; it ends at each
 * branch ({@code br}, {@code br_if}, {@code br_table}, the {@code br_on_*} forms: edges to the
 * labels, spec 4.4.8), at each structured boundary ({@code block}/{@code if}/{@code else}/{@code end}, a
 * {@code loop}'s header, which branches to the loop's label reach: the back edges), and after each
 * instruction that may throw (the calls, {@code throw}, {@code throw_ref}, {@code rethrow}), which
 * also gets an edge to the innermost handler in scope, a landing node with edges to its catch targets
 * (a {@code try_table}'s catch labels, a legacy {@code try}'s clauses) and to the next handler out
 * (an exception the inner handler does not match goes on outward, and {@code delegate} names an
 * enclosing handler): one edge per call however deep the handlers nest. After {@code return}, {@code unreachable}, the tail calls and
 * the throws, the code to the frame's end starts a node nothing reaches.
 *
 * <p>Cost: the nodes and events are linear in the body. A local enters a set only where it is live
 * (a local never read is in none), so the sets hold the locals' live ranges; a safepoint's answer
 * is the list of spills it gets, shared with the safepoint before it in its node when no local
 * changed between them. Those lists total the spills, N x M for N locals live across M safepoints;
 * past the function's {@link SpillBudget} they are dropped and the function's references made
 * frame-resident, so neither this class nor the code it leads to grows as N x M.
 */
final class ReferenceLiveness {
  private static final int READ = 0;
  private static final int WRITE = 1;
  private static final int SAFEPOINT = 2;

  private static final int[] NONE = new int[0];

  /**
   * The answer for a body without reference locals: nothing to spill at any safepoint and nothing
   * frame-resident, known without walking the body (most of a C or C++ program's functions: the
   * walk decoded every body a second time for nothing).
   */
  private static final ReferenceLiveness NO_REFERENCE_LOCALS = new ReferenceLiveness(null, null, NONE);

  /**
   * The body offsets of the safepoint instructions, in body order, and each one's answer; null for
   * {@link #NO_REFERENCE_LOCALS}, which answers none at every safepoint.
   */
  private final int[] safepointOffsets;
  /** Each safepoint's answer; null when the spills would pass the function's {@link SpillBudget}. */
  private final int[][] liveAfter;
  /** The locals live after some safepoint, ascending. */
  private final int[] liveAtSomeSafepoint;

  private ReferenceLiveness(int[] safepointOffsets, int[][] liveAfter, int[] liveAtSomeSafepoint) {
    this.safepointOffsets = safepointOffsets;
    this.liveAfter = liveAfter;
    this.liveAtSomeSafepoint = liveAtSomeSafepoint;
  }

  /**
   * The reference locals (by local index, ascending) a frame-resident translation keeps in frame
   * slots for its whole run ({@link SafepointSpills}): every local live after some safepoint.
   */
  int[] frameResidentLocals() {
    return liveAtSomeSafepoint.clone();
  }

  /**
   * Whether spilling the locals alone at each safepoint would pass the function's {@link
   * SpillBudget}: then the function is frame-resident from the start, and {@link
   * #referenceLocalsLiveAfter} has no answers.
   */
  boolean passesBudget() {
    return safepointOffsets != null && liveAfter == null;
  }

  /**
   * Whether {@code op} may reach a collection: a call of a function, or an allocation in the GC heap
   * (its slow path calls the collector, {@link GcObjects}). Each is a safepoint this class answers for.
   */
  static boolean isSafepoint(Opcode op) {
    return switch (op) {
      case CALL, CALL_INDIRECT, CALL_REF, THROW, STRUCT_NEW, STRUCT_NEW_DEFAULT, ARRAY_NEW, ARRAY_NEW_DEFAULT,
          ARRAY_NEW_FIXED, ARRAY_NEW_DATA, ARRAY_NEW_ELEM -> true;
      default -> false;
    };
  }

  /**
   * The reference locals (by local index, parameters first, ascending) live after the safepoint
   * instruction at body offset {@code instructionStart}: read on some path from it before a write.
   * Only asked when the spills are within the budget ({@link #passesBudget}).
   */
  int[] referenceLocalsLiveAfter(int instructionStart) {
    if (safepointOffsets == null) {
      return NONE;
    }
    int i = Arrays.binarySearch(safepointOffsets, instructionStart);
    if (i < 0) {
      throw new IllegalStateException("no liveness for the instruction at offset " + instructionStart
          + ": ReferenceLiveness.isSafepoint and the translator's safepoints disagree");
    }
    return liveAfter[i];
  }

  /** The liveness of {@code body}'s locals flagged in {@code referenceLocals}, at each of its safepoints. */
  static ReferenceLiveness of(FunctionBody body, boolean[] referenceLocals) {
    boolean any = false;
    for (boolean reference : referenceLocals) {
      any |= reference;
    }
    if (!any) {
      return NO_REFERENCE_LOCALS;
    }
    int bodyBytes = body.codeEnd() - body.codeStart();
    return new Graph(body, referenceLocals).solve(SpillBudget.limitFor(bodyBytes), bodyBytes);
  }

  /**
   * The words of live sets (one bit per reference local per node of the graph) a function may
   * solve for, per byte of its body, and at least {@link #MIN_SET_WORDS}; past them its locals are
   * frame-resident without a solution ({@link Graph#solve}). Declaring a reference local costs a
   * byte and each call adds a node, so the sets grow as locals x calls, quadratic in the body (a
   * 500 KB body of 50,000 locals and 125,000 calls would need 780 MB); real functions need a small
   * part of this.
   */
  static final int SET_WORDS_PER_BODY_BYTE = 4;

  /** {@link #SET_WORDS_PER_BODY_BYTE}'s floor: 8 MB of sets. */
  static final int MIN_SET_WORDS = 1 << 20;

  /** The body's control-flow graph, built in one forward walk over its instructions. */
  private static final class Graph {
    /**
     * Per local, its number among the reference locals (ascending with the local index), or -1:
     * the sets are indexed by it, so their length follows the reference locals, not the local
     * index (red team 30 F1: one anyref local after 2^20 i32s made every node's sets 128 KB for one
     * bit, and a 20 KB module filled a 1 GB heap).
     */
    private final int[] referenceNumber;
    /** The local of each reference number. */
    private final int[] localOf;
    /** All nodes' events, each node's contiguous (a node is current once, from its start to its end). */
    private int[] events = new int[64];
    private int eventCount;
    private int[] eventStart = new int[64];
    private int[] eventEnd = new int[64];
    private int nodeCount;
    /** Edges as (from, to) pairs. */
    private int[] edges = new int[128];
    private int edgeCount;
    private final List<Integer> safepointOffsets = new ArrayList<>();
    private int current;

    /** A frame's label: where a branch to it goes, and what its end needs. */
    private record Frame(Opcode kind, int label, int elseNode, int landing) {}

    private final List<Frame> frames = new ArrayList<>();
    /**
     * The handlers in scope, innermost last, as landing nodes whose edges go to the handler's catch
     * targets and to the landing around it.
     */
    private final List<Integer> landings = new ArrayList<>();

    Graph(FunctionBody body, boolean[] referenceLocals) {
      referenceNumber = new int[referenceLocals.length];
      int references = 0;
      for (int local = 0; local < referenceLocals.length; local++) {
        referenceNumber[local] = referenceLocals[local] ? references++ : -1;
      }
      localOf = new int[references];
      for (int local = 0; local < referenceLocals.length; local++) {
        if (referenceLocals[local]) {
          localOf[referenceNumber[local]] = local;
        }
      }
      current = newNode();
      startNode(current);
      frames.add(new Frame(Opcode.BLOCK, newNode(), -1, -1)); // the function's label: its exit
      InstructionReader reader = new InstructionReader(body.source(), body.codeStart(), body.codeEnd());
      int operators = 0;
      while (!frames.isEmpty()) {
        if ((++operators & 0xFF) == 0) {
          CompileDeadline.poll();
        }
        walk(reader.next(), reader);
      }
    }

    private void walk(Opcode op, InstructionReader reader) {
      if (isSafepoint(op)) {
        event(safepointOffsets.size(), SAFEPOINT);
        safepointOffsets.add(reader.instructionStart());
      }
      switch (op) {
        case LOCAL_GET -> local(reader.index(), READ);
        case LOCAL_SET, LOCAL_TEE -> local(reader.index(), WRITE);
        case BLOCK -> frames.add(new Frame(op, newNode(), -1, -1));
        case LOOP -> {
          int header = newNode();
          edge(current, header);
          switchTo(header);
          frames.add(new Frame(op, header, -1, -1));
        }
        case IF -> {
          int then = newNode();
          int otherwise = newNode();
          edge(current, then);
          edge(current, otherwise);
          frames.add(new Frame(op, newNode(), otherwise, -1));
          switchTo(then);
        }
        case ELSE -> {
          Frame f = frames.removeLast();
          edge(current, f.label());
          frames.add(new Frame(op, f.label(), -1, -1)); // the else arm: no false edge left to add at the end
          switchTo(f.elseNode());
        }
        case TRY_TABLE -> {
          int landing = newLanding();
          for (int i = 0; i < reader.catchCount(); i++) {
            edge(landing, label(reader.catchLabel(i))); // a label around the try_table: its own is not in scope yet
          }
          frames.add(new Frame(op, newNode(), -1, landing));
          landings.add(landing);
        }
        case TRY -> {
          int landing = newLanding();
          frames.add(new Frame(op, newNode(), -1, landing));
          landings.add(landing);
        }
        case CATCH, CATCH_ALL -> {
          Frame f = frames.getLast();
          edge(current, f.label());
          leaveScope(f); // the clauses run outside their try's scope
          int clause = newNode();
          edge(f.landing(), clause);
          switchTo(clause);
        }
        case END, DELEGATE -> end();
        case BR -> {
          edge(current, label(reader.index()));
          switchTo(newNode());
        }
        case BR_IF, BR_ON_NULL, BR_ON_NON_NULL, BR_ON_CAST, BR_ON_CAST_FAIL -> {
          edge(current, label(reader.index()));
          fallThrough();
        }
        case BR_TABLE -> {
          for (int i = 0; i < reader.brTableCount(); i++) {
            edge(current, label(reader.brTableTarget(i)));
          }
          edge(current, label(reader.brTableDefault()));
          switchTo(newNode());
        }
        case CALL, CALL_INDIRECT, CALL_REF -> {
          unwindEdges();
          fallThrough();
        }
        case THROW, THROW_REF, RETHROW -> {
          unwindEdges();
          switchTo(newNode());
        }
        case RETURN, UNREACHABLE, RETURN_CALL, RETURN_CALL_INDIRECT, RETURN_CALL_REF -> switchTo(newNode());
        default -> {}
      }
    }

    private void end() {
      Frame f = frames.removeLast();
      leaveScope(f);
      if (f.kind() == Opcode.LOOP) {
        fallThrough();
        return;
      }
      if (f.kind() == Opcode.IF) {
        edge(f.elseNode(), f.label()); // no else: the false edge goes to the end
      }
      edge(current, f.label());
      switchTo(f.label());
    }

    private int label(int depth) {
      return frames.get(frames.size() - 1 - depth).label();
    }

    /**
     * A handler's landing node, with an edge to the landing of the handler around it: an exception
     * its clauses do not catch goes on outward, and a {@code delegate} names one further out.
     */
    private int newLanding() {
      int landing = newNode();
      if (!landings.isEmpty()) {
        edge(landing, landings.getLast());
      }
      return landing;
    }

    /** {@code f}'s handler, when it is the innermost in scope still, leaves the scope. */
    private void leaveScope(Frame f) {
      if (!landings.isEmpty() && landings.getLast() == f.landing()) {
        landings.removeLast();
      }
    }

    /** An edge to the innermost handler's landing, from which the outer ones are reached. */
    private void unwindEdges() {
      if (!landings.isEmpty()) {
        edge(current, landings.getLast());
      }
    }

    private void fallThrough() {
      int next = newNode();
      edge(current, next);
      switchTo(next);
    }

    private void local(int index, int kind) {
      int reference = referenceNumber[index];
      if (reference >= 0) {
        event(reference, kind);
      }
    }

    private void event(int payload, int kind) {
      if (eventCount == events.length) {
        events = Arrays.copyOf(events, eventCount * 2);
      }
      events[eventCount++] = payload << 2 | kind;
    }

    private int newNode() {
      if (nodeCount == eventStart.length) {
        eventStart = Arrays.copyOf(eventStart, nodeCount * 2);
        eventEnd = Arrays.copyOf(eventEnd, nodeCount * 2);
      }
      return nodeCount++;
    }

    private void startNode(int node) {
      eventStart[node] = eventCount;
      eventEnd[node] = eventCount;
    }

    private void switchTo(int node) {
      eventEnd[current] = eventCount;
      current = node;
      startNode(node);
    }

    private void edge(int from, int to) {
      if (edgeCount + 2 > edges.length) {
        edges = Arrays.copyOf(edges, edges.length * 2);
      }
      edges[edgeCount++] = from;
      edges[edgeCount++] = to;
    }

    /**
     * Iterates live-in = reads before writes | (live-out minus writes) to its fixed point, over a
     * worklist of nodes whose successors changed; then walks each node with safepoints backward
     * from its live-out to take each one's set, counting the spills; past {@code budget} the sets
     * are no longer kept (they would take N x M memory). The union of the sets is kept either way:
     * the locals a frame-resident translation keeps in slots. When the sets themselves would pass
     * {@link #SET_WORDS_PER_BODY_BYTE}, nothing is solved: every reference local the body reads is
     * frame-resident (more than the union, never less).
     */
    ReferenceLiveness solve(long budget, int bodyBytes) {
      eventEnd[current] = eventCount;
      int[] offsets = safepointOffsets.stream().mapToInt(Integer::intValue).toArray();
      long setWords = (long) nodeCount * ((localOf.length + 63) / 64);
      if (setWords > Math.max(MIN_SET_WORDS, (long) SET_WORDS_PER_BODY_BYTE * bodyBytes)) {
        BitSet read = new BitSet(localOf.length);
        for (int e = 0; e < eventCount; e++) {
          if ((events[e] & 3) == READ) {
            read.set(events[e] >>> 2);
          }
        }
        return new ReferenceLiveness(offsets, null, locals(read));
      }
      int[][] successors = adjacency(true);
      int[][] predecessors = adjacency(false);
      BitSet[] gen = new BitSet[nodeCount];
      BitSet[] kill = new BitSet[nodeCount];
      for (int n = 0; n < nodeCount; n++) {
        gen[n] = new BitSet();
        kill[n] = new BitSet();
        for (int e = eventEnd[n] - 1; e >= eventStart[n]; e--) {
          int local = events[e] >>> 2;
          switch (events[e] & 3) {
            case READ -> {
              gen[n].set(local);
              kill[n].clear(local);
            }
            case WRITE -> {
              gen[n].clear(local);
              kill[n].set(local);
            }
            default -> {}
          }
        }
      }
      BitSet[] liveIn = new BitSet[nodeCount];
      ArrayDeque<Integer> work = new ArrayDeque<>();
      boolean[] queued = new boolean[nodeCount];
      for (int n = nodeCount - 1; n >= 0; n--) {
        liveIn[n] = new BitSet();
        work.add(n);
        queued[n] = true;
      }
      int steps = 0;
      while (!work.isEmpty()) {
        if ((++steps & 0xFF) == 0) {
          CompileDeadline.poll();
        }
        int n = work.poll();
        queued[n] = false;
        BitSet in = liveOut(n, successors, liveIn);
        in.andNot(kill[n]);
        in.or(gen[n]);
        if (!in.equals(liveIn[n])) {
          liveIn[n] = in;
          for (int p : predecessors[n]) {
            if (!queued[p]) {
              queued[p] = true;
              work.add(p);
            }
          }
        }
      }
      int[][] answers = new int[offsets.length][];
      BitSet liveAtAny = new BitSet();
      long spills = 0;
      for (int n = 0; n < nodeCount; n++) {
        if (!hasSafepoint(n)) {
          continue;
        }
        BitSet live = liveOut(n, successors, liveIn);
        int[] shared = null;
        for (int e = eventEnd[n] - 1; e >= eventStart[n]; e--) {
          int payload = events[e] >>> 2;
          int kind = events[e] & 3;
          switch (kind) {
            case READ -> {
              shared = live.get(payload) ? shared : null;
              live.set(payload);
            }
            case WRITE -> {
              shared = live.get(payload) ? null : shared;
              live.clear(payload);
            }
            default -> {
              spills += live.cardinality();
              liveAtAny.or(live);
              if (spills > budget) {
                answers = null;
              } else {
                if (shared == null) {
                  shared = locals(live);
                }
                answers[payload] = shared;
              }
            }
          }
        }
      }
      return new ReferenceLiveness(offsets, answers, locals(liveAtAny));
    }

    /** The locals, ascending, of the reference numbers in {@code set}. */
    private int[] locals(BitSet set) {
      int[] locals = set.stream().toArray();
      for (int i = 0; i < locals.length; i++) {
        locals[i] = localOf[locals[i]];
      }
      return locals;
    }

    private boolean hasSafepoint(int n) {
      for (int e = eventStart[n]; e < eventEnd[n]; e++) {
        if ((events[e] & 3) == SAFEPOINT) {
          return true;
        }
      }
      return false;
    }

    private BitSet liveOut(int n, int[][] successors, BitSet[] liveIn) {
      BitSet out = new BitSet();
      for (int s : successors[n]) {
        out.or(liveIn[s]);
      }
      return out;
    }

    /** Per node, its successors ({@code forward}) or its predecessors. */
    private int[][] adjacency(boolean forward) {
      int[] count = new int[nodeCount];
      for (int e = 0; e < edgeCount; e += 2) {
        count[edges[forward ? e : e + 1]]++;
      }
      int[][] lists = new int[nodeCount][];
      for (int n = 0; n < nodeCount; n++) {
        lists[n] = new int[count[n]];
        count[n] = 0;
      }
      for (int e = 0; e < edgeCount; e += 2) {
        int from = edges[forward ? e : e + 1];
        lists[from][count[from]++] = edges[forward ? e + 1 : e];
      }
      return lists;
    }
  }
}
