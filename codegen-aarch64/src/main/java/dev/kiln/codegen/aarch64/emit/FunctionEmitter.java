package dev.kiln.codegen.aarch64.emit;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.aarch64.abi.Asm;
import dev.kiln.codegen.aarch64.abi.FrameEmitter;
import dev.kiln.codegen.aarch64.abi.WasmCallConv;
import dev.kiln.codegen.aarch64.asm.A64Encoder;
import dev.kiln.codegen.aarch64.asm.A64LabelUse;
import dev.kiln.codegen.aarch64.asm.Form;
import dev.kiln.codegen.aarch64.asm.FpReg;
import dev.kiln.codegen.aarch64.asm.Gpr;
import dev.kiln.codegen.aarch64.asm.VArr;
import dev.kiln.codegen.aarch64.asm.Inst;
import dev.kiln.codegen.aarch64.asm.MoveWideImm;
import dev.kiln.codegen.aarch64.asm.Operand;
import dev.kiln.codegen.aarch64.asm.Target;
import dev.kiln.codegen.aarch64.lower.EmitContext;
import dev.kiln.codegen.aarch64.lower.Lowering;
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
import dev.kiln.ir.TrapCode;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a lowered function into machine code: allocates registers, lays out the frame, and emits
 * prologue, blocks (with the allocator's moves around each instruction), one epilogue per return,
 * the out-of-line trap blocks and the jump tables.
 *
 * <p>Frame, below the saved-register pairs (abi package doc): the outgoing area at sp + 0 (stack
 * arguments, then return areas of calls), then the spill slots ({@link SpillArea}). All are
 * addressed from sp, which does not move in the body. The constant pool (vector constants read by
 * LDR (literal)) follows the code.
 */
public final class FunctionEmitter {
  /** Caller-saved first: short ranges need no save; callee-saved ones suit values live across calls. */
  public static final MachineEnv MACHINE_ENV = machineEnv();

  /** The trap stub every trap block calls: FuncKey wasmToBuiltinTrampoline(TRAP). */
  public static final Target RAISE_TRAP =
      Target.function(FuncKey.wasmToBuiltinTrampoline(Builtin.TRAP.index()).raw());

  /**
   * The frame of every function: {@link #MACHINE_ENV}, the convention's callee-saved registers,
   * and {@link FrameEmitter}'s layout, prologues, trap block and epilogues; a trap site's BL pushes nothing.
   */
  private static final FramedEmission.Isa<Gpr> FRAME = new FramedEmission.Isa<>(MACHINE_ENV,
      WasmCallConv.CALLEE_SAVED, Gpr::preg, FrameEmitter::frame, new FunctionEmission.FrameCode<>(
          FrameEmitter.PROLOGUE,
          (buf, label, code) -> FrameEmitter.emitTrapBlock(buf, label, code, RAISE_TRAP), 0,
          FrameEmitter::emitEpilogue, FrameEmitter::emitTailCallTeardown));

  private static MachineEnv machineEnv() {
    List<PReg> allocatable = new ArrayList<>();
    for (Gpr g : Lowering.CALLER_SAVED_ALLOCATABLE) {
      allocatable.add(PReg.intReg(g.enc()));
    }
    PRegSet calleeSaved = PRegSet.EMPTY;
    for (Gpr g : WasmCallConv.CALLEE_SAVED) {
      allocatable.add(PReg.intReg(g.enc()));
      calleeSaved = calleeSaved.with(PReg.intReg(g.enc()));
    }
    for (FpReg v : Lowering.FLOAT_ALLOCATABLE) {
      allocatable.add(PReg.floatReg(v.enc()));
    }
    return new MachineEnv(allocatable, calleeSaved, List.of(PReg.intReg(WasmCallConv.SCRATCH1.enc()),
        PReg.floatReg(WasmCallConv.FLOAT_SCRATCH.enc())));
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
   * AArch64 code: a jump table entry is a PC_REL32 field, which adds target - field to the entry,
   * and the tables come after the constants; islands, as b.cond and LDR (literal) reach 1 MiB.
   */
  private static final FunctionEmission.CodeLayout LAYOUT =
      new FunctionEmission.CodeLayout(dev.kiln.artifact.Target.AARCH64, A64LabelUse.PC_REL32, 0, false, true);

  /** One function's emission state; implements what lowered instructions ask of the emitter. */
  private static final class Session extends FramedEmission<EmitContext, Gpr> implements EmitContext {
    Session(VCode<MInst<EmitContext>> vc, FunctionEmission.Allocated<Gpr> allocated) {
      super(vc, allocated, LAYOUT, EmitContext.class);
    }

    @Override
    protected void emitJump(Label label) {
      asm(Form.B, Target.label(label));
    }

    private long slot(SpillSlot s) {
      return spills.offset(s);
    }

    @Override
    protected void move(Edit edit) {
      // instanceof tests, not pattern switches: C1 (kiln compile's JIT under 24 MB) does not inline a type
      // switch's invokedynamic, and this runs for every move the allocator inserts.
      Allocation from = edit.from();
      Allocation to = edit.to();
      if (to instanceof PReg d) {
        if (from instanceof PReg s) {
          if (d.regClass() == RegClass.INT) {
            asm(Form.MOV_X, Gpr.of(d.hwEnc()), Gpr.of(s.hwEnc()));
          } else {
            asm(Form.MOV_V, FpReg.of(d.hwEnc()), FpReg.of(s.hwEnc()), VArr.B16);
          }
        } else {
          access(d.regClass() == RegClass.INT ? Form.LDR_X_IMM : Form.LDR_Q_IMM, operand(d), Gpr.SP,
              slot((SpillSlot) from));
        }
      } else {
        if (!(from instanceof PReg s)) {
          throw new IllegalStateException("slot-to-slot move " + edit);
        }
        // x16 holds a large offset: the allocator's scratch x17 may be the value being stored.
        Asm.access(buf, s.regClass() == RegClass.INT ? Form.STR_X_IMM : Form.STR_Q_IMM,
            operand(s), Gpr.SP, slot((SpillSlot) to), WasmCallConv.SCRATCH0);
      }
    }

    private static Operand operand(PReg p) {
      return p.regClass() == RegClass.INT ? Gpr.of(p.hwEnc()) : FpReg.of(p.hwEnc());
    }

    @Override
    public void asm(Form form, Operand... operands) {
      A64Encoder.encode(form, operands, buf);
    }

    /** Per operand count, the array the fixed-arity {@code asm}s fill ({@code reusedArray}). */
    private final Operand[][] reused = {null, new Operand[1], new Operand[2], new Operand[3], new Operand[4]};

    @Override
    public Operand[] reusedArray(int count) {
      return reused[count];
    }

    @Override
    public void movConst(Gpr rd, boolean wide, long value) {
      Asm.movConst(buf, rd, wide, value);
    }

    @Override
    public void addConst(Gpr rd, Gpr rn, long value) {
      Asm.addConst(buf, rd, rn, value, WasmCallConv.SCRATCH1);
    }

    @Override
    public void access(Form unsignedOffsetForm, Operand rt, Gpr base, long offset) {
      if (base == WasmCallConv.SCRATCH1) {
        throw new IllegalArgumentException("x17 is the offset register of a large access");
      }
      Asm.access(buf, unsignedOffsetForm, rt, base, offset, WasmCallConv.SCRATCH1);
    }

    @Override
    public Label trapLabel(TrapCode code, Gpr vmctx) {
      return trapSiteLabel(code, vmctx.enc());
    }

    /** One {@code nop} per four bytes (Arm ARM C6.2 NOP). */
    @Override
    protected void emitNops(CodeBuffer into, int bytes) {
      for (int left = bytes; left > 0; left -= 4) {
        A64Encoder.encode(Inst.of(Form.NOP), into);
      }
    }

    /**
     * {@code bl tail}: four bytes per site; the link register the trap builtin reads is the site's
     * return address (Arm ARM C6.2 "BL").
     */
    @Override
    protected int emitTrapSiteCall(Label tail) {
      asm(Form.BL, Target.label(tail));
      return buf.offset();
    }

    @Override
    protected void emitTrapTail(TrapCode code, int vmctx) {
      if (vmctx != WasmCallConv.CALLEE_VMCTX.enc()) {
        asm(Form.MOV_X, WasmCallConv.CALLEE_VMCTX, Gpr.of(vmctx));
      }
      asm(Form.MOVZ_W, FrameEmitter.TRAP_CODE_REGISTER,
          MoveWideImm.of(artifactCode(code).code(), 0));
      asm(Form.B, RAISE_TRAP);
    }

    @Override
    public Label constant(long low, long high) {
      return constant128(low, high);
    }

    @Override
    public long incoming(int offset) {
      return ownArgumentFromFramePointer(offset);
    }

    @Override
    public long tailArgument(int calleeBytes, int offset) {
      return tailArgumentFromFramePointer(calleeBytes, offset);
    }

    @Override
    public void trapHere(TrapCode code) {
      var ac = artifactCode(code);
      int ra = FrameEmitter.emitTrapCall(buf, ac, RAISE_TRAP);
      buf.addTrap(ra, ac.code());
    }

    /** {@code sub sp, sp, #bytes}: the stack arguments the callee popped, reserved again. */
    @Override
    public void reserveAgain(int bytes) {
      Asm.addConst(buf, Gpr.SP, Gpr.SP, -(long) bytes, Gpr.SP);
    }

    @Override
    public long spillSlot(SpillSlot s) {
      return slot(s);
    }
  }
}
