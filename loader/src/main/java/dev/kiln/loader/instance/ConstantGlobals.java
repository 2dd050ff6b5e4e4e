package dev.kiln.loader.instance;

import dev.kiln.artifact.info.ConstExpr;
import dev.kiln.artifact.info.ConstInstr;
import dev.kiln.artifact.info.Global;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.module.LoadedModule;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A module's defined globals as every instance starts them, where that is known without the
 * instance (issue 41): the slots ({@link VmLayout#GLOBAL_SIZE} bytes each, low then high half) of
 * the globals whose initialisers read nothing (numbers, {@code v128.const}, {@code ref.null} and
 * extended-const arithmetic), laid out once per module and copied into each VMContext in one move
 * ({@link #writeInto}). The others (a {@code global.get}, a {@code ref.func}, an allocation) are
 * zeros in the block and evaluated per instance afterwards, in index order, as before: one that
 * reads an earlier global finds it written by then, constant or not. A program with two hundred
 * globals costs an instance one copy instead of two hundred evaluations and offset lookups.
 */
final class ConstantGlobals {
  /** Two longs per defined global. */
  private final long[] slots;
  /** The defined globals evaluated per instance, ascending. */
  private final int[] evaluated;

  private ConstantGlobals(long[] slots, int[] evaluated) {
    this.slots = slots;
    this.evaluated = evaluated;
  }

  /** {@code module}'s block, made at its first instantiation (ticking {@code deadline} once per global). */
  static ConstantGlobals of(LoadedModule module, InstantiationDeadline deadline) {
    return module.derived(ConstantGlobals.class, m -> make(m.info().globals(), deadline));
  }

  private static ConstantGlobals make(List<Global> globals, InstantiationDeadline deadline) {
    ConstExprEvaluator constants = new ConstExprEvaluator(unused -> 0, unused -> 0, unused -> 0,
        ConstExprEvaluator.NO_OBJECTS);
    long[] slots = new long[2 * globals.size()];
    int[] evaluated = new int[globals.size()];
    int count = 0;
    for (int g = 0; g < globals.size(); g++) {
      deadline.tick();
      ConstExpr init = globals.get(g).init();
      if (readsNothing(init)) {
        slots[2 * g] = constants.evaluate(init);
        slots[2 * g + 1] = constants.high(init);
      } else {
        evaluated[count++] = g;
      }
    }
    InstantiationWork.CONSTANT_GLOBALS_MADE.increment();
    return new ConstantGlobals(slots, java.util.Arrays.copyOf(evaluated, count));
  }

  /** Whether {@code expr}'s value is the same in every instance: no global, function or allocation in it. */
  private static boolean readsNothing(ConstExpr expr) {
    for (ConstInstr instr : expr.instructions()) {
      boolean constant = instr instanceof ConstInstr.I32Const || instr instanceof ConstInstr.I64Const
          || instr instanceof ConstInstr.F32Const || instr instanceof ConstInstr.F64Const
          || instr instanceof ConstInstr.V128Const || instr instanceof ConstInstr.RefNull
          || instr instanceof ConstInstr.Binary;
      if (!constant) {
        return false;
      }
    }
    return true;
  }

  /**
   * Copies the block over the defined globals' slots of {@code vmctx} (the first at {@code
   * start}), ticking {@code deadline} once per global.
   */
  void writeInto(MemorySegment vmctx, long start, InstantiationDeadline deadline) {
    if (slots.length == 0) {
      return;
    }
    deadline.tick(slots.length / 2);
    MemorySegment.copy(MemorySegment.ofArray(slots), 0, vmctx, start, (long) slots.length * Long.BYTES);
  }

  /** The defined globals whose initialisers each instance evaluates, ascending. */
  int[] evaluated() {
    return evaluated;
  }
}
