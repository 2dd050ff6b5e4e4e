package dev.kiln.codegen.regalloc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-verifies an allocation symbolically, without trusting the allocator's internals (regalloc2's
 * {@code checker.rs}). It runs the allocated program abstractly: the state maps each register and slot
 * to the set of vregs whose current value it holds. A move copies the set; a DEF removes its vreg from
 * every location (a loop redefines it) and puts it alone in its allocation; a clobber empties the
 * register; an edge makes every location holding a branch argument also hold the successor's
 * parameter. At a block top the states of all predecessors are intersected, iterating to a fixed point
 * around loops. The edge into a call's landing block ({@link RegAllocFunction#landingBlock}) carries
 * the state right after the call with every register emptied (the unwinder restores none, and the code
 * after the call in its block does not run on that path).
 *
 * <p>It then demands: every USE's allocation holds that vreg; every allocation meets its constraint
 * (FIXED register, REG allocatable register, STACK slot, REUSE equal to the input); no output shares
 * a location with an input still read at the LATE point (or with any input, for an EARLY output);
 * moves stay within a class, sit inside the function but never after a terminator, and touch only
 * allocatable, scratch or FIXED-named registers; slots are in range; every callee-saved register
 * written is reported.
 */
public final class Checker {
  private final RegAllocFunction f;
  private final MachineEnv env;
  private final RegAllocOutput out;
  private final Map<ProgPoint, List<Edit>> edits = new HashMap<>();
  private final PRegSet movable;
  private PRegSet written = PRegSet.EMPTY;

  private Checker(RegAllocFunction f, MachineEnv env, RegAllocOutput out) {
    this.f = f;
    this.env = env;
    this.out = out;
    PRegSet m = PRegSet.of(env.allocatable()).union(PRegSet.of(env.scratch()));
    for (int i = 0; i < f.numInsts(); i++) {
      for (Operand o : f.instOperands(i)) {
        if (o.constraint() instanceof OperandConstraint.FixedReg(PReg p)) {
          m = m.with(p);
        }
      }
    }
    movable = m;
  }

  /** Throws {@link CheckerException} naming the first instruction where the allocation is wrong. */
  public static void check(RegAllocFunction f, MachineEnv env, RegAllocOutput out) {
    new Checker(f, env, out).run();
  }

  /** Checks the allocation and returns what every location holds at each block's top. */
  private List<Map<Allocation, Set<Integer>>> run() {
    if (out.allocations().size() != f.numInsts()) {
      throw new CheckerException(-1, "allocations for " + out.allocations().size() + " of " + f.numInsts()
          + " instructions");
    }
    ProgPoint prev = null;
    for (Edit e : out.edits()) {
      if (prev != null && e.point().compareTo(prev) < 0) {
        throw new CheckerException(e.point().inst(), "edits out of order at " + e.point());
      }
      prev = e.point();
      int at = e.point().inst();
      if (at < 0 || at >= f.numInsts()) {
        throw new CheckerException(at, "edit at " + e.point() + " outside the function");
      }
      if (e.point().side() == ProgPoint.Side.AFTER && (f.isBranch(at) || f.isReturn(at))) {
        throw new CheckerException(at, "edit after a terminator never runs: " + e);
      }
      checkLocation(e.point().inst(), e.from(), "move source");
      checkLocation(e.point().inst(), e.to(), "move target");
      edits.computeIfAbsent(e.point(), k -> new ArrayList<>()).add(e);
    }
    List<Map<Allocation, Set<Integer>>> entry = blockEntryStates();
    PRegSet missing = new PRegSet(written.intBits() & env.calleeSaved().intBits()
        & ~out.calleeSavedUsed().intBits(), written.floatBits() & env.calleeSaved().floatBits()
        & ~out.calleeSavedUsed().floatBits());
    if (!missing.isEmpty()) {
      throw new CheckerException(-1, "callee-saved registers written but not reported: " + missing);
    }
    for (int i = 0; i < f.numInsts(); i++) {
      if (f.landingBlock(i) >= 0 && !env.calleeSaved().minus(out.calleeSavedUsed()).isEmpty()) {
        throw new CheckerException(i, "a function with a landing pad reports only " + out.calleeSavedUsed()
            + " of the callee-saved registers " + env.calleeSaved() + " as saved");
      }
    }
    return entry;
  }

