package dev.kiln.codegen.regalloc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes the allocator's moves whose destination already holds the value, and reads a reload's
 * value from a register that holds it instead of from the slot (regalloc2's redundant move
 * eliminator, {@code ion/redundant_moves.rs}, over a whole block). Resolution places each
 * piece's moves independently, so a value stored into its slot is often reloaded into the same
 * register in the same gap (a REUSE input split there: {@code movq %r12, (%rsp); movq (%rsp), %r12}),
 * or a slot is written through the scratch register and then read back into another register.
 *
 * <p>One forward walk per block tracks which locations hold the same value: a move makes its
 * destination equal to its source; an instruction gives each location it defines a new value, and
 * forgets every register it clobbers and the scratch registers (an emitter may use them inside an
 * instruction). A block starts knowing nothing. A lowering copy ({@link RegAllocFunction#isMove})
 * counts as a new value although its output equals its input, and no state crosses a block boundary,
 * because the {@link Checker}, which re-verifies the result like any allocation, tracks vregs
 * symbolically: to it a copy's output and a block parameter are other values than their sources.
 * Spill slots are compared by what they hold, so slots shared between vregs need no special case.
 */
final class RedundantMoves {
  private final RegAllocFunction f;
  private final MachineEnv env;
  private final Map<Allocation, Integer> valueIn = new HashMap<>();
  private int nextValue;

  private RedundantMoves(RegAllocFunction f, MachineEnv env) {
    this.f = f;
    this.env = env;
  }

  /** {@code edits} (sorted by point) without the redundant moves, reloads rerouted from registers. */
  static List<Edit> remove(RegAllocFunction f, MachineEnv env, List<List<Allocation>> allocations,
      List<Edit> edits) {
    return new RedundantMoves(f, env).walk(allocations, edits);
  }

  private List<Edit> walk(List<List<Allocation>> allocations, List<Edit> edits) {
    List<Edit> kept = new ArrayList<>(edits.size());
    int e = 0;
    for (int b = 0; b < f.numBlocks(); b++) {
      valueIn.clear();
      InstRange r = f.blockInsts(b);
      for (int i = r.first(); i < r.end(); i++) {
        while (e < edits.size() && edits.get(e).point().isAtOrBefore(i, ProgPoint.Side.BEFORE)) {
          move(edits.get(e++), kept);
        }
        instruction(i, allocations.get(i));
        while (e < edits.size() && edits.get(e).point().isAtOrBefore(i, ProgPoint.Side.AFTER)) {
          move(edits.get(e++), kept);
        }
      }
    }
    while (e < edits.size()) {
      kept.add(edits.get(e++));
    }
    return kept;
  }

  private int valueOf(Allocation a) {
    Integer v = valueIn.get(a);
    if (v == null) {
      v = nextValue++;
      valueIn.put(a, v);
    }
    return v;
  }

  private void move(Edit edit, List<Edit> kept) {
    int value = valueOf(edit.from());
    Integer there = valueIn.get(edit.to());
    if (there != null && there == value) {
      return;
    }
    Allocation from = edit.from();
    if (from instanceof SpillSlot && edit.to() instanceof PReg) {
      PReg holder = registerHolding(value, from.regClass());
      if (holder != null) {
        from = holder;
      }
    }
    kept.add(from == edit.from() ? edit : new Edit(edit.point(), from, edit.to()));
    valueIn.put(edit.to(), value);
  }

  private PReg registerHolding(int value, RegClass c) {
    for (Map.Entry<Allocation, Integer> en : valueIn.entrySet()) {
      if (en.getValue() == value && en.getKey() instanceof PReg p && p.regClass() == c) {
        return p;
      }
    }
    return null;
  }

  private void instruction(int i, List<Allocation> allocs) {
    List<Operand> ops = f.instOperands(i);
    PRegSet clobbers = f.instClobbers(i);
    if (!clobbers.isEmpty()) {
      valueIn.keySet().removeIf(a -> a instanceof PReg p && clobbers.contains(p));
    }
    for (PReg s : env.scratch()) {
      valueIn.remove(s);
    }
    for (int k = 0; k < ops.size(); k++) {
      if (ops.get(k).kind() == OperandKind.DEF) {
        valueIn.put(allocs.get(k), nextValue++);
      }
    }
  }
}
