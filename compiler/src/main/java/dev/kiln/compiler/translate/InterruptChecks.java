package dev.kiln.compiler.translate;

import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.MemFlags;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.Type;
import dev.kiln.ir.builder.FunctionBuilder;
import dev.kiln.wasm.code.InstructionReader;
import dev.kiln.wasm.code.Opcode;
import dev.kiln.wasm.module.FunctionBody;

/**
 * The checks that let an embedder stop one translated function, as {@link ExecutionLimits} defines
 * them: epoch deadline and fuel, at the function's entry and at every loop header (Wasmtime's
 * {@code func_environ.rs}: {@code epoch_function_entry}, {@code fuel_function_entry}, {@code
 * translate_loop_header}). Both are plain IR, so every backend compiles them the same way.
 *
 * <p><b>Epoch.</b> The entry reads the store's {@code epoch_deadline} into an SSA variable; each
 * check loads the engine's epoch through the store's {@code epoch_ptr} and compares it (unsigned)
 * with the variable: one load, one compare and one branch to a cold block. The cold block reads
 * the deadline again, since a host function called since the entry may have moved it, traps with
 * {@code interrupt} if the epoch has reached that too, and else keeps the new deadline and goes on
 * (Wasmtime's {@code epoch_check_full}); a deadline moved closer by a callee is seen at the next
 * function entry. The epoch is runtime state ({@link MemFlags#RUNTIME}: never merged, another
 * thread increments it); the pointer is a readonly store-context field, which the IR passes hoist
 * out of loops. Only a function that calls checks at its entry: one that calls nothing runs
 * straight to a loop header or its return, so code between two checks stays bounded by the
 * program's size without it (Wasmtime checks every entry, which costs a small function called from
 * a hot loop, such as {@code isalnum}, four loads per call for nothing).
 *
 * <p><b>Fuel.</b> The consumed count lives in an SSA variable while the function runs. The cost of
 * each operator ({@link #cost}) is summed at compile time and added to the variable where control
 * can leave straight-line code ({@code loop}, {@code if}, {@code else}, {@code end}, {@code br},
 * {@code br_if}, {@code br_table}); the variable is written to the store's {@code fuel_consumed}
 * before calls, {@code unreachable} and returns and read back after calls (the callee, or a host
 * function adding fuel, changed it), and is checked ({@code >= 0}, signed, traps) at the entry and
 * at loop headers, where a cold block writes it back before trapping {@code out of fuel}. Other
 * traps leave the stored count at its last write, as in Wasmtime.
 */
final class InterruptChecks {
  private final ExecutionLimits limits;
  private final FuncEnvironment fenv;
  private final FunctionBuilder b;
  /** Whether the entry checks the epoch: with epoch interruption, in a function that calls. */
  private final boolean epochAtEntry;
  /** The epoch deadline as last read; -1 without epoch interruption. */
  private final int deadline;
  /** The fuel-consumed variable; -1 without fuel metering. */
  private final int fuel;
  /** Cost of the operators translated since the variable was last brought up to date. */
  private long pendingFuel;

  /**
   * @param body the function's body, scanned for calls when epoch interruption is on
   */
  InterruptChecks(ExecutionLimits limits, FuncEnvironment fenv, FunctionBuilder b, FunctionBody body) {
    this.limits = limits;
    this.fenv = fenv;
    this.b = b;
    this.epochAtEntry = limits.epochInterruption() && calls(body);
    this.deadline = limits.epochInterruption() ? b.declareVar(Type.I64) : -1;
    this.fuel = limits.consumeFuel() ? b.declareVar(Type.I64) : -1;
  }

  /**
   * What running operator {@code op} costs: 1, or 0 for the operators that compile to no work or
   * only end a construct (Wasmtime's default fuel cost table).
   */
  static int cost(Opcode op) {
    return switch (op) {
      case NOP, DROP, BLOCK, LOOP, UNREACHABLE, RETURN, ELSE, END -> 0;
      default -> 1;
    };
  }

  /** Whether {@code body} calls a function (directly, indirectly or as a tail call). */
  private static boolean calls(FunctionBody body) {
    InstructionReader reader = new InstructionReader(body.source(), body.codeStart(), body.codeEnd());
    while (reader.hasNext()) {
      switch (reader.next()) {
        case CALL, CALL_INDIRECT, RETURN_CALL, RETURN_CALL_INDIRECT -> {
          return true;
        }
        default -> {}
      }
    }
    return false;
  }

  /**
   * At the start of the entry block: read the store's fuel and deadline, check the fuel, and the
   * epoch if the function calls.
   */
  void atFunctionEntry() {
    if (limits.consumeFuel()) {
      reloadFuel();
      checkFuel();
    }
    if (limits.epochInterruption()) {
      int current = loadDeadline();
      b.defVar(deadline, current);
      if (epochAtEntry) {
        // The deadline was just read: no second look before trapping.
        b.ins().trapnz(b.ins().icmp(IntCC.UGE, loadEpoch(), current), TrapCode.INTERRUPT);
      }
    }
  }