  /** What every location holds at each block's top, iterated to the fixed point (null: unreachable). */
  private List<Map<Allocation, Set<Integer>>> blockEntryStates() {
    int n = f.numBlocks();
    List<Map<Allocation, Set<Integer>>> entry = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      entry.add(null);
    }
    entry.set(0, new HashMap<>());
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int b = 0; b < n; b++) {
        if (entry.get(b) == null) {
          continue;
        }
        Map<Allocation, Set<Integer>> state = copy(entry.get(b));
        Map<Integer, Map<Allocation, Set<Integer>>> unwound = new HashMap<>();
        InstRange r = f.blockInsts(b);
        for (int i = r.first(); i < r.end(); i++) {
          applyEdits(ProgPoint.before(i), state);
          step(i, state);
          if (f.landingBlock(i) >= 0) {
            Map<Allocation, Set<Integer>> slotsOnly = copy(state);
            slotsOnly.keySet().removeIf(a -> a instanceof PReg);
            unwound.put(f.landingBlock(i), slotsOnly);
          }
          applyEdits(ProgPoint.after(i), state);
        }
        List<Integer> succs = f.blockSuccs(b);
        for (int k = 0; k < succs.size(); k++) {
          int s = succs.get(k);
          Map<Allocation, Set<Integer>> edge = bindParams(unwound.getOrDefault(s, state), f.branchArgs(b, k),
              f.blockParams(s));
          Map<Allocation, Set<Integer>> old = entry.get(s);
          Map<Allocation, Set<Integer>> merged = old == null ? edge : intersect(old, edge);
          if (!merged.equals(old)) {
            entry.set(s, merged);
            changed = true;
          }
        }
      }
    }
    return entry;
  }

  /**
   * How many of the allocation's spill stores write a value into a slot that already holds it on
   * every path there: moves from a register into a slot whose vregs include all the register's. For
   * tests of the allocator's store placement; {@link #check} must pass first.
   */
  static int redundantSpillStores(RegAllocFunction f, MachineEnv env, RegAllocOutput out) {
    Checker checker = new Checker(f, env, out);
    List<Map<Allocation, Set<Integer>>> entry = checker.run();
    int redundant = 0;
    for (int b = 0; b < f.numBlocks(); b++) {
      if (entry.get(b) == null) {
        continue;
      }
      Map<Allocation, Set<Integer>> state = copy(entry.get(b));
      InstRange r = f.blockInsts(b);
      for (int i = r.first(); i < r.end(); i++) {
        redundant += checker.applyEdits(ProgPoint.before(i), state);
        checker.step(i, state);
        redundant += checker.applyEdits(ProgPoint.after(i), state);
      }
    }
    return redundant;
  }

  private void checkLocation(int inst, Allocation a, String what) {
    switch (a) {
      case PReg p -> {
        if (!movable.contains(p)) {
          throw new CheckerException(inst, what + " " + p + " is neither allocatable, scratch nor fixed");
        }
      }
      case SpillSlot s -> {
        if (s.index() >= out.spillSlots(s.regClass())) {
          throw new CheckerException(inst, what + " " + s + " is beyond the " + out.spillSlots(s.regClass())
              + " slots reported");
        }
      }
    }
  }

  /**
   * Applies the moves at {@code point} to {@code state}; returns how many were spill stores whose
   * slot already held what their register holds ({@link #redundantSpillStores}).
   */
  private int applyEdits(ProgPoint point, Map<Allocation, Set<Integer>> state) {
    int redundant = 0;
    for (Edit e : edits.getOrDefault(point, List.of())) {
      Set<Integer> moved = state.getOrDefault(e.from(), Set.of());
      if (e.from() instanceof PReg && e.to() instanceof SpillSlot && !moved.isEmpty()
          && state.getOrDefault(e.to(), Set.of()).containsAll(moved)) {
        redundant++;
      }
      state.put(e.to(), moved);
      if (e.to() instanceof PReg p) {
        written = written.with(p);
      }
    }
    return redundant;
  }

  private void step(int i, Map<Allocation, Set<Integer>> state) {
    List<Operand> ops = f.instOperands(i);
    List<Allocation> allocs = out.allocations(i);
    if (allocs.size() != ops.size()) {
      throw new CheckerException(i, allocs.size() + " allocations for " + ops.size() + " operands");
    }
    for (int k = 0; k < ops.size(); k++) {
      Operand o = ops.get(k);
      Allocation a = allocs.get(k);
      checkLocation(i, a, "operand " + k);
      if (a.regClass() != o.vreg().regClass()) {
        throw new CheckerException(i, "operand " + k + " (" + o + ") allocated to " + a + " of another class");
      }
      boolean ok = switch (o.constraint()) {
        case OperandConstraint.FixedReg(PReg p) -> a.equals(p);
        case OperandConstraint.Reg() -> a instanceof PReg p && env.isAllocatable(p);
        case OperandConstraint.Stack() -> a instanceof SpillSlot;
        case OperandConstraint.Any() -> a instanceof SpillSlot || env.isAllocatable((PReg) a);
        case OperandConstraint.Reuse(int u) -> a instanceof PReg && a.equals(allocs.get(u));
      };
      if (!ok) {
        throw new CheckerException(i, "operand " + k + " (" + o + ") allocated to " + a
            + ", which breaks its constraint");
      }
      if (o.kind() == OperandKind.USE && !state.getOrDefault(a, Set.of()).contains(o.vreg().index())) {
        throw new CheckerException(i, "operand " + k + " reads " + o.vreg() + " from " + a + ", which holds "
            + names(state.getOrDefault(a, Set.of())));
      }
    }
    Set<Allocation> defined = new HashSet<>();
    for (int k = 0; k < ops.size(); k++) {
      Operand d = ops.get(k);
      if (d.kind() != OperandKind.DEF) {
        continue;
      }
      Allocation a = allocs.get(k);
      if (!defined.add(a)) {
        throw new CheckerException(i, "two outputs written to " + a);
      }
      boolean reuse = d.constraint() instanceof OperandConstraint.Reuse;
      boolean early = d.pos() == OperandPos.EARLY && !reuse;
      for (int u = 0; u < ops.size(); u++) {
        Operand use = ops.get(u);
        if (use.kind() == OperandKind.USE && allocs.get(u).equals(a)
            && (early || use.pos() == OperandPos.LATE)) {
          throw new CheckerException(i, "output " + d.vreg() + " in " + a + " overwrites input " + use.vreg()
              + " still being read");
        }
      }
    }
    for (PReg c : f.instClobbers(i).toList()) {
      state.remove(c);
    }
    for (int k = 0; k < ops.size(); k++) {
      Operand d = ops.get(k);
      if (d.kind() == OperandKind.DEF) {
        define(state, d.vreg().index(), allocs.get(k));
        if (allocs.get(k) instanceof PReg p) {
          written = written.with(p);
        }
      }
    }
  }

  private static void define(Map<Allocation, Set<Integer>> state, int vreg, Allocation a) {
    for (Map.Entry<Allocation, Set<Integer>> e : state.entrySet()) {
      if (e.getValue().contains(vreg)) {
        Set<Integer> s = new HashSet<>(e.getValue());
        s.remove(vreg);
        e.setValue(Set.copyOf(s));
      }
    }
    state.put(a, Set.of(vreg));
  }

  private static Map<Allocation, Set<Integer>> bindParams(Map<Allocation, Set<Integer>> state,
      List<VReg> args, List<VReg> params) {
    Map<Allocation, Set<Integer>> next = new HashMap<>();
    for (Map.Entry<Allocation, Set<Integer>> e : state.entrySet()) {
      Set<Integer> s = new HashSet<>(e.getValue());
      for (VReg p : params) {
        s.remove(p.index());
      }
      for (int j = 0; j < args.size(); j++) {
        if (e.getValue().contains(args.get(j).index())) {
          s.add(params.get(j).index());
        }
      }
      if (!s.isEmpty()) {
        next.put(e.getKey(), Set.copyOf(s));
      }
    }
    return next;
  }

  private static Map<Allocation, Set<Integer>> intersect(Map<Allocation, Set<Integer>> a,
      Map<Allocation, Set<Integer>> b) {
    Map<Allocation, Set<Integer>> out = new HashMap<>();
    for (Map.Entry<Allocation, Set<Integer>> e : a.entrySet()) {
      Set<Integer> other = b.get(e.getKey());
      if (other == null) {
        continue;
      }
      Set<Integer> s = new HashSet<>(e.getValue());
      s.retainAll(other);
      if (!s.isEmpty()) {
        out.put(e.getKey(), Set.copyOf(s));
      }
    }
    return out;
  }

  private static Map<Allocation, Set<Integer>> copy(Map<Allocation, Set<Integer>> m) {
    return new HashMap<>(m);
  }

  private static String names(Set<Integer> vregs) {
    return vregs.isEmpty() ? "nothing" : vregs.stream().sorted().map(v -> "v" + v).toList().toString();
  }
}
