package dev.kiln.tests.x64;

import static dev.kiln.codegen.x64.asm.Gpr.R8;
import static dev.kiln.codegen.x64.asm.Gpr.R9;
import static dev.kiln.codegen.x64.asm.Gpr.R11;
import static dev.kiln.codegen.x64.asm.Gpr.RAX;
import static dev.kiln.codegen.x64.asm.Gpr.RBP;
import static dev.kiln.codegen.x64.asm.Gpr.RCX;
import static dev.kiln.codegen.x64.asm.Gpr.RDI;
import static dev.kiln.codegen.x64.asm.Gpr.RDX;
import static dev.kiln.codegen.x64.asm.Gpr.RSI;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.FinishedCode;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.abi.Frame;
import dev.kiln.codegen.x64.abi.ArrayToWasmTrampoline;
import dev.kiln.codegen.x64.abi.FrameEmitter;
import dev.kiln.codegen.x64.abi.TrapStub;
import dev.kiln.codegen.x64.asm.Amode;
import dev.kiln.codegen.x64.asm.Cond;
import dev.kiln.codegen.x64.asm.Form;
import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.Imm;
import dev.kiln.codegen.x64.asm.LabelTarget;
import dev.kiln.codegen.x64.asm.Operand;
import dev.kiln.codegen.x64.asm.X64Encoder;
import dev.kiln.codegen.x64.asm.X64Inst;
import dev.kiln.codegen.x64.asm.Xmm;
import dev.kiln.codegen.x64.asm.forms.AluForm;
import dev.kiln.codegen.x64.asm.forms.ControlForm;
import dev.kiln.codegen.x64.asm.forms.MovForm;
import dev.kiln.codegen.x64.asm.forms.MulDivForm;
import dev.kiln.codegen.x64.asm.forms.SseForm;
import dev.kiln.loader.sys.Protection;
import dev.kiln.loader.sys.VirtualMemory;
import dev.kiln.ir.Type;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * "Wasm functions" written by hand with the encoder, following Kiln's x86-64 wasm calling convention
 * exactly as compiled code will, plus their ARRAY_TO_WASM trampolines and the trap stub, all in one
 * code buffer, mapped and published R|X. This is what the compiler will produce, minus the compiler.
 *
 * <p>Parameters (see {@code dev.kiln.codegen.x64.abi}): rdi callee vmctx, rsi caller vmctx, then
 * wasm integers from rdx (or rcx when a return area pointer takes rdx), floats from xmm0.
 */
final class HandAssembledModule implements AutoCloseable {
  /** (i32, i32) -> i32: a + b. */
  static final Sig ADD = sig(List.of(Type.I32, Type.I32), List.of(Type.I32));
  /** (i32, i32) -> i32: a / b signed, trapping on b == 0 and on INT_MIN / -1 as wasm's i32.div_s. */
  static final Sig DIV_S = ADD;
  /**
   * (i32 a, i64 b, f64 c) -> (i32 a+1, i64 3b, i64 b-a, f64 c+c, f64 c*c, f64 c): three results
   * per class, so the third of each goes to the return area.
   */
  static final Sig MULTI = sig(List.of(Type.I32, Type.I64, Type.F64),
      List.of(Type.I32, Type.I64, Type.I64, Type.F64, Type.F64, Type.F64));
  /** (f32 a, v128 v) -> (v128 v, f32 a+a): both float-class, in xmm0/xmm1 both ways. */
  static final Sig SWAP_VECTOR = sig(List.of(Type.F32, Type.V128),
      List.of(Type.V128, Type.F32));
  /** Eight i64 parameters, four of them on the stack: their sum weighted by position (1..8). */
  static final Sig WEIGHTED_SUM8 = sig(List.of(Type.I64, Type.I64, Type.I64,
      Type.I64, Type.I64, Type.I64, Type.I64, Type.I64), List.of(Type.I64));
  /** (i32 n) -> i32: 0 if n == 0 else 1 + depth(n - 1), one real frame per level. */
  static final Sig DEPTH = sig(List.of(Type.I32), List.of(Type.I32));

  /**
   * (i32 n) -> i32: returns {@code host(vmctx, n)}, a C function whose address the test put at
   * {@link #HOST_FUNCTION_SLOT} of its vmctx: the shape of a wasm -> host call, without the
   * WASM_TO_ARRAY trampoline.
   */
  static final Sig CALL_HOST = DEPTH;
  /** Where these tests' minimal VMContext keeps the host function {@code callHost} calls. */
  static final int HOST_FUNCTION_SLOT = 8;

  /** Bytes of locals each level of {@code depth} reserves, so recursion eats stack quickly. */
  static final int DEPTH_FRAME_LOCALS = 64;

