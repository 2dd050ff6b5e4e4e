package dev.kiln.codegen.regalloc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the scan and the resolution share: every piece of every vreg, the vregs' spill slots,
 * and where register hints come from (a copy's source, a block parameter's incoming arguments, the
 * piece a split came from).
 */
final class AllocState {
  private final RegAllocFunction f;
  private final BlockEdges edges;
  /**
   * Per vreg, its pieces in order of start (they never overlap, so also of end): a lookup by position
   * is a binary search. A vreg cut around each of n calls or handlers has n pieces, and a walk through
   * them per question made resolution quadratic (red team 9 F2, n nested try_tables with calls).
   * Made from the pieces' {@code next} links on the first question about a vreg's pieces ({@link
   * #pieces}), and kept up to date by each split after that: only the vregs split or spilled are
   * asked, mostly after the scans, and a list made per vreg as its first piece was registered, one
   * more insertion per split, was 1.4% of yosys's sampled allocation.
   */
  private final List<LiveInterval>[] pieces;
  private final MachineEnv env;
  /** {@link IntervalBuilder#fixedHints}: per vreg, its FIXED operands' positions and registers. */
  private final long[][] fixedHints;
  private final int[] defPos;
  private final LoopNest loops;
  /** {@link IntervalBuilder#hullUses}: per vreg, its uses inside loops' hulls (null without loops). */
  private final VRegPositions hullUses;
  private final int[] blockOfInst;
  private final boolean[] isParam;
  /** {@link IntervalBuilder#reuseSource}: for an output reusing an input that dies there, the input vreg. */
  private final int[] reuseSource;
  /** {@link InstOperands#start} and {@link InstOperands#vregs}: a move's source for its hint. */
  private final int[] operandStart;
  private final int[] operandVRegs;
  private final SpillSlot[] slots;
  /**
   * Per vreg, the piece that answered {@link #locationAt} last: resolution asks about each vreg at
   * increasing positions, mostly inside one piece. The entry is checked against the piece's current
   * ranges, and pieces never overlap, so after a split it either still answers right or misses.
   */
  private final LiveInterval[] lastLocated;
  /**
   * {@link IntervalBuilder#intervals}: per vreg, its first piece, the first of its {@link #pieces}.
   * While its {@code next} is null it is the vreg's only piece, the one {@link #locationAt} answers
   * from, with no cursor and no search of the piece list. Most vregs are never split, and the first
   * question about each (resolution asks at its definition first) went through the list to a search.
   */
  private final LiveInterval[] firstPieces;
  /** Per vreg, the index {@link #firstHintAtOrAfter} found last among its fixed hints. */
  private final int[] hintCursor;
  private final Map<RegClass, Integer> slotCounts = new EnumMap<>(RegClass.class);
  /** Slots {@link #shareSlots} compared a lifetime with (its work, for tests that count it). */
  long slotComparisons;
  /**
   * Per vreg that is a block parameter: its block (else -1) and its index among the block's
   * parameters. Arrays, not maps keyed by boxed vregs: the scan asks for every piece's hint.
   */
  private final int[] paramBlock;
  private final int[] paramIndex;
  /**
   * Per vreg passed on a back edge (a branch to a block laid out at or before the branching one,
   * so already allocated when the vreg is): that block (else -1) and the parameter it becomes.
   */
  private final int[] backEdgeBlock;
  private final int[] backEdgeIndex;
  /**
   * Most vregs sharing one slot through {@link #joinArguments}: a loop header has two predecessors,
   * and each join compares against every member, which a join of thousands of edges (br_table) must
   * not make quadratic.
   */
  private static final int MAX_JOINED = 4;
  private int nextId;
  int splits;
  /** Pieces {@link #spill} put in a slot: counted as they go there, not by a walk over every piece. */
  int spilledPieces;
  /**
   * The vregs {@link #spill} gave a piece in a slot, in the order the first went there ({@link
   * #spilledVRegCount} of them): {@link SlotHolding}'s vregs, which a walk over every piece found.
   */
  private int[] spilledVRegs = new int[16];
  private int spilledVRegCount;
  /**
   * A bit per vreg that {@link #split} cut or {@link #spill} put a piece of in a slot: the only vregs
   * with more than one piece or a piece in a slot, which resolution's walks over the pieces take in
   * increasing order ({@link #nextSplitOrSpilled}). Most vregs are neither, and those walks asked
   * every vreg's piece list, a load from wherever it was made, to find out.
   */
  private final long[] splitOrSpilled;
  /**
   * Pieces {@link #locationAt} and {@link #split} and fixed-register hints {@link #hint} looked at in
   * their searches (work, for tests).
   */
  long locateSteps;
  /** Piece lists {@link #pieces} made (work, for tests). */
  long pieceListsMade;
  /** Edge windows {@link #shareSlots} made for block parameters' lifetimes (work, for tests). */
  long edgeWindowsMade;

