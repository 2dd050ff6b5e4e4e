package dev.kiln.codegen.x64.emit;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.abi.Frame;
import dev.kiln.codegen.emit.FramedEmission;
import dev.kiln.codegen.emit.FunctionEmission;
import dev.kiln.codegen.emit.SpillArea;
import dev.kiln.codegen.lower.Lowered;
import dev.kiln.codegen.lower.MInst;
import dev.kiln.codegen.regalloc.Allocation;
import dev.kiln.codegen.regalloc.Edit;
import dev.kiln.codegen.regalloc.MachineEnv;
import dev.kiln.codegen.regalloc.PReg;
import dev.kiln.codegen.regalloc.PRegSet;
import dev.kiln.codegen.regalloc.RegClass;
import dev.kiln.codegen.regalloc.SpillSlot;
import dev.kiln.codegen.vcode.VCode;
import dev.kiln.codegen.x64.abi.FrameEmitter;
import dev.kiln.codegen.x64.abi.TrapStub;
import dev.kiln.codegen.x64.abi.WasmCallConv;
import dev.kiln.codegen.x64.asm.Amode;
import dev.kiln.codegen.x64.asm.Form;
import dev.kiln.codegen.x64.asm.FunctionTarget;
import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.Imm;
import dev.kiln.codegen.x64.asm.LabelTarget;
import dev.kiln.codegen.x64.asm.Operand;
import dev.kiln.codegen.x64.asm.X64Encoder;
import dev.kiln.codegen.x64.asm.X64LabelUse;
import dev.kiln.codegen.x64.asm.Xmm;
import dev.kiln.codegen.x64.asm.forms.ControlForm;
import dev.kiln.codegen.x64.asm.forms.MovForm;
import dev.kiln.codegen.x64.asm.forms.SseForm;
import dev.kiln.codegen.x64.lower.EmitContext;
import dev.kiln.codegen.x64.lower.Lowering;
import dev.kiln.ir.TrapCode;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a lowered function into machine code: allocates registers, lays out the frame, and emits
 * prologue, blocks (with the allocator's moves around each instruction), one epilogue per return
 * and the out-of-line trap blocks.
 *
 * <p>Frame, below the callee-saved pushes (abi package doc): the outgoing area at rsp + 0 (stack
 * arguments, then return areas of calls), then the spill slots ({@link SpillArea}). All are
 * addressed from rsp, which does not move in the body, so the frame pointer stays free for the
 * backtrace chain.
 */
public final class FunctionEmitter {

  /**
   * Integer registers caller-saved first: short ranges need no save; callee-saved ones suit values
   * live across calls. Float registers: xmm0-xmm14, all caller-saved under {@link WasmCallConv}
   * (as in the psABI), so a float value live across a call is spilled around it; xmm15 is the
   * FLOAT class's scratch register, which breaks move cycles without a spare spill slot.
   */
  public static final MachineEnv MACHINE_ENV = new MachineEnv(machineRegisters(),
      PRegSet.of(reg(Gpr.RBX), reg(Gpr.R12), reg(Gpr.R13), reg(Gpr.R14), reg(Gpr.R15)),
      List.of(reg(WasmCallConv.SCRATCH0), reg(WasmCallConv.FLOAT_SCRATCH)));

  /** The trap stub every trap block calls: FuncKey wasmToBuiltinTrampoline(TRAP). */
  public static final FunctionTarget RAISE_TRAP =
      new FunctionTarget(FuncKey.wasmToBuiltinTrampoline(Builtin.TRAP.index()).raw());

  /**
   * The frame of every function: {@link #MACHINE_ENV}, the convention's callee-saved registers,
   * and {@link FrameEmitter}'s layout, prologues, trap block and epilogues; a trap site's call pushes its return address.
   */
  private static final FramedEmission.Isa<Gpr> FRAME = new FramedEmission.Isa<>(MACHINE_ENV,
      WasmCallConv.CALLEE_SAVED, Gpr::preg, FrameEmitter::frame, new FunctionEmission.FrameCode<>(
          FrameEmitter.PROLOGUE,
          (buf, label, code) -> FrameEmitter.emitTrapBlock(buf, label, code, RAISE_TRAP), 8,
          FrameEmitter::emitEpilogue, FrameEmitter::emitTailCallTearDown));

  private static PReg reg(Gpr g) {
    return PReg.intReg(g.enc());
  }

  private static PReg reg(Xmm x) {
    return PReg.floatReg(x.enc());
  }

  private static List<PReg> machineRegisters() {
    List<PReg> all = new ArrayList<>(List.of(reg(Gpr.RAX), reg(Gpr.RCX), reg(Gpr.RDX),
        reg(Gpr.RSI), reg(Gpr.RDI), reg(Gpr.R8), reg(Gpr.R9), reg(Gpr.R10), reg(Gpr.RBX), reg(Gpr.R12),
        reg(Gpr.R13), reg(Gpr.R14), reg(Gpr.R15)));
    for (Xmm x : Lowering.FLOAT_ALLOCATABLE) {
      all.add(reg(x));
    }
    return all;
  }

  private FunctionEmitter() {}

  /**
   * Allocates and emits {@code lowered}.
   *
   * @param check run the allocation checker (tests always do; see {@link
   *     FunctionEmission#CHECK_PROPERTY})
   */
  public static CompiledFunction emit(Lowered<EmitContext> lowered, boolean check) {
    return FramedEmission.emit(lowered, check, FRAME, Session::new);
  }

  /**
   * x86-64 code: a jump table entry is a REL32 field, which adds target - (field + 4) to the entry
   * (SDM Vol. 2A "JMP": rel32 counts from the end of the field), and the tables come before the
   * constants; no islands, as rel32 reaches every offset of a function.
   */
  private static final FunctionEmission.CodeLayout LAYOUT =
      new FunctionEmission.CodeLayout(Target.X86_64, X64LabelUse.REL32, 4, true, false);

  /** One function's emission state; implements what lowered instructions ask of the emitter. */
  private static final class Session extends FramedEmission<EmitContext, Gpr> implements EmitContext {
    Session(VCode<MInst<EmitContext>> vc, FunctionEmission.Allocated<Gpr> allocated) {
      super(vc, allocated, LAYOUT, EmitContext.class);
    }

    @Override
    protected void emitJump(Label label) {
      asm(ControlForm.JMP_REL32, new LabelTarget(label));
    }

    private Amode slot(SpillSlot s) {
      return Amode.baseDisp(Gpr.RSP, spills.offset(s));
    }

    /**
     * An allocator move: movq for an INT value; for a FLOAT one movaps between registers and to and
     * from the 16-aligned slots, always the whole register (a FLOAT vreg may be a v128; SDM Vol. 2B
     * "MOVAPS": no dependency on the destination's old value, and as fast as the 8-byte movsd for a
     * scalar float). instanceof tests, not pattern switches: C1 (kiln compile's JIT under 24 MB) does not
     * inline a type switch's invokedynamic, and this runs for every move the allocator inserts. Each
     * form is a constant at its own call: the encoder's look-up of the form's row ({@code
     * Form.spec()}, an interface call on forms of a dozen enums) is then a direct read where C2
     * inlines the encoder's entry, not a dispatch per move.
     */
    @Override
    protected void move(Edit edit) {
      Allocation from = edit.from();
      Allocation to = edit.to();
      boolean isFloat = from.regClass() == RegClass.FLOAT;
      if (to instanceof PReg d) {
        Operand source = from instanceof PReg s ? register(s, isFloat) : slot((SpillSlot) from);
        if (isFloat) {
          asm(SseForm.MOVAPS_RM, register(d, true), source);
        } else {
          asm(MovForm.MOVQ_RM, register(d, false), source);
        }
      } else {
        if (!(from instanceof PReg s)) {
          throw new IllegalStateException("slot-to-slot move " + edit);
        }
        if (isFloat) {
          asm(SseForm.MOVAPS_MR, slot((SpillSlot) to), register(s, true));
        } else {
          asm(MovForm.MOVQ_MR, slot((SpillSlot) to), register(s, false));
        }
      }
    }

    private static Operand register(PReg p, boolean isFloat) {
      return isFloat ? Xmm.ofEncoding(p.hwEnc()) : Gpr.ofEncoding(p.hwEnc());
    }

    @Override
    public void asm(Form form, Operand... operands) {
      X64Encoder.encode(form, operands, buf);
    }

    /** Per operand count, the array the fixed-arity {@code asm}s fill ({@code reusedArray}). */
    private final Operand[][] reused = {null, new Operand[1], new Operand[2], new Operand[3], new Operand[4]};

    @Override
    public Operand[] reusedArray(int count) {
      return reused[count];
    }

    @Override
    public Label trapLabel(TrapCode code, Gpr vmctx) {
      return trapSiteLabel(code, vmctx.enc());
    }

    @Override
    protected void emitNops(CodeBuffer into, int bytes) {
      for (int left = bytes; left > 0; left -= Math.min(left, 9)) {
        X64Encoder.encode(ControlForm.NOP_N, new Operand[] {Imm.of(Math.min(left, 9))}, into);
      }
    }

    /** {@code call tail}: five bytes per site (SDM Vol. 2A "CALL", E8 cd). */
    @Override
    protected int emitTrapSiteCall(Label tail) {
      asm(ControlForm.CALLQ_REL32, new LabelTarget(tail));
      return buf.offset();
    }

    @Override
    protected void emitTrapTail(TrapCode code, int vmctx) {
      if (vmctx != WasmCallConv.CALLEE_VMCTX.enc()) {
        asm(MovForm.MOVQ_RM, WasmCallConv.CALLEE_VMCTX, Gpr.ofEncoding(vmctx));
      }
      asm(MovForm.MOVL_OI, TrapStub.TRAP_CODE_REGISTER, Imm.of(artifactCode(code).code()));
      asm(ControlForm.JMP_REL32, RAISE_TRAP);
    }

    @Override
    public Amode constant(long low, long high) {
      return Amode.rip(constant128(low, high));
    }

    @Override
    public Amode constantTable(byte[] bytes) {
      return Amode.rip(constantData(bytes));
    }

    @Override
    public Amode outgoing(int offset) {
      return Amode.baseDisp(Gpr.RSP, offset);
    }

    @Override
    public Amode incoming(int offset) {
      return Amode.baseDisp(Gpr.RBP, ownArgumentFromFramePointer(offset));
    }

    @Override
    public Amode tailArgument(int calleeBytes, int offset) {
      return Amode.baseDisp(Gpr.RBP, tailArgumentFromFramePointer(calleeBytes, offset));
    }

    @Override
    public void trapHere(TrapCode code) {
      var ac = artifactCode(code);
      asm(MovForm.MOVL_OI, TrapStub.TRAP_CODE_REGISTER, Imm.of(ac.code()));
      asm(ControlForm.CALLQ_REL32, RAISE_TRAP);
      buf.addTrap(buf.offset(), ac.code());
      asm(ControlForm.UD2);
    }

    /** {@code sub $bytes, %rsp}: the stack arguments the callee popped, reserved again. */
    @Override
    public void reserveAgain(int bytes) {
      FrameEmitter.subtractFromRsp(buf, bytes);
    }

    @Override
    public Amode spillSlot(SpillSlot s) {
      return slot(s);
    }
  }
}
