package dev.kiln.codegen.aarch64.abi;

import static dev.kiln.codegen.aarch64.abi.Asm.asm;

import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.aarch64.asm.Cond;
import dev.kiln.codegen.aarch64.asm.Form;
import dev.kiln.codegen.aarch64.asm.FpReg;
import dev.kiln.codegen.aarch64.asm.Gpr;
import dev.kiln.codegen.aarch64.asm.MoveWideImm;
import dev.kiln.codegen.aarch64.asm.PairOffset;
import dev.kiln.codegen.aarch64.asm.Target;
import dev.kiln.codegen.abi.CallLayout;
import dev.kiln.codegen.abi.ValueLocation;
import dev.kiln.codegen.abi.WasmCallAssignment;
import dev.kiln.ir.Type;
import java.util.List;

/**
 * Generates the ARRAY_TO_WASM trampoline of one signature: the host's way into wasm. Its C signature
 * (AAPCS64) is {@code bool f(void* callee_vmctx, void* caller_vmctx, ValRaw* values, size_t len)};
 * {@code values} holds the arguments on entry and the results on return, 16 bytes per value,
 * little-endian. It returns 1 in w0, or 0 from {@link TrapStub} when the call trapped.
 *
 * <p>Its frame is the same for every signature, because the trap stub unwinds into it without
 * knowing which one it is:
 *
 * <pre>
 *   x29 + 8     x30, return address into the host
 *   x29 + 0     host x29                     &lt;- x29
 *   x29 - 80    x19..x28, five pairs (AAPCS64 6.1.1: the host expects them preserved)
 *   x29 - 96    previous entry_sp, previous entry_fp
 *   x29 - 112   previous stack_limit, (unused)   &lt;- entry_sp points here (16-aligned)
 *   ...         return area, then stack arguments at sp + 0 (the callee pops them)
 * </pre>
 *
 * <p>While wasm runs, x19 holds the store context and x20 the values pointer; both are callee-saved
 * under {@link WasmCallConv}, so they survive the call. x9-x11 are caller-saved and free here.
 */
public final class ArrayToWasmTrampoline {
  private ArrayToWasmTrampoline() {}

  /** Callee-saved registers the entry saves after the frame record, in pairs, in this order. */
  public static final List<Gpr> SAVED = WasmCallConv.CALLEE_SAVED;
  /** x29-relative offset entry_sp points at: below the saved registers and the saved fields. */
  public static final int ENTRY_SP_FROM_FP = -(8 * SAVED.size() + 32);

  private static final Gpr STORE = Gpr.X19;
  private static final Gpr VALUES = Gpr.X20;