  AllocState(RegAllocFunction f, MachineEnv env, IntervalBuilder ib, BlockEdges edges, LoopNest loops) {
    this.f = f;
    this.edges = edges;
    this.env = env;
    this.fixedHints = ib.fixedHints;
    this.defPos = ib.defPos;
    this.isParam = ib.isParam;
    this.nextId = ib.nextId;
    this.loops = loops;
    this.hullUses = ib.hullUses;
    this.blockOfInst = new int[f.numInsts()];
    for (int b = 0; b < f.numBlocks(); b++) {
      InstRange r = f.blockInsts(b);
      Arrays.fill(blockOfInst, r.first(), r.end(), b);
    }
    int nv = f.numVRegs();
    // Filled as vregs are split or spilled: the others make no list. An array, not a list
    // of empty lists: one made from Collections.nCopies filled two arrays of every vreg.
    pieces = newPieceLists(nv);
    slots = new SpillSlot[nv];
    lastLocated = new LiveInterval[nv];
    firstPieces = ib.intervals;
    splitOrSpilled = new long[(nv + 63) >>> 6];
    hintCursor = new int[nv];
    reuseSource = ib.reuseSource;
    this.operandStart = ib.operands.start;
    this.operandVRegs = ib.operands.vregs;
    paramBlock = new int[nv];
    paramIndex = new int[nv];
    backEdgeBlock = new int[nv];
    backEdgeIndex = new int[nv];
    Arrays.fill(paramBlock, -1);
    Arrays.fill(backEdgeBlock, -1);
    for (int b = 0; b < f.numBlocks(); b++) {
      for (int j = 0; j < edges.paramStart[b + 1] - edges.paramStart[b]; j++) {
        int v = edges.params[edges.paramStart[b] + j].index();
        paramBlock[v] = b;
        paramIndex[v] = j;
      }
      for (int e = edges.succStart[b]; e < edges.succStart[b + 1]; e++) {
        int succ = edges.succ[e];
        if (succ <= b) {
          for (int j = 0; j < edges.argStart[e + 1] - edges.argStart[e]; j++) {
            int v = edges.args[edges.argStart[e] + j].index();
            if (backEdgeBlock[v] < 0) {
              backEdgeBlock[v] = succ;
              backEdgeIndex[v] = j;
            }
          }
        }
      }
    }
  }

  /** The natural loops' headers ({@link LoopNest#headers}). */
  java.util.BitSet loopHeaders() {
    return loops.headers();
  }

  /**
   * Where to reload a value that is in its slot from {@code after} and needs a register at the gap
   * {@code gap}: the gap itself, unless a block top between them sits in a shallower loop; then the
   * last block top of the shallowest depth, so the reload runs once before the loop instead of on
   * every iteration (Wimmer and Moessenboeck, section 5.2 "split positions").
   */
  int reloadPosition(int after, int gap) {
    int[] loopDepth = loops.depth;
    int best = gap;
    int bestDepth = loopDepth[blockOfInst[Positions.inst(gap)]];
    for (int b = blockOfInst[Positions.inst(gap)]; b >= 0 && bestDepth > 0; b--) {
      int top = Positions.early(f.blockInsts(b).first());
      if (top <= after) {
        break;
      }
      if (loopDepth[b] < bestDepth) {
        best = top;
        bestDepth = loopDepth[b];
      }
    }
    return best;
  }

