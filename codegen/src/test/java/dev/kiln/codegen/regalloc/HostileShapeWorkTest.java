package dev.kiln.codegen.regalloc;

import static dev.kiln.codegen.regalloc.OperandConstraint.REG;
import static dev.kiln.codegen.regalloc.OperandConstraint.fixed;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.vcode.VCode;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The register allocator's work on the control-flow shapes an attacker picks to make a compile
 * slow (issue 35, finding 5) grows linearly with the shape's size: the count of control-flow
 * edges it reads (every successor and predecessor entry it reads through the function, including
 * the ones a search such as {@code indexOf} or {@code contains} walks past) plus the liveness
 * walk's visits, at size n and 4n, may grow at most 4.5 times. Counted, not timed, so the test is
 * deterministic on a loaded machine. (Before, a br_table's n targets cost n^2 edge reads in the
 * edge resolution and the function validator, and liveness read every successor once per set word
 * per round: blocks x vregs / 64. Nested loops cost
 * the sum of the loops' sizes in the loop nest, which listed each loop's blocks: 15.2x. Values live
 * across many blocks cost values x blocks in liveness: 15.8x.)
 */
class HostileShapeWorkTest {
  private static final int SIZE = 400;

  /** One block branching to n targets that all join one block: a br_table of n labels. */
  static RegAllocFunction brTable(int n) {
    // Blocks are numbered in the order they are filled: entry, the n targets, the join.
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    List<VCode.Target> edges = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      edges.add(new VCode.Target(b.newBlock(), List.of()));
    }
    int join = b.newBlock();
    VReg arg = b.newVReg(RegClass.INT);
    VReg index = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(arg, fixed(PReg.intReg(7)))));
    b.inst("index", List.of(Operand.use(arg, REG), Operand.def(index, REG)));
    b.branch("br_table", List.of(Operand.use(index, REG)), edges);
    for (VCode.Target t : edges) {
      b.startBlock(t.block(), List.of());
      VReg v = b.newVReg(RegClass.INT);
      b.inst("add", List.of(Operand.use(arg, REG), Operand.def(v, REG)));
      b.jump(join, List.of(v));
    }
    VReg result = b.newVReg(RegClass.INT);
    b.startBlock(join, List.of(result));
    b.ret(List.of(Operand.use(result, fixed(PReg.intReg(0)))));
    return b.build();
  }

  /** A chain of n two-way branches, each leaving (through a block of its own) to one exit. */
  static RegAllocFunction brIfChain(int n) {
    // Filled in order: entry, then per branch its test block and its way out, the last test, exit.
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    int exit = 2 * n + 2;
    VReg arg = b.newVReg(RegClass.INT);
    argumentAndValues(b, entry, arg, 0);
    int test = b.newBlock();
    b.jump(test, List.of());
    for (int i = 0; i < n; i++) {
      int out = b.newBlock();
      int after = b.newBlock();
      b.startBlock(test, List.of());
      branchOn(b, arg, out, after);
      b.startBlock(out, List.of());
      b.jump(exit, List.of());
      test = after;
    }
    b.startBlock(test, List.of());
    b.jump(exit, List.of());
    if (b.newBlock() != exit) {
      throw new AssertionError("exit block numbered differently");
    }
    b.startBlock(exit, List.of());
    b.ret(List.of(Operand.use(arg, fixed(PReg.intReg(0)))));
    return b.build();
  }

  /**
   * n values defined at the top, then n tests each leaving through a block of its own that returns,
   * then every value read: the values are dead in the n return blocks laid out among the blocks where
   * they are live (the compiled shape of {@code DeadBlockShapes.EARLY_RETURNS}).
   */
  static RegAllocFunction valuesAcrossEarlyReturns(int n) {
    return valuesAcrossExits(n, false);
  }

  /**
   * As {@link #valuesAcrossEarlyReturns}, but each way out jumps to one handler at the end, which
   * alone reads the values: the compiled shape of n calls in one {@code try_table} whose handler
   * reads n locals (the ways out are the calls' landing pads, laid out between the calls).
   */
  static RegAllocFunction valuesIntoOneHandler(int n) {
    return valuesAcrossExits(n, true);
  }

  private static RegAllocFunction valuesAcrossExits(int n, boolean toOneHandler) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    VReg arg = b.newVReg(RegClass.INT);
    List<VReg> values = argumentAndValues(b, entry, arg, n);
    int test = b.newBlock();
    b.jump(test, List.of());
    // Blocks numbered in layout order: entry, the first test, then per test its way out and the next
    // test, then the handler.
    int handler = 2 * n + 2;
    for (int i = 0; i < n; i++) {
      int out = b.newBlock();
      int after = b.newBlock();
      b.startBlock(test, List.of());
      branchOn(b, arg, out, after);
      b.startBlock(out, List.of());
      if (toOneHandler) {
        b.jump(handler, List.of());
      } else {
        b.ret(List.of(Operand.use(arg, fixed(PReg.intReg(0)))));
      }
      test = after;
    }
    b.startBlock(test, List.of());
    if (toOneHandler) {
      b.ret(List.of(Operand.use(arg, fixed(PReg.intReg(0)))));
      if (b.newBlock() != handler) {
        throw new AssertionError("handler block numbered differently");
      }
      b.startBlock(handler, List.of());
    }
    readAllAndReturn(b, arg, values);
    return b.build();
  }

  /**
   * n values defined at the top, then n loops in a row (each a header that goes on to a latch jumping
   * back to it, or leaves through a block of its own, as {@code (loop (br_if 0 ...))} lowers), then
   * every value read.
   */
  static RegAllocFunction valuesAcrossLoops(int n) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    VReg arg = b.newVReg(RegClass.INT);
    List<VReg> values = argumentAndValues(b, entry, arg, n);
    int header = b.newBlock();
    b.jump(header, List.of());
    for (int i = 0; i < n; i++) {
      int latch = b.newBlock();
      int exit = b.newBlock();
      int after = b.newBlock();
      b.startBlock(header, List.of());
      branchOn(b, arg, latch, exit);
      b.startBlock(latch, List.of());
      b.jump(header, List.of());
      b.startBlock(exit, List.of());
      b.jump(after, List.of());
      header = after;
    }
    b.startBlock(header, List.of());
    readAllAndReturn(b, arg, values);
    return b.build();
  }

  /** Where {@link #valuesAcrossDetours} defines one more value, read at the end. */
  enum OneMore {
    NONE,
    /** In a block between the entry and the first test, itself a detour of that test. */
    IN_A_DETOUR,
    /** In a block among the detours that is none, before one more block on to the first test. */
    AMONG_THE_DETOURS
  }

  /**
   * n values defined at the top, then n tests in a row, each going on to the next (through a block of
   * its own, the edge's split) or through a block of its own laid out at the function's end, which
   * jumps back to that next test (the compiled shape of n calls each in a {@code try_table} of its
   * own: the landing pads), then every value read. With {@code oneMore} other than NONE, the entry
   * goes to the first test through blocks laid out in the middle of those ways round, the first of
   * which defines one more value.
   */
  static RegAllocFunction valuesAcrossDetours(int n, OneMore oneMore) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    VReg arg = b.newVReg(RegClass.INT);
    List<VReg> values = argumentAndValues(b, entry, arg, n);
    // Numbered in layout order: entry, each test and its way on, the last test, then the ways round
    // (the blocks from the entry among them).
    int[] test = new int[n + 1];
    int[] on = new int[n];
    for (int i = 0; i <= n; i++) {
      test[i] = b.newBlock();
      if (i < n) {
        on[i] = b.newBlock();
      }
    }
    int[] round = new int[n];
    int middle = -1;
    int hop = -1;
    for (int i = 0; i < n; i++) {
      if (oneMore != OneMore.NONE && i == n / 2) {
        middle = b.newBlock();
        hop = oneMore == OneMore.AMONG_THE_DETOURS ? b.newBlock() : -1;
      }
      round[i] = b.newBlock();
    }
    b.jump(oneMore == OneMore.NONE ? test[0] : middle, List.of());
    for (int i = 0; i < n; i++) {
      b.startBlock(test[i], List.of());
      branchOn(b, arg, round[i], on[i]);
      b.startBlock(on[i], List.of());
      b.jump(test[i + 1], List.of());
    }
    b.startBlock(test[n], List.of());
    List<VReg> read = new ArrayList<>(values);
    VReg defined = oneMore == OneMore.NONE ? null : b.newVReg(RegClass.INT);
    if (defined != null) {
      read.add(defined);
    }
    readAllAndReturn(b, arg, read);
    for (int i = 0; i < n; i++) {
      if (i == n / 2 && defined != null) {
        b.startBlock(middle, List.of());
        b.inst("add", List.of(Operand.use(arg, REG), Operand.def(defined, REG)));
        b.jump(hop >= 0 ? hop : test[0], List.of());
        if (hop >= 0) {
          b.startBlock(hop, List.of());
          b.jump(test[0], List.of());
        }
      }
      b.startBlock(round[i], List.of());
      b.jump(test[i + 1], List.of());
    }
    return b.build();
  }

  /**
   * n values defined at the top, then n steps, each a test that goes on or through a way round laid
   * out at the function's end (a detour, as in {@link #valuesAcrossDetours}) to a block that leaves
   * for one handler or goes on to the next step; the handler alone reads the values. After the last
   * step, a block laid out before the handler returns; it is also entered from a block laid out after
   * the handler, so no region ending at the handler holds it: the handler's n predecessors are a
   * fan-in, walked from the region that holds them, which has the detours.
   */
  static RegAllocFunction valuesIntoOneHandlerAcrossDetours(int n) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    VReg arg = b.newVReg(RegClass.INT);
    List<VReg> values = argumentAndValues(b, entry, arg, n);
    // Numbered in layout order: entry; per step its test, way on, join and way out; the last test, its
    // way to the return, the return, the handler, the block after it, its way to the return and its
    // own return; the ways round.
    int[] test = new int[n + 1];
    int[] on = new int[n];
    int[] join = new int[n];
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      test[i] = b.newBlock();
      on[i] = b.newBlock();
      join[i] = b.newBlock();
      out[i] = b.newBlock();
    }
    test[n] = b.newBlock();
    int toReturn = b.newBlock();
    int ret = b.newBlock();
    int handler = b.newBlock();
    int after = b.newBlock();
    int afterToReturn = b.newBlock();
    int afterReturns = b.newBlock();
    int[] round = new int[n];
    for (int i = 0; i < n; i++) {
      round[i] = b.newBlock();
    }
    b.jump(test[0], List.of());
    for (int i = 0; i < n; i++) {
      b.startBlock(test[i], List.of());
      branchOn(b, arg, round[i], on[i]);
      b.startBlock(on[i], List.of());
      b.jump(join[i], List.of());
      b.startBlock(join[i], List.of());
      branchOn(b, arg, out[i], test[i + 1]);
      b.startBlock(out[i], List.of());
      b.jump(handler, List.of());
    }
    b.startBlock(test[n], List.of());
    branchOn(b, arg, toReturn, after);
    b.startBlock(toReturn, List.of());
    b.jump(ret, List.of());
    b.startBlock(ret, List.of());
    b.ret(List.of(Operand.use(arg, fixed(PReg.intReg(0)))));
    b.startBlock(handler, List.of());
    readAllAndReturn(b, arg, values);
    b.startBlock(after, List.of());
    branchOn(b, arg, afterToReturn, afterReturns);
    b.startBlock(afterToReturn, List.of());
    b.jump(ret, List.of());
    b.startBlock(afterReturns, List.of());
    b.ret(List.of(Operand.use(arg, fixed(PReg.intReg(0)))));
    for (int i = 0; i < n; i++) {
      b.startBlock(round[i], List.of());
      b.jump(join[i], List.of());
    }
    return b.build();
  }

  /**
   * The ways exception handling lowers to, round through blocks laid out at the function's end and back
   * to the code after a {@code try_table}, other than a one-block pad per call ({@link
   * #valuesAcrossDetours}); each kind is the compiled shape of a step of n in a row, none of whose
   * pads or handlers reads the values ({@link #valuesAcrossWaysRound}).
   */
  enum WaysRound {
    /**
     * Two calls in one {@code try_table}: each call's pad, laid out after it, jumps to one join at the
     * end, which jumps back to the code after the try.
     */
    TWO_PADS_INTO_ONE_JOIN,
    /**
     * A {@code catch} with a payload: the call's pad, at the end, tests the tag and goes on to a block
     * of its own that unpacks it and jumps back, or rethrows (returns).
     */
    A_PAD_AND_ITS_CATCH,
    /**
     * Two {@code catch} clauses: the call's pad, at the end, dispatches to two blocks after it, which
     * jump back to two blocks in a row after the call.
     */
    ONE_PAD_TO_TWO_CATCHES,
    /**
     * Two calls in one {@code try_table} whose handler code follows the try: the handler's only
     * predecessor is the pads' join at the end, which defines a value (the exception) the handler
     * reads; the handler returns or goes on to the code after the try.
     */
    A_HANDLER_ENTERED_FROM_THE_JOIN_ALONE,
    /**
     * {@link #TWO_PADS_INTO_ONE_JOIN} inside a catch around them all: the join tests the tag and
     * jumps back, or goes on to the outer catch's join, laid out first at the end, which the block
     * that reads the values is also entered from; the first call is in the entry, which defines the
     * values, so every region holding the first pad starts there.
     */
    INSIDE_A_CATCH_AROUND_THEM_ALL
  }

  /**
   * n values defined at the top, then n steps of {@code kind} in a row (each a test of the argument
   * where a call would be), then every value read.
   */
  static RegAllocFunction valuesAcrossWaysRound(int n, WaysRound kind) {
    Graph g = new Graph();
    int step = g.inline();
    return valuesAcrossWaysRound(g, step, kind == WaysRound.INSIDE_A_CATCH_AROUND_THEM_ALL ? g.tail() : 0, n,
        kind);
  }

  /**
   * {@link #valuesAcrossWaysRound(int, WaysRound)} from block {@code step} of {@code g} on, with
   * {@code outerJoin} the catch around them all (where {@code kind} has one).
   */
  private static RegAllocFunction valuesAcrossWaysRound(Graph g, int step, int outerJoin, int n,
      WaysRound kind) {
    boolean aroundAll = kind == WaysRound.INSIDE_A_CATCH_AROUND_THEM_ALL;
    for (int i = 0; i < n; i++) {
      int next;
      switch (kind) {
        case TWO_PADS_INTO_ONE_JOIN -> {
          int join = g.tail();
          int on = twoCallsWithPadsInto(g, step, join);
          next = g.inline();
          g.edges(on, next);
          g.edges(join, next);
        }
        case A_PAD_AND_ITS_CATCH -> {
          int on = g.inline();
          next = g.inline();
          int pad = g.tail();
          int unpack = g.tail();
          int rethrow = g.tail();
          g.edges(step, on, pad);
          g.edges(on, next);
          g.edges(pad, unpack, rethrow);
          g.edges(unpack, next);
          g.edges(rethrow);
        }
        case ONE_PAD_TO_TWO_CATCHES -> {
          int on = g.inline();
          int first = g.inline();
          next = g.inline();
          int pad = g.tail();
          int firstCatch = g.tail();
          int secondCatch = g.tail();
          g.edges(step, on, pad);
          g.edges(on, first);
          g.edges(first, next);
          g.edges(pad, firstCatch, secondCatch);
          g.edges(firstCatch, first);
          g.edges(secondCatch, next);
        }
        case A_HANDLER_ENTERED_FROM_THE_JOIN_ALONE -> {
          int join = g.tail();
          int on = twoCallsWithPadsInto(g, step, join);
          int handler = g.inline();
          int handlerReturns = g.inline();
          int handlerGoesOn = g.inline();
          next = g.inline();
          g.edges(on, next);
          g.edges(join, handler);
          g.passes(join, handler);
          g.edges(handler, handlerReturns, handlerGoesOn);
          g.edges(handlerReturns);
          g.edges(handlerGoesOn, next);
        }
        case INSIDE_A_CATCH_AROUND_THEM_ALL -> {
          int join = g.tail();
          int back = g.tail();
          int out = g.tail();
          int on = twoCallsWithPadsInto(g, step, join);
          next = g.inline();
          g.edges(on, next);
          g.edges(join, back, out);
          g.edges(back, next);
          g.edges(out, outerJoin);
        }
        default -> throw new AssertionError(kind);
      }
      step = next;
    }
    g.edges(step);
    if (aroundAll) {
      g.edges(outerJoin, step);
    }
    return g.valuesReadAt(n, step);
  }

  /**
   * {@link WaysRound#INSIDE_A_CATCH_AROUND_THEM_ALL} of n steps after {@code loops} nested loops whose
   * innermost block branches back to every header through a block of its own laid out at the end
   * (a {@code br_table}): looking back from each header for detours goes down the nest to the header
   * itself, {@code loops}^2 edges in all, which spend the search's allowance before the outer catch's
   * join is searched (the second review's shape), so the walk goes through its pads one by one.
   */
  static RegAllocFunction valuesAcrossACatchAroundThemAllAfterALoopNest(int n, int loops) {
    Graph g = new Graph();
    int step = g.inline();
    int outerJoin = g.tail();
    int[] headers = new int[loops];
    int[] back = new int[loops + 1];
    for (int k = 0; k < loops; k++) {
      headers[k] = g.inline();
      g.edges(k == 0 ? step : headers[k - 1], headers[k]);
      back[k] = g.tail();
      g.edges(back[k], headers[k]);
    }
    int innermost = loops == 0 ? step : g.inline();
    if (loops > 0) {
      g.edges(headers[loops - 1], innermost);
      back[loops] = g.inline(); // the way out of the nest
      g.edges(innermost, back);
      step = back[loops];
    }
    return valuesAcrossWaysRound(g, step, outerJoin, n, WaysRound.INSIDE_A_CATCH_AROUND_THEM_ALL);
  }

  /**
   * Two tests from {@code step} (where two calls would be), each leaving through a block of its own
   * laid out after it (the call's pad) that jumps to {@code join}; returns the block the second goes
   * on to.
   */
  private static int twoCallsWithPadsInto(Graph g, int step, int join) {
    int pad = g.inline();
    int second = g.inline();
    int secondPad = g.inline();
    int on = g.inline();
    g.edges(step, second, pad);
    g.edges(pad, join);
    g.edges(second, on, secondPad);
    g.edges(secondPad, join);
    return on;
  }

  /**
   * A control-flow graph given as successor lists: blocks made by {@link #inline} are laid out in the
   * order made, then those made by {@link #tail}, in theirs. The entry (the first block) defines the
   * argument and the values; a block of two successors tests the argument, of more indexes a table
   * with it, and of none returns it.
   */
  static final class Graph {
    private final List<int[]> inline = new ArrayList<>();
    private final List<int[]> tail = new ArrayList<>();
    /** Pairs (defining block, reading block) of one value each ({@link #passes}). */
    private final List<int[]> passed = new ArrayList<>();
    /** The defining block of a value {@link #readsUndefinedAt} reads. */
    private static final int NOWHERE = Integer.MIN_VALUE;

    int inline() {
      inline.add(new int[0]);
      return inline.size() - 1;
    }

    /** A block laid out after every inline one; its number is negative until {@link #valuesReadAt}. */
    int tail() {
      tail.add(new int[0]);
      return -tail.size();
    }

    void edges(int block, int... successors) {
      if (block >= 0) {
        inline.set(block, successors);
      } else {
        tail.set(-block - 1, successors);
      }
    }

    /** One more value, defined in {@code from} and read in {@code to}. */
    void passes(int from, int to) {
      passed.add(new int[] {from, to});
    }

    /** One more value, read in {@code block} and defined nowhere (an invalid function). */
    void readsUndefinedAt(int block) {
      passed.add(new int[] {NOWHERE, block});
    }

    /** The function, with n values defined in the entry and read in block {@code read}. */
    RegAllocFunction valuesReadAt(int n, int read) {
      FunctionBuilder b = new FunctionBuilder();
      int blocks = inline.size() + tail.size();
      for (int k = 0; k < blocks; k++) {
        b.newBlock();
      }
      VReg arg = b.newVReg(RegClass.INT);
      List<VReg> values = argumentAndValues(b, 0, arg, n);
      Map<Integer, List<VReg>> definedIn = new HashMap<>();
      Map<Integer, List<VReg>> readIn = new HashMap<>();
      for (int[] p : passed) {
        VReg v = b.newVReg(RegClass.INT);
        if (p[0] != NOWHERE) {
          definedIn.computeIfAbsent(number(p[0]), k -> new ArrayList<>()).add(v);
        }
        readIn.computeIfAbsent(number(p[1]), k -> new ArrayList<>()).add(v);
      }
      for (int block = 0; block < blocks; block++) {
        if (block > 0) {
          b.startBlock(block, List.of());
        }
        for (VReg v : readIn.getOrDefault(block, List.of())) {
          b.inst("sum", List.of(Operand.use(arg, REG), Operand.use(v, REG)));
        }
        for (VReg v : definedIn.getOrDefault(block, List.of())) {
          b.inst("add", List.of(Operand.use(arg, REG), Operand.def(v, REG)));
        }
        int[] successors = block < inline.size() ? inline.get(block) : tail.get(block - inline.size());
        if (block == number(read)) {
          readAllAndReturn(b, arg, values);
        } else if (successors.length == 0) {
          b.ret(List.of(Operand.use(arg, fixed(PReg.intReg(0)))));
        } else if (successors.length == 1) {
          b.jump(number(successors[0]), List.of());
        } else if (successors.length == 2) {
          branchOn(b, arg, number(successors[0]), number(successors[1]));
        } else {
          List<VCode.Target> targets = new ArrayList<>();
          for (int successor : successors) {
            targets.add(new VCode.Target(number(successor), List.of()));
          }
          b.branch("br_table", List.of(Operand.use(arg, REG)), targets);
        }
      }
      return b.build();
    }

    private int number(int block) {
      return block >= 0 ? block : inline.size() - block - 1;
    }
  }

  /**
   * 100 x {@code groups} values defined at the top, then {@code groups} groups, each a block left by
   * a branch to the group's end over 70 diamonds in a row, then every value read: the group's end has
   * two predecessors, too few for a fan-in, and 70 regions between them, more than a region search
   * went down one at a time ({@code ForwardRegions.SCAN_LIMIT}); the second review's shape.
   */
  static RegAllocFunction valuesAcrossLongGroups(int groups) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    VReg arg = b.newVReg(RegClass.INT);
    List<VReg> values = argumentAndValues(b, entry, arg, 100 * groups);
    int block = b.newBlock();
    b.jump(block, List.of());
    for (int g = 0; g < groups; g++) {
      // Numbered in layout order: the group's block, its way out, each diamond's test and two sides,
      // then the end (the last diamond's join).
      int out = b.newBlock();
      int test = b.newBlock();
      int end = test + 3 * 70;
      b.startBlock(block, List.of());
      branchOn(b, arg, out, test);
      b.startBlock(out, List.of());
      b.jump(end, List.of());
      for (int i = 0; i < 70; i++) {
        int left = b.newBlock();
        int right = b.newBlock();
        int next = b.newBlock();
        b.startBlock(test, List.of());
        branchOn(b, arg, left, right);
        b.startBlock(left, List.of());
        b.jump(next, List.of());
        b.startBlock(right, List.of());
        b.jump(next, List.of());
        test = next;
      }
      if (test != end) {
        throw new AssertionError("group end numbered differently");
      }
      block = end;
    }
    b.startBlock(block, List.of());
    readAllAndReturn(b, arg, values);
    return b.build();
  }

  /**
   * Exact, each value's walk goes block by block (a return block ends no forward region), n^2 visits
   * (16x at 4n); past the walk's budget ({@code Liveness.WALK_VISITS_PER_ITEM}) the regions with side
   * exits take the chain in a jump. Both sizes pass the budget.
   */
  @Test
  void valuesAcrossEarlyReturnsCostTheLivenessWalkLinearWork() {
    assertLinearLiveness("values across early returns", HostileShapeWorkTest::valuesAcrossEarlyReturns);
  }

  /**
   * Each value's walk visited every one of the handler's n predecessors (21x at 4n for the compiled
   * try_table, 122 million visits at 4,000); past the walk's budget, a block of many predecessors
   * that one region holds is walked from that region's start ({@code ForwardRegions.fanInStart}).
   */
  @Test
  void valuesIntoAHandlerOfManyPredecessorsCostTheLivenessWalkLinearWork() {
    assertLinearLiveness("values into one handler", HostileShapeWorkTest::valuesIntoOneHandler);
  }

  /**
   * Each loop's header has its latch after it, which ends every region: each value's walk stepped
   * through every loop (16x at 4n). Past the walk's budget, a region with side exits may hold a loop
   * whose latch it reaches, and climbing regions passes a header when the region being built reaches
   * its latch ({@code ForwardRegions.needs}).
   */
  @Test
  void valuesAcrossLoopsInARowCostTheLivenessWalkLinearWork() {
    assertLinearLiveness("values across loops", HostileShapeWorkTest::valuesAcrossLoops);
  }

  /**
   * Each test's way round, laid out at the end, jumps back to the next test, which ends every region:
   * each value's walk stepped through every test (16x at 4n; 24.4 s of CPU for 16,000 calls each in
   * a {@code try_table} of its own). Past the walk's budget, a region's blocks may have such detours
   * ({@code ForwardRegions.detourHull}), marked as one run, cut around a definition among them.
   */
  @Test
  void valuesAcrossDetoursCostTheLivenessWalkLinearWork() {
    for (OneMore oneMore : OneMore.values()) {
      assertLinearLiveness("values across detours, one more " + oneMore, n -> valuesAcrossDetours(n, oneMore));
    }
    assertLinearLiveness("values into one handler across detours",
        HostileShapeWorkTest::valuesIntoOneHandlerAcrossDetours);
  }

  /**
   * The ways round of a try with two calls, of a catch with a payload, of two catch clauses, and of a
   * handler entered from the pads' join alone ended every region, as one-block pads did before they
   * were detours: 4,000 locals across as many cost 11.7 s of CPU at 8,000 (7.3x over 2,000). Past
   * the walk's budget, the blocks of such ways are detours too ({@code ForwardRegions.Detours}).
   */
  @Test
  void valuesAcrossLongerWaysRoundCostTheLivenessWalkLinearWork() {
    assertAll(Arrays.stream(WaysRound.values()).map(kind -> () ->
        assertLinearLiveness("values across ways round, " + kind, n -> valuesAcrossWaysRound(n, kind))));
  }

  /**
   * Where the search's allowance is spent before the outer catch's join is searched, the walk goes
   * through its pads one by one again, n^2 visits, as before detours; but each pad's region, from
   * the same start, was marked whole again, thousands of blocks a visit (n^3 / 64 words of bits at
   * the merge): a region from a start already marked as far is not marked again
   * ({@code Liveness.MarkedFrom}): 4.9 blocks marked a visit here (7.8 million visits for 1,000
   * values), 1,733 without it.
   */
  @Test
  void padsWalkedOneByOneMarkTheirRegionOnce() {
    RegAllocFunction f = valuesAcrossACatchAroundThemAllAfterALoopNest(1_000, 300);
    BlockEdges edges = BlockEdges.of(f);
    Liveness live = Liveness.compute(f, edges, FunctionValidator.validate(f, TestEnvs.x64Like(),
        InstOperands.listed(f), edges));
    assertTrue(live.blocksMarked <= 8 * live.visits, live.blocksMarked + " blocks marked in " + live.visits
        + " visits");
  }

  /**
   * Each group's end ended no region: each value's walk visited every group (16x at 4n); the region
   * search with side exits now goes down a chain of regions in doubling jumps. At 60 and 240 groups
   * (6,000 and 24,000 values), both past the walk's budget.
   */
  @Test
  void valuesAcrossLongGroupsCostTheLivenessWalkLinearWork() {
    long small = livenessVisits(valuesAcrossLongGroups(60));
    long large = livenessVisits(valuesAcrossLongGroups(240));
    assertTrue(large <= 4.5 * small, "values across long groups: " + small + " visits at 60 groups, " + large
        + " at 240 (" + String.format("%.1f", (double) large / small) + "x)");
  }

  /** Liveness's visits at 2,000 and 8,000, both past the walk's budget: at most 4.5x. */
  private static void assertLinearLiveness(String shape, IntFunction<RegAllocFunction> build) {
    long small = livenessVisits(build.apply(2_000));
    long large = livenessVisits(build.apply(8_000));
    assertTrue(large <= 4.5 * small, shape + ": " + small + " visits at 2,000, " + large + " at 8,000 ("
        + String.format("%.1f", (double) large / small) + "x)");
  }

  private static long livenessVisits(RegAllocFunction f) {
    BlockEdges edges = BlockEdges.of(f);
    return Liveness.compute(f, edges, FunctionValidator.validate(f, TestEnvs.x64Like(), InstOperands.listed(f),
        edges)).visits;
  }

  /** n loops nested in one another, the argument live through all of them. */
  static RegAllocFunction nestedLoops(int n) {
    // Filled in order: entry, the n headers, then per loop from the innermost out: its latch, the
    // back edge's block, the block on to the enclosing loop's latch.
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    int[] headers = new int[n];
    for (int i = 0; i < n; i++) {
      headers[i] = b.newBlock();
    }
    VReg arg = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(arg, fixed(PReg.intReg(7)))));
    b.jump(headers[0], List.of());
    int innermostLatch = n + 1;
    for (int i = 0; i < n; i++) {
      b.startBlock(headers[i], List.of());
      b.inst("work", List.of(Operand.use(arg, REG)));
      b.jump(i + 1 < n ? headers[i + 1] : innermostLatch, List.of());
    }
    for (int i = n - 1; i >= 0; i--) {
      int latch = b.newBlock();
      int back = b.newBlock();
      int on = b.newBlock();
      b.startBlock(latch, List.of());
      VReg cond = b.newVReg(RegClass.INT);
      b.inst("cmp", List.of(Operand.use(arg, REG), Operand.def(cond, REG)));
      b.branch("br_if", List.of(Operand.use(cond, REG)),
          List.of(new VCode.Target(back, List.of()), new VCode.Target(on, List.of())));
      b.startBlock(back, List.of());
      b.jump(headers[i], List.of());
      b.startBlock(on, List.of());
      if (i > 0) {
        b.jump(on + 1, List.of()); // the enclosing loop's latch, made next
      } else {
        b.ret(List.of(Operand.use(arg, fixed(PReg.intReg(0)))));
      }
    }
    return b.build();
  }

  /**
   * n values defined at the top, then n two-way branches that join again (the diamonds of wasm
   * blocks left by a {@code br_if}), then every value read: n values live across 3n blocks, the
   * compiled shape of many locals across many blocks (HostileShapes.LOCALS_ACROSS_BLOCKS, issue 40).
   */
  static RegAllocFunction valuesAcrossDiamonds(int n) {
    // Filled in order: entry, then per diamond its test block, its two sides, and the next test.
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    int test = b.newBlock();
    VReg arg = b.newVReg(RegClass.INT);
    List<VReg> values = argumentAndValues(b, entry, arg, n);
    b.jump(test, List.of());
    for (int i = 0; i < n; i++) {
      int left = b.newBlock();
      int right = b.newBlock();
      int next = b.newBlock();
      b.startBlock(test, List.of());
      branchOn(b, arg, left, right);
      b.startBlock(left, List.of());
      b.jump(next, List.of());
      b.startBlock(right, List.of());
      b.jump(next, List.of());
      test = next;
    }
    b.startBlock(test, List.of());
    readAllAndReturn(b, arg, values);
    return b.build();
  }

  /** Starts block {@code entry}: the argument {@code arg}, then n values computed from it. */
  private static List<VReg> argumentAndValues(FunctionBuilder b, int entry, VReg arg, int n) {
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(arg, fixed(PReg.intReg(7)))));
    List<VReg> values = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      VReg v = b.newVReg(RegClass.INT);
      b.inst("add", List.of(Operand.use(arg, REG), Operand.def(v, REG)));
      values.add(v);
    }
    return values;
  }

  /** Ends the current block with a two-way branch on a test of {@code arg}. */
  private static void branchOn(FunctionBuilder b, VReg arg, int ifTrue, int ifFalse) {
    VReg cond = b.newVReg(RegClass.INT);
    b.inst("cmp", List.of(Operand.use(arg, REG), Operand.def(cond, REG)));
    b.branch("br_if", List.of(Operand.use(cond, REG)),
        List.of(new VCode.Target(ifTrue, List.of()), new VCode.Target(ifFalse, List.of())));
  }

  /** Reads every value in the current block, then returns the argument. */
  private static void readAllAndReturn(FunctionBuilder b, VReg arg, List<VReg> values) {
    for (VReg v : values) {
      b.inst("sum", List.of(Operand.use(arg, REG), Operand.use(v, REG)));
    }
    b.ret(List.of(Operand.use(arg, fixed(PReg.intReg(0)))));
  }

  @Test
  void valuesLiveAcrossManyBlocksCostLinearWork() {
    // Before: each value's liveness walked every block (and the sets held every value at every
    // block), so four times the size cost sixteen times the work. The checker, whose state at each
    // block top holds every live value, checks the allocation at a small size only.
    Checker.check(valuesAcrossDiamonds(24), TestEnvs.x64Like(),
        RegAllocator.allocate(valuesAcrossDiamonds(24), TestEnvs.x64Like()));
    long small = work(valuesAcrossDiamonds(SIZE), false);
    long large = work(valuesAcrossDiamonds(4 * SIZE), false);
    assertTrue(large <= 4.5 * small, "values across diamonds: " + small + " at size " + SIZE + ", "
        + large + " at " + 4 * SIZE + " (" + String.format("%.1f", (double) large / small) + "x)");
  }

  /**
   * The spill-store analysis's sets are blocks x spilled values bits: past its bound (5,000 values
   * spilled across 15,000 blocks would be 38 MB of sets) it keeps none; below, it keeps them. Before the bound, the sets grew with the square of the
   * shape: 60,000 values across 180,000 blocks were gigabytes.
   */
  @Test
  void theSpillStoreAnalysisKeepsNoQuadraticSetsPastItsBound() {
    RegAllocOutput small = RegAllocator.allocate(valuesAcrossDiamonds(SIZE), TestEnvs.x64Like());
    assertTrue(small.stats().slotHoldingWords() > 0, "below the bound the analysis runs");
    RegAllocFunction huge = valuesAcrossDiamonds(5_000);
    RegAllocOutput out = RegAllocator.allocate(huge, TestEnvs.x64Like());
    assertTrue(out.stats().spilledVRegs() > 4_900, "the values are spilled: " + out.stats().spilledVRegs());
    assertEquals(0, out.stats().slotHoldingWords());
  }

  @Test
  void brTableWorkIsLinear() {
    assertLinear("br_table", HostileShapeWorkTest::brTable);
  }

  @Test
  void brIfChainWorkIsLinear() {
    assertLinear("br_if chain", HostileShapeWorkTest::brIfChain);
  }

  @Test
  void nestedLoopWorkIsLinear() {
    assertLinear("nested loops", HostileShapeWorkTest::nestedLoops);
  }

  private static void assertLinear(String shape, IntFunction<RegAllocFunction> build) {
    long small = work(build.apply(SIZE));
    long large = work(build.apply(4 * SIZE));
    assertTrue(large <= 4.5 * small, shape + ": " + small + " edge reads at size " + SIZE + ", " + large
        + " at " + 4 * SIZE + " (" + String.format("%.1f", (double) large / small) + "x)");
  }

  /** The allocation's edge reads and liveness visits; the allocation is checked too. */
  private static long work(RegAllocFunction f) {
    return work(f, true);
  }

  private static long work(RegAllocFunction f, boolean check) {
    MachineEnv env = TestEnvs.x64Like();
    CountingFunction counted = new CountingFunction(f);
    RegAllocOutput out = RegAllocator.allocate(counted, env);
    if (check) {
      Checker.check(f, env, out);
    }
    BlockEdges edges = BlockEdges.of(f);
    VRegSites sites = FunctionValidator.validate(f, env, InstOperands.listed(f), edges);
    return counted.edgeReads + Liveness.compute(f, edges, sites).visits;
  }

  /**
   * {@code f}, counting each successor or predecessor entry read from it, and each question whether
   * an instruction is a move.
   */
  static final class CountingFunction implements RegAllocFunction {
    private final RegAllocFunction f;
    long edgeReads;
    long moveQuestions;

    CountingFunction(RegAllocFunction f) {
      this.f = f;
    }

    private List<Integer> counted(List<Integer> list) {
      return new AbstractList<>() {
        @Override
        public Integer get(int index) {
          edgeReads++;
          return list.get(index);
        }

        @Override
        public int size() {
          return list.size();
        }
      };
    }

    @Override
    public int numInsts() {
      return f.numInsts();
    }

    @Override
    public int numBlocks() {
      return f.numBlocks();
    }

    @Override
    public int numVRegs() {
      return f.numVRegs();
    }

    @Override
    public InstRange blockInsts(int block) {
      return f.blockInsts(block);
    }

    @Override
    public List<Integer> blockSuccs(int block) {
      return counted(f.blockSuccs(block));
    }

    @Override
    public List<Integer> blockPreds(int block) {
      return counted(f.blockPreds(block));
    }

    // No @Override: the same test compiles against an allocator without this method, to show
    // that it fails there.
    public int predEdgeIndex(int block, int predIndex) {
      edgeReads++;
      return f.predEdgeIndex(block, predIndex);
    }

    @Override
    public List<VReg> blockParams(int block) {
      return f.blockParams(block);
    }

    @Override
    public List<VReg> branchArgs(int block, int succIndex) {
      return f.branchArgs(block, succIndex);
    }

    @Override
    public boolean isReturn(int inst) {
      return f.isReturn(inst);
    }

    @Override
    public boolean isBranch(int inst) {
      return f.isBranch(inst);
    }

    @Override
    public List<Operand> instOperands(int inst) {
      return f.instOperands(inst);
    }

    @Override
    public PRegSet instClobbers(int inst) {
      return f.instClobbers(inst);
    }

    @Override
    public boolean isMove(int inst) {
      moveQuestions++;
      return f.isMove(inst);
    }
  }
}