  private final VirtualMemory code;
  private final FinishedCode finished;
  final long add;
  final long divS;
  final long multi;
  final long weightedSum8;
  final long depth;
  final long depthFunction;
  final long divFunction;
  final long callHost;
  final long swapVector;
  final long multiFunction;

  HandAssembledModule() {
    CodeBuffer buf = new CodeBuffer();
    Label raiseTrap = buf.createLabel();
    LabelTarget trap = new LabelTarget(raiseTrap);

    buf.bind(raiseTrap);
    TrapStub.emit(buf);

    Label addFn = function(buf, FrameEmitter.LEAF, trap, (b, traps) -> {
      emit(b, MovForm.MOVL_RM, RAX, RDX);
      emit(b, AluForm.ADDL_RM, RAX, RCX);
    });

    Label divFn = function(buf, FrameEmitter.LEAF, trap, (b, traps) -> {
      Label byZero = traps.on(TrapCode.INTEGER_DIVISION_BY_ZERO);
      Label overflow = traps.on(TrapCode.INTEGER_OVERFLOW);
      Label divide = b.createLabel();
      emit(b, AluForm.TESTL_MR, RCX, RCX);
      emit(b, ControlForm.JCC_REL32, Cond.E, new LabelTarget(byZero));
      emit(b, AluForm.CMPL_MI8, RCX, Imm.of(-1));
      emit(b, ControlForm.JCC_REL32, Cond.NE, new LabelTarget(divide));
      emit(b, AluForm.CMPL_MI, RDX, Imm.of(Integer.MIN_VALUE));
      emit(b, ControlForm.JCC_REL32, Cond.E, new LabelTarget(overflow));
      b.bind(divide);
      emit(b, MovForm.MOVL_RM, RAX, RDX);
      emit(b, MulDivForm.CLTD);
      emit(b, MulDivForm.IDIVL_M, RCX);
    });

    // Return area pointer in rdx, a in ecx, b in r8, c in xmm0.
    Label multiFn = function(buf, FrameEmitter.LEAF, trap, (b, traps) -> {
      emit(b, MovForm.MOVSLQ_RM, RAX, RCX);
      emit(b, MovForm.MOVQ_RM, R11, R8);
      emit(b, AluForm.SUBQ_RM, R11, RAX);
      emit(b, MovForm.MOVQ_MR, Amode.baseDisp(RDX, 0), R11);
      emit(b, SseForm.MOVSD_MR, Amode.baseDisp(RDX, 8), Xmm.XMM0);
      emit(b, SseForm.MOVAPD_RM, Xmm.XMM1, Xmm.XMM0);
      emit(b, SseForm.MULSD_RM, Xmm.XMM1, Xmm.XMM0);
      emit(b, SseForm.ADDSD_RM, Xmm.XMM0, Xmm.XMM0);
      emit(b, MulDivForm.IMULQ_RMI8, RDX, R8, Imm.of(3));
      emit(b, MovForm.LEAL_RM, RAX, Amode.baseDisp(RCX, 1));
    });

    // x1..x4 in rdx, rcx, r8, r9; x5..x8 at rbp+16, +24, +32, +40.
    Label sumFn = function(buf, FrameEmitter.LEAF, trap, (b, traps) -> {
      emit(b, MovForm.MOVQ_RM, RAX, RDX);
      emit(b, MovForm.LEAQ_RM, RAX, Amode.baseIndex(RAX, RCX, 2, 0));
      emit(b, MulDivForm.IMULQ_RMI8, R11, R8, Imm.of(3));
      emit(b, AluForm.ADDQ_RM, RAX, R11);
      emit(b, MovForm.LEAQ_RM, RAX, Amode.baseIndex(RAX, R9, 4, 0));
      for (int k = 0; k < 4; k++) {
        emit(b, MulDivForm.IMULQ_RMI8, R11, Amode.baseDisp(RBP, 16 + 8 * k), Imm.of(5 + k));
        emit(b, AluForm.ADDQ_RM, RAX, R11);
      }
    });

    Label depthFn = buf.createLabel();
    function(buf, depthFn, FrameEmitter.frame(List.of(), DEPTH_FRAME_LOCALS), trap, (b, traps) -> {
      Label zero = b.createLabel();
      Label done = b.createLabel();
      emit(b, AluForm.TESTL_MR, RDX, RDX);
      emit(b, ControlForm.JCC_REL32, Cond.E, new LabelTarget(zero));
      emit(b, AluForm.SUBL_MI8, RDX, Imm.of(1));
      emit(b, MovForm.MOVQ_RM, RSI, RDI);
      emit(b, ControlForm.CALLQ_REL32, new LabelTarget(depthFn));
      emit(b, AluForm.ADDL_MI8, RAX, Imm.of(1));
      emit(b, ControlForm.JMP_REL32, new LabelTarget(done));
      b.bind(zero);
      emit(b, AluForm.XORL_RM, RAX, RAX);
      b.bind(done);
    });

    // n is the second C argument; rdi already holds the vmctx, the first. rsp is 16-aligned here
    // (a leaf frame right after push rbp), as the psABI wants at a call.
    Label hostFn = function(buf, FrameEmitter.LEAF, trap, (b, traps) -> {
      emit(b, MovForm.MOVL_RM, RSI, RDX);
      emit(b, MovForm.MOVQ_RM, RAX, Amode.baseDisp(RDI, HOST_FUNCTION_SLOT));
      emit(b, ControlForm.CALLQ_M, RAX);
    });

    Label swapFn = function(buf, FrameEmitter.LEAF, trap, (b, traps) -> {
      emit(b, SseForm.MOVAPS_RM, Xmm.XMM2, Xmm.XMM0);
      emit(b, SseForm.MOVAPS_RM, Xmm.XMM0, Xmm.XMM1);
      emit(b, SseForm.MOVAPS_RM, Xmm.XMM1, Xmm.XMM2);
      emit(b, SseForm.ADDSS_RM, Xmm.XMM1, Xmm.XMM2);
    });

    Label addTr = trampoline(buf, ADD, addFn);
    Label swapTr = trampoline(buf, SWAP_VECTOR, swapFn);
    Label hostTr = trampoline(buf, CALL_HOST, hostFn);
    Label divTr = trampoline(buf, DIV_S, divFn);
    Label multiTr = trampoline(buf, MULTI, multiFn);
    Label sumTr = trampoline(buf, WEIGHTED_SUM8, sumFn);
    Label depthTr = trampoline(buf, DEPTH, depthFn);

    finished = buf.finish();
    byte[] bytes = finished.code();
    code = VirtualMemory.reserve(bytes.length);
    code.protect(0, code.size(), Protection.READ_WRITE);
    MemorySegment.copy(MemorySegment.ofArray(bytes), 0, code.segment(), 0, bytes.length);
    code.protect(0, code.size(), Protection.READ_EXECUTE);
    long base = code.address();
    add = base + buf.labelOffset(addTr);
    divS = base + buf.labelOffset(divTr);
    multi = base + buf.labelOffset(multiTr);
    weightedSum8 = base + buf.labelOffset(sumTr);
    depth = base + buf.labelOffset(depthTr);
    depthFunction = base + buf.labelOffset(depthFn);
    divFunction = base + buf.labelOffset(divFn);
    callHost = base + buf.labelOffset(hostTr);
    swapVector = base + buf.labelOffset(swapTr);
    multiFunction = base + buf.labelOffset(multiFn);
  }