  /**
   * How long the scan should count on {@code vreg} needing a register again, seen from {@code pos}:
   * just before the end of the innermost loop around {@code pos} that uses it anywhere (so before
   * any value needed only after the loop; also a use before {@code pos} counts:
   * a value the loop reads at its top is needed again after the back edge, which a linear order puts
   * behind {@code pos}), or {@link Integer#MAX_VALUE} when no loop around {@code pos} uses it. When
   * registers run out in a loop, a value the loop never uses is evicted before one it does (C1's
   * loop-end use positions, Wimmer and Moessenboeck section 5.2).
   */
  int loopUseBound(int vreg, int pos) {
    for (int h = loops.innermost[blockOfInst[Positions.inst(pos)]]; h >= 0; h = loops.parent[h]) {
      if (usedIn(vreg, loops.hullStart[h], loops.hullEnd[h])) {
        return loops.hullEnd[h] - 1;
      }
    }
    return Integer.MAX_VALUE;
  }

  /**
   * A lower bound of every finite {@link #loopUseBound} at {@code pos}, whatever the vreg: the end of
   * the innermost loop around pos, less one ({@link Integer#MAX_VALUE} outside loops, where every
   * bound is infinite). The loops around pos nest, and an outer loop's hull holds its inner loops'
   * ({@link LoopNest}), so the innermost ends first. A caller that only wants the bound when it is
   * below some value at most this floor can skip the search of the vreg's uses per loop.
   */
  int loopUseFloor(int pos) {
    int h = loops.innermost[blockOfInst[Positions.inst(pos)]];
    return h < 0 ? Integer.MAX_VALUE : loops.hullEnd[h] - 1;
  }

  /**
   * Where a piece that gives up its register at {@code pos} should move to its slot: the top of the
   * outermost loop around {@code pos} that does not use the value at all and that the piece already
   * covers, else {@code pos}. The store then runs once on the way into that loop (an edge move of the
   * loop's entry) instead of on every iteration, and the register is free for the whole loop.
   */
  int spillPosition(LiveInterval piece, int pos) {
    int best = pos;
    for (int h = loops.innermost[blockOfInst[Positions.inst(pos)]]; h >= 0; h = loops.parent[h]) {
      int top = Positions.early(f.blockInsts(h).first());
      if (top >= pos) {
        continue; // pos is this loop's top: an outer loop may still take the store out
      }
      if (top <= piece.start() || !piece.covers(top)
          || usedIn(piece.vreg, loops.hullStart[h], loops.hullEnd[h])) {
        break;
      }
      best = top;
    }
    return best;
  }

  private boolean usedIn(int vreg, int from, int to) {
    return hullUses != null && hullUses.anyIn(vreg, from, to);
  }

  /**
   * For a piece of a value passed round the back edge of a loop that contains {@code pos}: the
   * position after that loop's hull; else -1. Such a value wants its header parameter's register
   * inside the loop even when a call after the loop makes that register a poor home beyond it.
   */
  int carriedLoopEnd(LiveInterval piece, int pos) {
    int target = backEdgeBlock[piece.vreg];
    if (target < 0) {
      return -1;
    }
    for (int h = loops.innermost[blockOfInst[Positions.inst(pos)]]; h >= 0; h = loops.parent[h]) {
      if (h == target) {
        return loops.hullEnd[h];
      }
    }
    return -1;
  }

  /** Whether instruction {@code inst} lies inside a loop. */
  boolean inLoop(int inst) {
    return loops.depth[blockOfInst[inst]] > 0;
  }

  /** The block holding instruction {@code inst}. */
  int blockOf(int inst) {
    return blockOfInst[inst];
  }

  LiveInterval split(LiveInterval piece, int pos) {
    LiveInterval tail = piece.splitAt(pos, nextId++);
    Liveness.set(splitOrSpilled, piece.vreg);
    tail.next = piece.next;
    piece.next = tail;
    // The tail takes the rest of its head, so it sorts right after it. Mostly the head is the vreg's
    // last piece (the scan moves forward), and the insertion an append.
    List<LiveInterval> ps = pieces[piece.vreg];
    if (ps != null) {
      int head = firstEndingAfter(ps, piece.start());
      ps.add(head + 1, tail);
    }
    splits++;
    return tail;
  }