  /**
   * Emits the trampoline for a callee with wasm {@code params} and {@code results}, calling {@code
   * callee}: a label in {@code buf} or a function target (the callee's DEFINED_WASM_FUNCTION key).
   */
  public static void emit(CodeBuffer buf, List<Type> params, List<Type> results, Target callee) {
    CallLayout<Gpr, FpReg> layout = WasmCallConv.CONVENTION.layout(params, results);
    Gpr t0 = Gpr.X9;
    Gpr t1 = Gpr.X10;
    asm(buf, Form.STP_X_PRE, Gpr.X29, Gpr.X30, Gpr.SP, new PairOffset(-16));
    asm(buf, Form.MOV_X_SP, Gpr.X29, Gpr.SP);
    for (int i = 0; i < SAVED.size(); i += 2) {
      asm(buf, Form.STP_X_PRE, SAVED.get(i), SAVED.get(i + 1), Gpr.SP, new PairOffset(-16));
    }
    // Save the enclosing entry's state, so a nested entry (wasm -> host -> wasm) restores it.
    Asm.access(buf, Form.LDR_X_IMM, STORE, WasmCallConv.CALLEE_VMCTX, VmLayout.STORE_CONTEXT, t0);
    Asm.access(buf, Form.LDR_X_IMM, t0, STORE, StoreLayout.ENTRY_SP, t1);
    Asm.access(buf, Form.LDR_X_IMM, t1, STORE, StoreLayout.ENTRY_FP, t1);
    asm(buf, Form.STP_X_PRE, t0, t1, Gpr.SP, new PairOffset(-16));
    Asm.access(buf, Form.LDR_X_IMM, t0, STORE, StoreLayout.STACK_LIMIT, t1);
    asm(buf, Form.STP_X_PRE, t0, Gpr.ZR, Gpr.SP, new PairOffset(-16));
    asm(buf, Form.MOV_X_SP, t0, Gpr.SP);
    Asm.access(buf, Form.STR_X_IMM, t0, STORE, StoreLayout.ENTRY_SP, t1);
    Asm.access(buf, Form.STR_X_IMM, Gpr.X29, STORE, StoreLayout.ENTRY_FP, t1);
    emitStackLimit(buf);

    asm(buf, Form.MOV_X, VALUES, Gpr.X2);
    Asm.addConst(buf, Gpr.SP, Gpr.SP, -(long) (layout.stackArgBytes() + layout.returnAreaBytes()),
        Gpr.SP);
    // Arguments: ValRaw slot i -> the convention's location. x0 and x1 already hold the vmctx pair.
    for (int i = 0; i < params.size(); i++) {
      long slot = (long) CallLayout.VALRAW_SIZE * i;
      Type t = params.get(i);
      switch (layout.params().get(i)) {
        case ValueLocation.InGpr(Gpr r) ->
            Asm.access(buf, t == Type.I32 ? Form.LDR_W_IMM : Form.LDR_X_IMM, r, VALUES, slot, t0);
        case ValueLocation.InFpr(var v) -> Asm.access(buf, fpLoad(t), v, VALUES, slot, t0);
        case ValueLocation.OnStack(int offset) ->
            copy(buf, VALUES, slot, Gpr.SP, offset, WasmCallAssignment.slotBytes(t));
        case ValueLocation.InReturnArea<?, ?> r -> throw new IllegalStateException("parameter in " + r);
      }
    }
    if (layout.hasReturnArea()) {
      Asm.addConst(buf, WasmCallConv.RETURN_AREA_POINTER, Gpr.SP, layout.stackArgBytes(), t0);
    }

    asm(buf, Form.BL, callee);

    // Results: the convention's location -> ValRaw slot j. The callee popped its stack arguments
    // (callee-pops, ArgumentArea), so the return area is at sp now; the exit restores sp from x29.
    for (int j = 0; j < results.size(); j++) {
      long slot = (long) CallLayout.VALRAW_SIZE * j;
      Type t = results.get(j);
      switch (layout.results().get(j)) {
        case ValueLocation.InGpr(Gpr r) ->
            Asm.access(buf, t == Type.I32 ? Form.STR_W_IMM : Form.STR_X_IMM, r, VALUES, slot, t0);
        case ValueLocation.InFpr(var v) -> Asm.access(buf, fpStore(t), v, VALUES, slot, t0);
        case ValueLocation.InReturnArea(int offset) -> copy(buf, Gpr.SP, offset, VALUES, slot,
            WasmCallAssignment.slotBytes(t));
        case ValueLocation.OnStack<?, ?> s -> throw new IllegalStateException("result in " + s);
      }
    }
    Asm.addConst(buf, Gpr.SP, Gpr.X29, ENTRY_SP_FROM_FP, Gpr.SP);
    emitExit(buf, STORE);
    asm(buf, Form.MOVZ_W, Gpr.X0, MoveWideImm.of(1, 0));
    asm(buf, Form.RET);
  }

  /** Copies {@code bytes} (8 or 16) from {@code from + fromOffset} to {@code to + toOffset} via x10. */
  static void copy(CodeBuffer buf, Gpr from, long fromOffset, Gpr to, long toOffset, int bytes) {
    for (int at = 0; at < bytes; at += 8) {
      Asm.access(buf, Form.LDR_X_IMM, Gpr.X10, from, fromOffset + at, Gpr.X9);
      Asm.access(buf, Form.STR_X_IMM, Gpr.X10, to, toOffset + at, Gpr.X9);
    }
  }

