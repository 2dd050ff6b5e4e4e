package dev.kiln.codegen.regalloc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Executes a {@link RegAllocFunction} with made-up semantics, once on vregs and once on the allocated
 * registers and slots with the edits, and records every value read. Each output is a hash of the
 * instruction, the output's index and the inputs; a branch picks its successor from its first input; a
 * clobber fills the register with garbage; a location never written reads as garbage. If the
 * allocation is right, both runs read the same values in the same order.
 */
final class Interpreter {
  private static final int FUEL = 400;

  private Interpreter() {}

  static long mix(long h, long v) {
    long x = (h ^ v) * 0x9E3779B97F4A7C15L;
    return x ^ (x >>> 29);
  }

  private static long output(int inst, int index, List<Long> inputs) {
    long h = mix(inst, index + 1000);
    for (long v : inputs) {
      h = mix(h, v);
    }
    return h;
  }

  /** The values read, running on vregs. */
  static List<Long> runVirtual(RegAllocFunction f) {
    Map<Integer, Long> vals = new HashMap<>();
    List<Long> trace = new ArrayList<>();
    int block = 0;
    int fuel = FUEL;
    while (fuel-- > 0) {
      InstRange r = f.blockInsts(block);
      int next = -1;
      for (int i = r.first(); i < r.end(); i++) {
        List<Operand> ops = f.instOperands(i);
        List<Long> early = new ArrayList<>();
        List<Long> all = new ArrayList<>();
        for (Operand o : ops) {
          if (o.kind() == OperandKind.USE) {
            long v = vals.get(o.vreg().index());
            trace.add(v);
            all.add(v);
            if (o.pos() == OperandPos.EARLY) {
              early.add(v);
            }
          }
        }
        for (int k = 0; k < ops.size(); k++) {
          Operand o = ops.get(k);
          if (o.kind() == OperandKind.DEF) {
            vals.put(o.vreg().index(), output(i, k, isEarly(o) ? early : all));
          }
        }
        if (i == r.last()) {
          next = successor(f, block, all);
        }
      }
      if (next < 0) {
        return trace;
      }
      List<VReg> args = f.branchArgs(block, f.blockSuccs(block).indexOf(next));
      List<Long> passed = new ArrayList<>();
      for (VReg a : args) {
        passed.add(vals.get(a.index()));
      }
      List<VReg> params = f.blockParams(next);
      for (int j = 0; j < params.size(); j++) {
        vals.put(params.get(j).index(), passed.get(j));
      }
      block = next;
    }
    return trace;
  }

  /** The values read, running on the allocation. */
  static List<Long> runAllocated(RegAllocFunction f, RegAllocOutput out, long garbageSeed) {
    SplittableRandom garbage = new SplittableRandom(garbageSeed);
    Map<Allocation, Long> loc = new HashMap<>();
    Map<ProgPoint, List<Edit>> edits = new HashMap<>();
    for (Edit e : out.edits()) {
      edits.computeIfAbsent(e.point(), k -> new ArrayList<>()).add(e);
    }
    List<Long> trace = new ArrayList<>();
    int block = 0;
    int fuel = FUEL;
    while (fuel-- > 0) {
      InstRange r = f.blockInsts(block);
      int next = -1;
      for (int i = r.first(); i < r.end(); i++) {
        move(edits.get(ProgPoint.before(i)), loc, garbage);
        List<Operand> ops = f.instOperands(i);
        List<Allocation> allocs = out.allocations(i);
        List<Long> early = new ArrayList<>();
        List<Long> all = new ArrayList<>();
        for (int k = 0; k < ops.size(); k++) {
          Operand o = ops.get(k);
          if (o.kind() == OperandKind.USE) {
            long v = read(loc, allocs.get(k), garbage);
            trace.add(v);
            all.add(v);
            if (o.pos() == OperandPos.EARLY) {
              early.add(v);
            }
          }
        }
        for (PReg c : f.instClobbers(i).toList()) {
          loc.put(c, garbage.nextLong());
        }
        for (int k = 0; k < ops.size(); k++) {
          Operand o = ops.get(k);
          if (o.kind() == OperandKind.DEF) {
            loc.put(allocs.get(k), output(i, k, isEarly(o) ? early : all));
          }
        }
        if (i == r.last()) {
          next = successor(f, block, all);
        }
        move(edits.get(ProgPoint.after(i)), loc, garbage);
      }
      if (next < 0) {
        return trace;
      }
      block = next;
    }
    return trace;
  }

  private static boolean isEarly(Operand def) {
    return def.pos() == OperandPos.EARLY && !(def.constraint() instanceof OperandConstraint.Reuse);
  }

  private static int successor(RegAllocFunction f, int block, List<Long> inputs) {
    List<Integer> succs = f.blockSuccs(block);
    if (succs.isEmpty()) {
      return -1;
    }
    long sel = inputs.isEmpty() ? 0 : inputs.getFirst();
    return succs.get((int) Long.remainderUnsigned(sel, succs.size()));
  }

  private static void move(List<Edit> edits, Map<Allocation, Long> loc, SplittableRandom garbage) {
    if (edits != null) {
      for (Edit e : edits) {
        loc.put(e.to(), read(loc, e.from(), garbage));
      }
    }
  }

  private static long read(Map<Allocation, Long> loc, Allocation a, SplittableRandom garbage) {
    Long v = loc.get(a);
    return v != null ? v : garbage.nextLong();
  }
}