  /** Index of the first of the sorted pieces {@code ps} ending after {@code pos}, or its size. */
  private int firstEndingAfter(List<LiveInterval> ps, int pos) {
    int lo = 0;
    int hi = ps.size();
    while (lo < hi) {
      locateSteps++;
      int mid = (lo + hi) >>> 1;
      if (ps.get(mid).end() <= pos) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  List<LiveInterval> pieces(int vreg) {
    List<LiveInterval> ps = pieces[vreg];
    if (ps == null) {
      LiveInterval first = firstPieces[vreg];
      if (first == null) {
        return List.of();
      }
      pieceListsMade++;
      ps = new ArrayList<>(2);
      for (LiveInterval p = first; p != null; p = p.next) {
        ps.add(p);
      }
      pieces[vreg] = ps;
    }
    return ps;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<LiveInterval>[] newPieceLists(int vregs) {
    return new List[vregs];
  }

  /** The position where {@code vreg} is defined: EARLY/LATE point of its def, or its block's top. */
  int defPosition(int vreg) {
    return defPos[vreg];
  }

  /**
   * Whether {@code vreg} is written by instruction {@code inst} itself at its EARLY point (an early or
   * reused output), so its value does not exist in the gap before that instruction.
   */
  boolean definedAtEarlyOf(int vreg, int inst) {
    return !isParam[vreg] && defPos[vreg] == Positions.early(inst);
  }

  /** Pieces after the last one located that {@link #locationAt} tries before a search. */
  private static final int NEARBY_PIECES = 4;

  /** The location of {@code vreg} at {@code pos}, or null when no piece covers it. */
  Allocation locationAt(int vreg, int pos) {
    LiveInterval first = firstPieces[vreg];
    if (first != null && first.next == null) {
      return first.covers(pos) ? first.location : null;
    }
    LiveInterval last = lastLocated[vreg];
    if (last != null && last.start() <= pos && pos < last.end() && last.covers(pos)) {
      return last.location;
    }
    if (last != null && pos >= last.end()) {
      // Resolution's walk over the instructions moves up the positions, from a piece to one of the
      // next few: the first piece after last ending after pos, as the search below finds it, is
      // looked for among the next NEARBY_PIECES first.
      LiveInterval p = last.next;
      for (int steps = 0; steps < NEARBY_PIECES && p != null; steps++, p = p.next) {
        locateSteps++;
        if (p.end() > pos) {
          if (p.start() <= pos && p.covers(pos)) {
            lastLocated[vreg] = p;
            return p.location;
          }
          return null;
        }
      }
      if (p == null) {
        return null;
      }
    }
    List<LiveInterval> ps = pieces(vreg);
    int k = firstEndingAfter(ps, pos);
    if (k < ps.size()) {
      LiveInterval p = ps.get(k);
      if (p.start() <= pos && p.covers(pos)) {
        lastLocated[vreg] = p;
        return p.location;
      }
    }
    return null;
  }

  /**
   * Puts {@code piece} in its vreg's slot, for good: a piece in a slot is never split or scanned
   * again. The scans spill before any slot is given for another reason (STACK operands get theirs
   * once every scan is done), so a vreg without a slot here has no spilled piece yet.
   */
  void spill(LiveInterval piece) {
    int v = piece.vreg;
    if (slots[v] == null) {
      if (spilledVRegCount == spilledVRegs.length) {
        spilledVRegs = Arrays.copyOf(spilledVRegs, 2 * spilledVRegCount);
      }
      spilledVRegs[spilledVRegCount++] = v;
    }
    piece.location = slotOf(v, piece.regClass);
    Liveness.set(splitOrSpilled, v);
    spilledPieces++;
  }

  /**
   * The first vreg from {@code vreg} on that has been split or has a piece in a slot, or -1: the
   * others have at most one piece, and it is in a register or unallocated.
   */
  int nextSplitOrSpilled(int vreg) {
    int w = vreg >>> 6;
    if (w >= splitOrSpilled.length) {
      return -1;
    }
    long bits = splitOrSpilled[w] & (-1L << vreg);
    while (bits == 0) {
      if (++w == splitOrSpilled.length) {
        return -1;
      }
      bits = splitOrSpilled[w];
    }
    return (w << 6) + Long.numberOfTrailingZeros(bits);
  }

  /** How many vregs have a spilled piece; {@link #spilledVReg} names them. */
  int spilledVRegCount() {
    return spilledVRegCount;
  }

  /** The {@code k}-th vreg that got a spilled piece. */
  int spilledVReg(int k) {
    return spilledVRegs[k];
  }

  SpillSlot slotOf(int vreg, RegClass c) {
    if (slots[vreg] == null) {
      slots[vreg] = newSlot(c);
    }
    return slots[vreg];
  }

  SpillSlot newSlot(RegClass c) {
    int n = slotCounts.getOrDefault(c, 0);
    slotCounts.put(c, n + 1);
    return new SpillSlot(c, n);
  }

  /**
   * Lets vregs whose lifetimes never meet share a spill slot (greedy interval colouring over each
   * vreg's whole lifetime, not just its spilled pieces, so a slot keeps its value between store and
   * reload). A lifetime is widened by one position at both ends, so two vregs meeting at a gap never
   * share (the gap's parallel moves would see one location as two), and a block parameter's lifetime
   * includes the end of each predecessor, where edge moves may write its slot.
   *
   * <p>Before colouring, a spilled block parameter and a spilled argument it receives share one slot
   * when their lifetimes meet only at that argument's edge ({@link #joinArguments}): the edge move
   * between them is then from the slot to itself and disappears, where it would copy slot to slot
   * through the scratch register on every back edge of a loop. Returns the number of vregs with a
   * slot.
   */
  int shareSlots() {
    int count = 0;
    int[] spilled = new int[16];
    for (int v = 0; v < slots.length; v++) {
      if (slots[v] != null) {
        if (count == spilled.length) {
          spilled = Arrays.copyOf(spilled, 2 * count);
        }
        spilled[count++] = v;
      }
    }
    // Per spilled vreg (indexed by vreg): arrays rather than maps keyed by boxed vregs. A lifetime is
    // its ranges as from/to pairs, not a list of an array per range (ruby's function 1706: 128,564).
    int[][] lifetimes = new int[slots.length][];
    // Per block with a spilled parameter, its predecessors' edge windows, merged once for all its
    // parameters: in ruby's function 1706, 4,414 spilled parameters of 1,369 blocks took 128,808
    // windows, their lifetimes' other ranges 12,825.
    int[][] windows = new int[f.numBlocks()][];
    int[] own = new int[16];
    for (int s = 0; s < count; s++) {
      int v = spilled[s];
      int n = 0;
      List<LiveInterval> ps = pieces(v);
      for (int i = 0; i < ps.size(); i++) {
        LiveInterval p = ps.get(i);
        if (n + 2 * p.rangeCount() > own.length) {
          own = Arrays.copyOf(own, 2 * (n + 2 * p.rangeCount()));
        }
        for (int k = 0; k < p.rangeCount(); k++) {
          own[n++] = p.rangeFrom(k) - 1;
          own[n++] = p.rangeTo(k) + 1;
        }
      }
      int block = paramBlock[v];
      int[] edgeWindows = block < 0 ? NO_RANGES : predecessorWindows(block, windows);
      lifetimes[v] = IntervalBuilder.union(own, n, edgeWindows, edgeWindows.length);
    }
    SlotGroups groups = joinArguments(spilled, count, lifetimes);
    // The groups' leaders by the start of the group's lifetime, then by vreg (the order they were
    // found in), as one sort of {@code start << 32 | vreg}.
    int[][] groupLifetimes = new int[slots.length][];
    long[] leaders = new long[count];
    int leaderCount = 0;
    for (int s = 0; s < count; s++) {
      int leader = spilled[s];
      if (groups.leaderOf[leader] != leader) {
        continue;
      }
      int[] lifetime = lifetimes[leader];
      for (int m = 1; m < groups.size[leader]; m++) {
        int[] member = lifetimes[groups.member(leader, m)];
        lifetime = IntervalBuilder.union(lifetime, lifetime.length, member, member.length);
      }
      groupLifetimes[leader] = lifetime;
      leaders[leaderCount++] = (long) lifetime[0] << 32 | leader;
    }
    SmallSorts.sort(leaders, 0, leaderCount);
    Map<RegClass, SlotColouring> occupied = new EnumMap<>(RegClass.class);
    slotCounts.clear();
    for (int l = 0; l < leaderCount; l++) {
      int leader = (int) leaders[l];
      RegClass c = slots[leader].regClass();
      SlotColouring colouring = occupied.get(c);
      if (colouring == null) {
        colouring = new SlotColouring();
        occupied.put(c, colouring);
      }
      int chosen = colouring.place(groupLifetimes[leader]);
      SpillSlot shared = new SpillSlot(c, chosen);
      for (int m = 0; m < groups.size[leader]; m++) {
        int v = groups.member(leader, m);
        SpillSlot old = slots[v];
        slots[v] = shared;
        List<LiveInterval> ps = pieces(v);
        for (int i = 0; i < ps.size(); i++) {
          LiveInterval p = ps.get(i);
          if (old.equals(p.location)) {
            p.location = shared;
          }
        }
      }
      slotCounts.put(c, colouring.slotCount());
    }
    slotComparisons = 0;
    for (SlotColouring colouring : occupied.values()) {
      slotComparisons += colouring.comparisons();
    }
    return count;
  }

  private static final int[] NO_RANGES = new int[0];

  /**
   * The windows of {@link #edgeWindow} of {@code block}'s predecessors, merged, as from/to pairs:
   * made at the first of its spilled parameters and kept in {@code windows} for the others.
   */
  private int[] predecessorWindows(int block, int[][] windows) {
    if (windows[block] == null) {
      int first = edges.predStart[block];
      int n = edges.predStart[block + 1] - first;
      int[] pairs = new int[2 * n];
      edgeWindowsMade += n;
      for (int j = 0; j < n; j++) {
        int[] window = edgeWindow(edges.pred[first + j]);
        pairs[2 * j] = window[0];
        pairs[2 * j + 1] = window[1];
      }
      windows[block] = IntervalBuilder.sortedDisjoint(pairs);
    }
    return windows[block];
  }

  /**
   * Spilled vregs grouped to share a slot ({@link #joinArguments}): each vreg's leader, and per
   * leader its members, the leader first, then in the order they joined.
   */
  private static final class SlotGroups {
    final int[] leaderOf;
    final int[] size;
    /** Per leader with members besides itself, all its members; null for a group of one. */
    final int[][] members;

    SlotGroups(int vregs) {
      leaderOf = new int[vregs];
      size = new int[vregs];
      members = new int[vregs][];
      Arrays.fill(leaderOf, -1);
    }

    int member(int leader, int m) {
      return members[leader] == null ? leader : members[leader][m];
    }

    void join(int leader, int v) {
      if (members[leader] == null) {
        members[leader] = new int[MAX_JOINED];
        members[leader][0] = leader;
      }
      members[leader][size[leader]++] = v;
      size[v] = 0;
      leaderOf[v] = leader;
    }
  }

  /** The positions around predecessor {@code pred}'s jump where edge moves may write a parameter's slot. */
  private int[] edgeWindow(int pred) {
    int end = Positions.early(f.blockInsts(pred).end());
    return new int[] {end - 3, end + 1};
  }

  /**
   * Groups of spilled vregs that take one slot, by leader: each spilled block parameter with the
   * spilled arguments whose lifetimes meet the group's only inside their own edge's window (there
   * the edge move writes the parameter with the argument's value, which the slot then already
   * holds). Other vregs are groups of one. An argument joins at most one group, and only alone; a
   * group stops growing at {@link #MAX_JOINED} members.
   */
  private SlotGroups joinArguments(int[] spilled, int count, int[][] lifetimes) {
    SlotGroups groups = new SlotGroups(slots.length);
    LifetimeOverlap overlap = new LifetimeOverlap();
    for (int s = 0; s < count; s++) {
      int v = spilled[s];
      groups.leaderOf[v] = v;
      groups.size[v] = 1;
    }
    for (int s = 0; s < count; s++) {
      int p = spilled[s];
      int block = paramBlock[p];
      if (block < 0 || groups.leaderOf[p] != p) {
        continue;
      }
      for (int j = edges.predStart[block]; j < edges.predStart[block + 1]; j++) {
        int pred = edges.pred[j];
        if (groups.size[p] == MAX_JOINED) {
          break;
        }
        int a = edges.args[edges.argStart[edges.inEdge[j]] + paramIndex[p]].index();
        // a must be spilled, of p's class, and a group of one of its own (not joined elsewhere).
        if (a == p || slots[a] == null || slots[a].regClass() != slots[p].regClass()
            || groups.leaderOf[a] != a || groups.size[a] != 1) {
          continue;
        }
        int[] window = edgeWindow(pred);
        int[] argLifetime = lifetimes[a];
        boolean meetsOutsideTheEdge = false;
        for (int m = 0; m < groups.size[p] && !meetsOutsideTheEdge; m++) {
          int member = groups.member(p, m);
          meetsOutsideTheEdge = overlap.meets(lifetimes[member], member == p ? window : null, argLifetime);
        }
        if (!meetsOutsideTheEdge) {
          groups.join(p, a);
        }
      }
    }
    return groups;
  }

  Map<RegClass, Integer> slotCounts() {
    return slotCounts;
  }

  /**
   * A register this piece would like, or null: the register of its first FIXED operand (no copy
   * needed there), the register of a copy's source, of the loop header parameter it is passed to on
   * a back edge, of an incoming block argument, or of the piece it was split from.
   */
  Allocation hint(LiveInterval piece) {
    // The hints are sorted by position: the first at or after the piece's start, found by search (a
    // vmctx passed to each of n calls has n, and a piece of it asked each one in turn: n^2).
    long[] hints = fixedHints[piece.vreg];
    if (hints != null) {
      int lo = firstHintAtOrAfter(piece.vreg, hints, piece.start());
      if (lo < hints.length && IntervalBuilder.hintPosition(hints[lo]) < piece.end()) {
        return env.allocatable().get(IntervalBuilder.hintRegister(hints[lo]));
      }
    }
    int reuse = reuseSource[piece.vreg];
    if (reuse >= 0 && piece.start() == defPos[piece.vreg]) {
      Allocation a = locationAt(reuse, defPos[piece.vreg] - 1);
      if (a instanceof PReg) {
        return a;
      }
    }
    int move = definingMove(piece.vreg);
    if (move >= 0) {
      Allocation a = locationAt(operandVRegs[operandStart[move]], Positions.early(move));
      if (a instanceof PReg) {
        return a;
      }
    }
    int target = backEdgeBlock[piece.vreg];
    if (target >= 0) {
      // What a loop carries: the header's parameter already has its register, and the value that
      // comes round the back edge in that register needs no copy there.
      int headerParam = edges.params[edges.paramStart[target] + backEdgeIndex[piece.vreg]].index();
      Allocation a = locationAt(headerParam, Positions.early(f.blockInsts(target).first()));
      if (a instanceof PReg) {
        return a;
      }
    }
    int block = paramBlock[piece.vreg];
    if (block >= 0) {
      for (int j = edges.predStart[block]; j < edges.predStart[block + 1]; j++) {
        int pred = edges.pred[j];
        int arg = edges.args[edges.argStart[edges.inEdge[j]] + paramIndex[piece.vreg]].index();
        Allocation a = locationAt(arg, Positions.early(f.blockInsts(pred).end()) - 1);
        if (a instanceof PReg) {
          return a;
        }
      }
    }
    if (piece.splitParent != null && piece.splitParent.location instanceof PReg p) {
      return p;
    }
    return null;
  }

  /**
   * The move that defines {@code vreg}, or -1: the instruction at its definition's position, if a
   * move (whose one output is its second operand, {@link FunctionValidator}). Asked only for the
   * pieces that get this far in {@link #hint}, where a table of every vreg's move was filled from
   * a pass over every instruction.
   */
  private int definingMove(int vreg) {
    int def = defPos[vreg];
    if (isParam[vreg] || def == Integer.MAX_VALUE) {
      return -1; // a parameter's position is its block's top, which may be a move defining another
    }
    int inst = Positions.inst(def);
    return f.isMove(inst) ? inst : -1;
  }

  /** Hints after the one found last that {@link #firstHintAtOrAfter} tries before a search. */
  private static final int NEARBY_HINTS = 4;

  /**
   * Index of the first of {@code vreg}'s fixed hints at or after {@code start}, or their count. The
   * scan asks for a vreg's pieces in order of start, so the answer is mostly the last one or a few
   * after it ({@link #hintCursor}): looked for there before a search of the hints past it, or of
   * those before it when a piece starts earlier than the last one asked about.
   */
  private int firstHintAtOrAfter(int vreg, long[] hints, int start) {
    int last = hintCursor[vreg];
    int lo;
    int hi;
    if (last > 0 && IntervalBuilder.hintPosition(hints[last - 1]) >= start) {
      lo = 0;
      hi = last - 1;
    } else {
      lo = last;
      hi = hints.length;
      for (int steps = 0; steps < NEARBY_HINTS && lo < hi; steps++) {
        locateSteps++;
        if (IntervalBuilder.hintPosition(hints[lo]) >= start) {
          hintCursor[vreg] = lo;
          return lo;
        }
        lo++;
      }
    }
    while (lo < hi) {
      locateSteps++;
      int mid = (lo + hi) >>> 1;
      if (IntervalBuilder.hintPosition(hints[mid]) < start) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    hintCursor[vreg] = lo;
    return lo;
  }
}