  /** The load of an FP-register value of type {@code t} (f32, f64, v128). */
  static Form fpLoad(Type t) {
    return switch (t) {
      case F32 -> Form.LDR_S_IMM;
      case F64 -> Form.LDR_D_IMM;
      case V128 -> Form.LDR_Q_IMM;
      default -> throw new IllegalArgumentException(t + " is not carried in an FP register");
    };
  }

  /** The store of an FP-register value of type {@code t} (f32, f64, v128). */
  static Form fpStore(Type t) {
    return switch (t) {
      case F32 -> Form.STR_S_IMM;
      case F64 -> Form.STR_D_IMM;
      case V128 -> Form.STR_Q_IMM;
      default -> throw new IllegalArgumentException(t + " is not carried in an FP register");
    };
  }

  /**
   * {@code stack_limit = max(stack_floor, sp - max_wasm_stack, previous stack_limit)}, unsigned; a
   * borrow in the subtraction (an SP below max_wasm_stack) falls back to the floor.
   */
  private static void emitStackLimit(CodeBuffer buf) {
    Gpr limit = Gpr.X9;
    Gpr other = Gpr.X10;
    Gpr temp = Gpr.X11;
    asm(buf, Form.MOV_X_SP, limit, Gpr.SP);
    Asm.access(buf, Form.LDR_X_IMM, other, STORE, StoreLayout.MAX_WASM_STACK, temp);
    asm(buf, Form.CMP_X, limit, other);
    asm(buf, Form.SUB_X, limit, limit, other);
    Asm.access(buf, Form.LDR_X_IMM, other, STORE, StoreLayout.STACK_FLOOR, temp);
    asm(buf, Form.CSEL_X, limit, other, limit, Cond.LO); // borrow: sp < max_wasm_stack
    asm(buf, Form.CMP_X, limit, other);
    asm(buf, Form.CSEL_X, limit, other, limit, Cond.LO);
    Asm.access(buf, Form.LDR_X_IMM, other, STORE, StoreLayout.STACK_LIMIT, temp);
    asm(buf, Form.CMP_X, limit, other);
    asm(buf, Form.CSEL_X, limit, other, limit, Cond.LO);
    Asm.access(buf, Form.STR_X_IMM, limit, STORE, StoreLayout.STACK_LIMIT, temp);
  }

  /**
   * The entry's exit, shared by the normal return and {@link TrapStub}: with sp at entry_sp and
   * {@code store} holding the store context, restore the enclosing entry's stack limit, entry_sp and
   * entry_fp, then the host's callee-saved registers and frame record. The caller sets w0 and
   * returns. Uses x16 and x17.
   */
  static void emitExit(CodeBuffer buf, Gpr store) {
    Gpr a = WasmCallConv.SCRATCH0;
    Gpr b = WasmCallConv.SCRATCH1;
    asm(buf, Form.LDP_X_POST, a, b, Gpr.SP, new PairOffset(16));
    Asm.access(buf, Form.STR_X_IMM, a, store, StoreLayout.STACK_LIMIT, b);
    asm(buf, Form.LDP_X_POST, a, b, Gpr.SP, new PairOffset(16));
    Asm.access(buf, Form.STR_X_IMM, a, store, StoreLayout.ENTRY_SP, Gpr.X15);
    Asm.access(buf, Form.STR_X_IMM, b, store, StoreLayout.ENTRY_FP, Gpr.X15);
    for (int i = SAVED.size() - 2; i >= 0; i -= 2) {
      asm(buf, Form.LDP_X_POST, SAVED.get(i), SAVED.get(i + 1), Gpr.SP, new PairOffset(16));
    }
    asm(buf, Form.LDP_X_POST, Gpr.X29, Gpr.X30, Gpr.SP, new PairOffset(16));
  }
}