  /** At the start of a loop's header block: check fuel, then the epoch. */
  void atLoopHeader() {
    if (limits.consumeFuel()) {
      checkFuel();
    }
    if (limits.epochInterruption()) {
      checkEpoch();
    }
  }

  /** Before the code of reachable operator {@code op}: account its cost, sync where control leaves. */
  void beforeOperator(Opcode op) {
    if (!limits.consumeFuel()) {
      return;
    }
    pendingFuel += cost(op);
    switch (op) {
      case UNREACHABLE, CALL, CALL_INDIRECT, RETURN_CALL, RETURN_CALL_INDIRECT -> {
        flushFuel();
        saveFuel();
      }
      case LOOP, IF, ELSE, END, BR, BR_IF, BR_TABLE -> flushFuel();
      default -> {}
    }
  }

  /** After the code of operator {@code op}: a call may have changed the store's fuel. */
  void afterOperator(Opcode op) {
    if (limits.consumeFuel() && (op == Opcode.CALL || op == Opcode.CALL_INDIRECT)) {
      reloadFuel();
    }
  }

  /** Just before a {@code return} instruction: the store gets the function's count. */
  void beforeReturn() {
    if (limits.consumeFuel()) {
      flushFuel();
      saveFuel();
    }
  }

  /**
   * The code after the operator just translated is unreachable. A branch or return already brought
   * the count up to date; a trap of its own (an access that can never be in bounds) ends the path
   * with the count at its last write, and its cost must not leak into the code that follows.
   */
  void pathEnded() {
    pendingFuel = 0;
  }

  private void checkEpoch() {
    int epoch = loadEpoch();
    int reached = b.ins().icmp(IntCC.UGE, epoch, b.useVar(deadline));
    int recheck = b.createBlock();
    int resume = b.createBlock();
    b.ins().brif(reached, recheck, resume);
    b.markCold(recheck);
    b.sealBlock(recheck);
    b.switchToBlock(recheck);
    int current = loadDeadline();
    b.ins().trapnz(b.ins().icmp(IntCC.UGE, epoch, current), TrapCode.INTERRUPT);
    b.defVar(deadline, current);
    b.ins().jump(resume);
    b.sealBlock(resume);
    b.switchToBlock(resume);
  }

  /** The engine's epoch, read through the store's {@code epoch_ptr}. */
  private int loadEpoch() {
    int epochPtr = b.ins().load(dev.kiln.ir.Opcode.LOAD, Type.I64, MemFlags.VMCTX_READONLY, fenv.storeContext(),
        StoreLayout.EPOCH_PTR);
    return b.ins().load(dev.kiln.ir.Opcode.LOAD, Type.I64, MemFlags.RUNTIME, epochPtr, 0);
  }

  /**
   * The store's deadline. Only host code sets it, that is only across a call, as a VMContext
   * field changes: the passes may reuse one read where no call lies between.
   */
  private int loadDeadline() {
    return b.ins().load(dev.kiln.ir.Opcode.LOAD, Type.I64, MemFlags.VMCTX, fenv.storeContext(),
        StoreLayout.EPOCH_DEADLINE);
  }

  private void checkFuel() {
    flushFuel();
    int consumed = b.useVar(fuel);
    int spent = b.ins().icmp(IntCC.SGE, consumed, b.ins().iconst(Type.I64, 0));
    int outOfFuel = b.createBlock();
    int resume = b.createBlock();
    b.ins().brif(spent, outOfFuel, resume);
    b.markCold(outOfFuel);
    b.sealBlock(outOfFuel);
    b.switchToBlock(outOfFuel);
    saveFuel();
    b.ins().trap(TrapCode.OUT_OF_FUEL);
    b.sealBlock(resume);
    b.switchToBlock(resume);
  }

  private void flushFuel() {
    if (pendingFuel != 0) {
      b.defVar(fuel, b.ins().iadd(b.useVar(fuel), b.ins().iconst(Type.I64, pendingFuel)));
      pendingFuel = 0;
    }
  }

  private void saveFuel() {
    b.ins().store(dev.kiln.ir.Opcode.STORE, MemFlags.RUNTIME, b.useVar(fuel), fenv.storeContext(),
        StoreLayout.FUEL_CONSUMED);
  }

  private void reloadFuel() {
    b.defVar(fuel, b.ins().load(dev.kiln.ir.Opcode.LOAD, Type.I64, MemFlags.RUNTIME, fenv.storeContext(),
        StoreLayout.FUEL_CONSUMED));
  }
}