  static MemorySegment at(long address) {
    return MemorySegment.ofAddress(address);
  }

  @Override
  public void close() {
    code.close();
  }

  // ---- assembling ----

  /** Out-of-line trap blocks of one function, emitted after its epilogue. */
  static final class TrapBlocks {
    private final CodeBuffer buf;
    private final java.util.Map<TrapCode, Label> labels = new java.util.EnumMap<>(TrapCode.class);

    TrapBlocks(CodeBuffer buf) {
      this.buf = buf;
    }

    Label on(TrapCode code) {
      return labels.computeIfAbsent(code, c -> buf.createLabel());
    }
  }

  interface Body {
    void emit(CodeBuffer buf, TrapBlocks traps);
  }

  private static Label function(CodeBuffer buf, Frame<Gpr> frame, Operand raiseTrap, Body body) {
    Label entry = buf.createLabel();
    function(buf, entry, frame, raiseTrap, body);
    return entry;
  }

  private static void function(CodeBuffer buf, Label entry, Frame<Gpr> frame, Operand raiseTrap, Body body) {
    buf.alignTo(16, (byte) 0xCC);
    buf.bind(entry);
    TrapBlocks traps = new TrapBlocks(buf);
    FrameEmitter.PROLOGUE.emitChecked(buf, frame, traps.on(TrapCode.STACK_OVERFLOW));
    body.emit(buf, traps);
    FrameEmitter.emitEpilogue(buf, frame);
    traps.labels.forEach((code, label) -> FrameEmitter.emitTrapBlock(buf, label, code, raiseTrap));
  }

  private static Label trampoline(CodeBuffer buf, Sig sig, Label callee) {
    buf.alignTo(16, (byte) 0xCC);
    Label entry = buf.createLabel();
    buf.bind(entry);
    ArrayToWasmTrampoline.emit(buf, sig.params(), sig.results(), new LabelTarget(callee));
    return entry;
  }

  private static void emit(CodeBuffer buf, Form form, Operand... operands) {
    X64Encoder.encode(X64Inst.of(form, operands), buf);
  }

  /** A function type of this module: parameter and result types in order. */
  private record Sig(List<Type> params, List<Type> results) {}

  private static Sig sig(List<Type> params, List<Type> results) {
    return new Sig(params, results);
  }
}
