package dev.kiln.codegen.regalloc;

import dev.kiln.codegen.vcode.VCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Seeded generator of valid {@link RegAllocFunction}s: a random CFG with forward and backward edges
 * (loops), critical edges split the way a lowering must, SSA values defined in dominators, block
 * parameters, and instructions with random operand kinds, positions and constraints, calls that clobber
 * the caller-saved registers, and two-address (REUSE) outputs. Register demand per instruction stays
 * within the registers of each class so every function is allocatable.
 */
final class RandomFunctions {
  private final SplittableRandom rnd;
  private final MachineEnv env;
  private final PRegSet callerSaved;
  private final FunctionBuilder fb = new FunctionBuilder();

  private RandomFunctions(long seed, MachineEnv env) {
    this.rnd = new SplittableRandom(seed);
    this.env = env;
    this.callerSaved = TestEnvs.callerSaved(env);
  }

  static RegAllocFunction generate(long seed, MachineEnv env) {
    return new RandomFunctions(seed, env).build();
  }

  private RegAllocFunction build() {
    int n = 1 + rnd.nextInt(9);
    List<List<Integer>> succs = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      List<Integer> s = new ArrayList<>();
      if (b < n - 1) {
        s.add(b + 1);
        if (rnd.nextInt(10) < 6 && n > 2) {
          int other = 1 + rnd.nextInt(n - 1);
          if (other != b + 1) {
            if (rnd.nextBoolean()) {
              s.add(other);
            } else {
              s.addFirst(other);
            }
          }
        }
      }
      succs.add(s);
    }
    // Split critical edges with jump blocks appended at the end (block order is free).
    int[] predCount = new int[n];
    for (List<Integer> s : succs) {
      for (int t : s) {
        predCount[t]++;
      }
    }
    int total = n;
    List<Integer> edgeTarget = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      List<Integer> s = succs.get(b);
      if (s.size() > 1) {
        for (int k = 0; k < s.size(); k++) {
          if (predCount[s.get(k)] > 1) {
            edgeTarget.add(s.get(k));
            s.set(k, total++);
          }
        }
      }
    }
    for (int t : edgeTarget) {
      succs.add(new ArrayList<>(List.of(t)));
    }
    List<List<Integer>> preds = new ArrayList<>();
    for (int b = 0; b < total; b++) {
      preds.add(new ArrayList<>());
    }
    for (int b = 0; b < total; b++) {
      for (int t : succs.get(b)) {
        preds.get(t).add(b);
      }
    }
    int[] idom = dominators(total, succs, preds);
    for (int b = 0; b < total; b++) {
      fb.newBlock();
    }
    List<List<VReg>> params = new ArrayList<>();
    for (int b = 0; b < total; b++) {
      List<VReg> ps = new ArrayList<>();
      if (b > 0 && b < n) {
        int count = rnd.nextInt(4);
        for (int j = 0; j < count; j++) {
          ps.add(fb.newVReg(randomClass()));
        }
      }
      params.add(ps);
    }
    // Values available at the end of each block, computed in dominator-tree preorder.
    List<List<VReg>> availEnd = new ArrayList<>();
    for (int b = 0; b < total; b++) {
      availEnd.add(null);
    }
    // Generate contents in an order where idom comes first; record instruction plans, emit later.
    List<List<Runnable>> emit = new ArrayList<>();
    for (int b = 0; b < total; b++) {
      emit.add(new ArrayList<>());
    }
    boolean[] done = new boolean[total];
    int remaining = total;
    while (remaining > 0) {
      for (int b = 0; b < total; b++) {
        if (done[b] || (b != 0 && !done[idom[b]])) {
          continue;
        }
        List<VReg> avail = new ArrayList<>(b == 0 ? List.of() : availEnd.get(idom[b]));
        avail.addAll(params.get(b));
        planBody(b, avail, emit.get(b));
        availEnd.set(b, avail);
        done[b] = true;
        remaining--;
      }
    }
    for (int b = 0; b < total; b++) {
      fb.startBlock(b, params.get(b));
      for (Runnable r : emit.get(b)) {
        r.run();
      }
      List<Integer> s = succs.get(b);
      List<VReg> avail = availEnd.get(b);
      List<VCode.Target> targets = new ArrayList<>();
      for (int t : s) {
        List<VReg> args = new ArrayList<>();
        for (VReg p : params.get(t)) {
          VReg a = pick(avail, p.regClass());
          if (a == null) {
            a = fb.newVReg(p.regClass());
            fb.inst("const", List.of(Operand.def(a, OperandConstraint.ANY)));
            avail.add(a);
          }
          args.add(a);
        }
        targets.add(new VCode.Target(t, args));
      }
      if (s.isEmpty()) {
        List<Operand> rets = new ArrayList<>();
        Set<PReg> usedFixed = new HashSet<>();
        for (int k = rnd.nextInt(3); k > 0; k--) {
          VReg v = pick(avail, randomClass());
          if (v != null) {
            rets.add(Operand.use(v, fixedOrAny(v.regClass(), usedFixed)));
          }
        }
        fb.ret(rets);
      } else if (s.size() == 1) {
        fb.branch("jump", List.of(), targets);
      } else {
        VReg cond = pick(avail, RegClass.INT);
        List<Operand> ops = cond == null ? List.of()
            : List.of(Operand.use(cond, rnd.nextBoolean() ? OperandConstraint.REG : OperandConstraint.ANY));
        fb.branch("br", ops, targets);
      }
    }
    return fb.build();
  }

  private RegClass randomClass() {
    return rnd.nextInt(4) == 0 ? RegClass.FLOAT : RegClass.INT;
  }

  private VReg pick(List<VReg> avail, RegClass c) {
    List<VReg> ofClass = avail.stream().filter(v -> v.regClass() == c).toList();
    if (ofClass.isEmpty()) {
      return null;
    }
    // Prefer recent values, but reach back far enough to keep long ranges alive.
    int k = rnd.nextInt(3) == 0 ? rnd.nextInt(ofClass.size())
        : Math.max(0, ofClass.size() - 1 - rnd.nextInt(Math.min(4, ofClass.size())));
    return ofClass.get(k);
  }

  private OperandConstraint fixedOrAny(RegClass c, Set<PReg> usedFixed) {
    List<PReg> regs = env.allocatable(c);
    // Now and then a register the allocator does not hand out (an ABI register outside its set).
    PReg p = rnd.nextInt(8) == 0 ? new PReg(c, 20) : regs.get(rnd.nextInt(regs.size()));
    if (usedFixed.add(p)) {
      return OperandConstraint.fixed(p);
    }
    return OperandConstraint.ANY;
  }

  private void planBody(int block, List<VReg> avail, List<Runnable> emit) {
    if (block == 0) {
      List<Operand> defs = new ArrayList<>();
      Set<PReg> fixed = new HashSet<>();
      for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
        VReg v = fb.newVReg(randomClass());
        PReg p = env.allocatable(v.regClass()).get(rnd.nextInt(env.allocatable(v.regClass()).size()));
        if (fixed.add(p)) {
          defs.add(Operand.def(v, OperandConstraint.fixed(p)));
          avail.add(v);
        }
      }
      emit.add(() -> fb.inst("args", defs));
    }
    for (int count = rnd.nextInt(7); count > 0; count--) {
      int kind = rnd.nextInt(10);
      if (kind == 0) {
        planCall(avail, emit);
      } else if (kind == 1) {
        VReg src = pick(avail, randomClass());
        if (src != null) {
          VReg dst = fb.newVReg(src.regClass());
          emit.add(() -> fb.move(dst, src));
          avail.add(dst);
        }
      } else {
        planAlu(avail, emit);
      }
    }
  }

  private void planCall(List<VReg> avail, List<Runnable> emit) {
    List<Operand> ops = new ArrayList<>();
    Set<PReg> fixedUses = new HashSet<>();
    for (int k = rnd.nextInt(4); k > 0; k--) {
      VReg v = pick(avail, randomClass());
      if (v == null) {
        continue;
      }
      OperandConstraint c = fixedOrAny(v.regClass(), fixedUses);
      if (c instanceof OperandConstraint.Any && rnd.nextBoolean()) {
        c = OperandConstraint.STACK;
      }
      ops.add(Operand.use(v, c));
    }
    List<VReg> results = new ArrayList<>();
    Set<PReg> fixedDefs = new HashSet<>();
    for (int k = rnd.nextInt(3); k > 0; k--) {
      VReg r = fb.newVReg(randomClass());
      OperandConstraint c = fixedOrAny(r.regClass(), fixedDefs);
      if (c instanceof OperandConstraint.FixedReg) {
        ops.add(Operand.def(r, c));
        results.add(r);
      }
    }
    PRegSet clobbers = callerSaved;
    emit.add(() -> fb.inst("call", ops, clobbers));
    avail.addAll(results);
  }

  private void planAlu(List<VReg> avail, List<Runnable> emit) {
    List<Operand> ops = new ArrayList<>();
    int[] regDemand = new int[RegClass.values().length];
    Set<PReg> fixedUses = new HashSet<>();
    // A register read at the LATE point cannot also receive an output: outputs avoid these.
    Set<PReg> fixedDefs = new HashSet<>();
    for (int k = rnd.nextInt(4); k > 0; k--) {
      VReg v = pick(avail, randomClass());
      if (v == null) {
        continue;
      }
      OperandConstraint c = switch (rnd.nextInt(6)) {
        case 0, 1 -> OperandConstraint.REG;
        case 2 -> OperandConstraint.STACK;
        case 3 -> fixedOrAny(v.regClass(), fixedUses);
        default -> OperandConstraint.ANY;
      };
      if (needsRegister(c) && !budget(regDemand, v.regClass())) {
        c = OperandConstraint.ANY;
      }
      boolean late = rnd.nextInt(5) == 0;
      if (late && c instanceof OperandConstraint.FixedReg(PReg p)) {
        fixedDefs.add(p);
      }
      ops.add(late ? Operand.lateUse(v, c) : Operand.use(v, c));
    }
    List<VReg> defs = new ArrayList<>();
    Set<Integer> reused = new HashSet<>();
    for (int k = rnd.nextInt(3); k > 0; k--) {
      VReg d = fb.newVReg(randomClass());
      OperandConstraint c = switch (rnd.nextInt(6)) {
        case 0, 1 -> OperandConstraint.REG;
        case 2 -> reuseTarget(ops, d.regClass(), reused);
        case 3 -> fixedOrAny(d.regClass(), fixedDefs);
        case 4 -> OperandConstraint.STACK;
        default -> OperandConstraint.ANY;
      };
      if (c == null || (needsRegister(c) && !budget(regDemand, d.regClass()))) {
        c = OperandConstraint.ANY;
      }
      // An EARLY output must not share a register with any input: no fixed early outputs here.
      boolean early = rnd.nextInt(6) == 0 && !(c instanceof OperandConstraint.Reuse)
          && !(c instanceof OperandConstraint.FixedReg);
      ops.add(early ? Operand.earlyDef(d, c) : Operand.def(d, c));
      defs.add(d);
    }
    emit.add(() -> fb.inst("op", ops));
    avail.addAll(defs);
  }

  private static boolean needsRegister(OperandConstraint c) {
    return c instanceof OperandConstraint.Reg || c instanceof OperandConstraint.FixedReg
        || c instanceof OperandConstraint.Reuse;
  }

  /** Counts one more register operand of class {@code c}; false when the class would run out. */
  private boolean budget(int[] demand, RegClass c) {
    if (demand[c.ordinal()] >= env.allocatable(c).size()) {
      return false;
    }
    demand[c.ordinal()]++;
    return true;
  }

  private OperandConstraint reuseTarget(List<Operand> ops, RegClass c, Set<Integer> reused) {
    for (int u = 0; u < ops.size(); u++) {
      Operand o = ops.get(u);
      if (o.kind() == OperandKind.USE && o.pos() == OperandPos.EARLY && o.vreg().regClass() == c
          && (o.constraint() instanceof OperandConstraint.Reg || o.constraint() instanceof OperandConstraint.Any)
          && reused.add(u)) {
        return OperandConstraint.reuse(u);
      }
    }
    return null;
  }

  /** Immediate dominators by the Cooper-Harvey-Kennedy iteration over reverse postorder. */
  private static int[] dominators(int n, List<List<Integer>> succs, List<List<Integer>> preds) {
    int[] order = new int[n];
    int[] rpoIndex = new int[n];
    Arrays.fill(rpoIndex, -1);
    boolean[] seen = new boolean[n];
    List<Integer> post = new ArrayList<>();
    postorder(0, succs, seen, post);
    for (int k = 0; k < post.size(); k++) {
      order[k] = post.get(post.size() - 1 - k);
      rpoIndex[order[k]] = k;
    }
    int[] idom = new int[n];
    Arrays.fill(idom, -1);
    idom[0] = 0;
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int k = 1; k < post.size(); k++) {
        int b = order[k];
        int newIdom = -1;
        for (int p : preds.get(b)) {
          if (idom[p] < 0) {
            continue;
          }
          newIdom = newIdom < 0 ? p : intersect(p, newIdom, idom, rpoIndex);
        }
        if (newIdom != idom[b]) {
          idom[b] = newIdom;
          changed = true;
        }
      }
    }
    return idom;
  }

  private static int intersect(int a, int b, int[] idom, int[] rpoIndex) {
    while (a != b) {
      while (rpoIndex[a] > rpoIndex[b]) {
        a = idom[a];
      }
      while (rpoIndex[b] > rpoIndex[a]) {
        b = idom[b];
      }
    }
    return a;
  }

  private static void postorder(int b, List<List<Integer>> succs, boolean[] seen, List<Integer> out) {
    seen[b] = true;
    for (int s : succs.get(b)) {
      if (!seen[s]) {
        postorder(s, succs, seen, out);
      }
    }
    out.add(b);
  }
}
