package dev.kiln.compiler.translate;

import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.artifact.vm.VmLayout;
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
 * <p><b>Epoch.</b> A check loads the engine's epoch through the store's {@code epoch_ptr} and the
 * store's {@code epoch_deadline}, and traps with {@code interrupt} when the epoch is not below the
 * deadline (unsigned). How the values are reached depends on whether the function calls:
 *
 * <ul>
 *   <li>A function that calls nothing runs no host code, so its deadline cannot change while it
 *       runs: the epoch pointer and the deadline are readonly loads the IR passes hoist out of its
 *       loops, and a loop iteration pays one load, one compare and one branch to the out-of-line
 *       trap. Its entry has no check: it runs
 *       straight to a loop header or its return, so code between two checks stays bounded by the
 *       program's size (Wasmtime checks every entry, which costs a small function called from a
 *       hot loop, such as {@code isalnum}, four loads per call for nothing).
 *   <li>A function that calls checks at its entry too (entries bound deep loop-free call trees),
 *       and every check reads the store-context pointer, the epoch pointer and the deadline afresh
 *       ({@link MemFlags#RUNTIME} loads, which no pass merges or hoists). Kept in registers instead
 *       (the deadline in a variable, as Wasmtime does), they live across every call and take
 *       callee-saved registers, saved and restored by every such function: the recursive {@code
 *       shootout-fib2} then spent 43% more CPU time, with four L1 loads per check 19-27%
 *       (docs/history/performance-journal.md, "Epoch interruption and fuel"). Reading the deadline
 *       afresh also sees at once a deadline a host function moved.
 *   <li>A loop header has no check when the loop's body directly calls a function that checks at
 *       its entry before any instruction that could branch ({@link #atLoopHeader}): every
 *       iteration passes that check anyway, one call later.
 * </ul>
 *
 * <p><b>Fuel.</b> The consumed count lives in an SSA variable while the function runs. The cost of
 * each operator ({@link #cost}) is summed at compile time and added to the variable where control
 * can leave straight-line code ({@code loop}, {@code if}, {@code else}, {@code end}, {@code br},
 * {@code br_if}, {@code br_table}); the variable is written to the store's {@code fuel_consumed}
 * before calls, {@code unreachable} and returns and read back after calls (the callee, or a host
 * function adding fuel, changed it), and is checked ({@code >= 0}, signed, traps) at the entry and
 * at loop headers, where a cold block writes it back before trapping {@code out of fuel}. Other
 * traps leave the stored count at its last write, as in Wasmtime. The store-context pointer the
 * count is written through is the hoisted readonly load: reading it afresh at each call, as the
 * epoch checks do, measured slower (fib2 2.2 times the CPU time against 1.96).
 */
final class InterruptChecks {
  private final ExecutionLimits limits;
  private final FuncEnvironment fenv;
  private final FunctionBuilder b;
  private final FunctionBody body;
  /**
   * With epoch interruption, whether the function calls: its entry then checks the epoch, and its
   * epoch checks read everything afresh.
   */
  private final boolean calls;
  /** The fuel-consumed variable; -1 without fuel metering. */
  private final int fuel;
  /** Cost of the operators translated since the variable was last brought up to date. */
  private long pendingFuel;

  /**
   * @param body the function's body, scanned for calls with epoch interruption
   */
  InterruptChecks(ExecutionLimits limits, FuncEnvironment fenv, FunctionBuilder b, FunctionBody body) {
    this.limits = limits;
    this.fenv = fenv;
    this.b = b;
    this.body = body;
    this.calls = limits.epochInterruption() && calls(body);
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

  /**
   * Whether a function of {@code body} checks the epoch at its entry (with epoch interruption):
   * whether it calls a function (directly, indirectly or as a tail call).
   */
  static boolean checksEpochAtEntry(FunctionBody body) {
    return calls(body);
  }

  /** Whether {@code body} calls a function (directly, indirectly or as a tail call). */
  private static boolean calls(FunctionBody body) {
    InstructionReader reader = new InstructionReader(body.source(), body.codeStart(), body.codeEnd());
    while (reader.hasNext()) {
      switch (reader.next()) {
        case CALL, CALL_INDIRECT, CALL_REF, RETURN_CALL, RETURN_CALL_INDIRECT, RETURN_CALL_REF -> {
          return true;
        }
        default -> {}
      }
    }
    return false;
  }

  /** At the start of the entry block: read and check the store's fuel, and the epoch if the function calls. */
  void atFunctionEntry() {
    if (limits.consumeFuel()) {
      reloadFuel();
      checkFuel();
    }
    if (limits.epochInterruption() && calls) {
      checkEpoch();
    }
  }

  /**
   * At the start of a loop's header block: check fuel, then the epoch, unless every iteration
   * reaches a check of a callee's entry first ({@link #callsACheckerFirst}).
   *
   * @param bodyStart where the loop's body starts in the function's code (after its block type)
   */
  void atLoopHeader(int bodyStart) {
    if (limits.consumeFuel()) {
      checkFuel();
    }
    if (limits.epochInterruption() && !callsACheckerFirst(bodyStart)) {
      checkEpoch();
    }
  }

  /**
   * Whether the loop body at {@code bodyStart} directly calls a function that checks the epoch at
   * its entry before any instruction that could branch or end the body: then every iteration
   * passes that check, one call later, and a check at the header too would only cost (the
   * recursive {@code shootout-fib2}, whose loop calls itself first thing, paid two checks of four
   * loads per call; docs/history/performance-journal.md, "Epoch interruption and fuel"). Any
   * control instruction ends the scan: past it, an iteration may branch back to the header without
   * calling.
   */
  private boolean callsACheckerFirst(int bodyStart) {
    InstructionReader reader = new InstructionReader(body.source(), bodyStart, body.codeEnd());
    while (reader.hasNext()) {
      switch (reader.next()) {
        case CALL -> {
          if (fenv.module().checksEpochAtEntry(reader.index())) {
            return true;
          }
        }
        case BLOCK, LOOP, IF, ELSE, END, BR, BR_IF, BR_TABLE, RETURN, UNREACHABLE, RETURN_CALL,
            RETURN_CALL_INDIRECT -> {
          return false;
        }
        default -> {}
      }
    }
    return false;
  }

  /** Before the code of reachable operator {@code op}: account its cost, sync where control leaves. */
  void beforeOperator(Opcode op) {
    if (!limits.consumeFuel()) {
      return;
    }
    pendingFuel += cost(op);
    switch (op) {
      // Control leaves the function's code: a callee (by index, table or reference, as a tail call
      // too) or the unwinder (a throw) reads the store's count, which must hold this function's.
      case UNREACHABLE, CALL, CALL_INDIRECT, CALL_REF, RETURN_CALL, RETURN_CALL_INDIRECT, RETURN_CALL_REF, THROW,
          THROW_REF, RETHROW -> {
        flushFuel();
        saveFuel();
      }
      // a legacy catch and delegate end the code before them as else and end do
      case LOOP, IF, ELSE, END, BR, BR_IF, BR_TABLE, CATCH, CATCH_ALL, DELEGATE -> flushFuel();
      default -> {}
    }
  }

  /** After the code of operator {@code op}: a call may have changed the store's fuel. */
  void afterOperator(Opcode op) {
    if (limits.consumeFuel() && (op == Opcode.CALL || op == Opcode.CALL_INDIRECT || op == Opcode.CALL_REF)) {
      reloadFuel();
    }
  }

  /**
   * At the start of a landing pad (a {@code try_table}'s or legacy {@code try}'s dispatch): the
   * frames the exception unwound spent fuel and saved it in the store, which the count this
   * function had before its call does not include.
   */
  void atLandingPad() {
    if (limits.consumeFuel()) {
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
    // In a function that calls, every load is a runtime one: read afresh, never kept across a call.
    int store = calls
        ? b.ins().load(dev.kiln.ir.Opcode.LOAD, Type.I64, MemFlags.RUNTIME, fenv.vmctx(), VmLayout.STORE_CONTEXT)
        : fenv.storeContext();
    MemFlags pointer = calls ? MemFlags.RUNTIME : MemFlags.VMCTX_READONLY;
    int epochPtr = b.ins().load(dev.kiln.ir.Opcode.LOAD, Type.I64, pointer, store, StoreLayout.EPOCH_PTR);
    int epoch = b.ins().load(dev.kiln.ir.Opcode.LOAD, Type.I64, MemFlags.RUNTIME, epochPtr, 0);
    // Only host code sets the deadline: in a function that calls nothing it does not change while
    // the function runs, which is what readonly promises the passes.
    MemFlags deadlineFlags = calls ? MemFlags.RUNTIME : MemFlags.VMCTX_READONLY;
    int deadline = b.ins().load(dev.kiln.ir.Opcode.LOAD, Type.I64, deadlineFlags, store, StoreLayout.EPOCH_DEADLINE);
    b.ins().trapnz(b.ins().icmp(IntCC.UGE, epoch, deadline), TrapCode.INTERRUPT);
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
