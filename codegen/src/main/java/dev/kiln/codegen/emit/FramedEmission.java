package dev.kiln.codegen.emit;

import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.abi.Frame;
import dev.kiln.codegen.lower.Lowered;
import dev.kiln.codegen.lower.MInst;
import dev.kiln.codegen.regalloc.Allocation;
import dev.kiln.codegen.regalloc.MachineEnv;
import dev.kiln.codegen.regalloc.PReg;
import dev.kiln.codegen.vcode.VCode;
import dev.kiln.ir.TrapCode;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The emission of a wasm function in its frame, the same on every ISA: the frame's shape ({@link
 * Frame}) and where the spill slots sit in it ({@link SpillArea}), which is what unwind tables and
 * stack maps describe, and the order of what surrounds the body ({@link #emitFramedBody}); the ISA's
 * subclass supplies the instructions ({@link FunctionEmission.FrameCode}) and encodes the body.
 *
 * @param <C> the ISA's emit context, which its emission is: what its instructions ({@link MInst})
 *     are encoded through
 * @param <R> the ISA's general-purpose register type
 */
public abstract class FramedEmission<C, R> extends FunctionEmission<MInst<C>> {
  /** The shape of the function's frame. */
  protected final Frame<R> frame;
  /** Where its spill slots sit, from the stack pointer of its body. */
  protected final SpillArea spills;
  /** The ISA's emit context, which this emission is. */
  private final Class<C> contextType;
  /** This emission as its emit context: cast by {@link #emit}, once rather than per instruction. */
  private C context;
  /** The ISA's code around the body: set by {@link #emit} before anything is emitted. */
  private FrameCode<R> code;

  /**
   * An ISA's frame as emission needs it: the registers the allocator hands out, the callee-saved
   * ones a frame saves when the allocation writes them ({@code preg} names one as the allocator
   * does), how the ISA lays out a frame for them and its local bytes, and the code around the body.
   */
  public record Isa<R>(MachineEnv env, List<R> calleeSaved, Function<R, PReg> preg,
      BiFunction<List<R>, Integer, Frame<R>> frameOf, FrameCode<R> code) {}

  /** Makes the ISA's emission of {@code vc} with the allocation and frame of {@code allocated}. */
  @FunctionalInterface
  public interface Opener<C, R> {
    FramedEmission<C, R> open(VCode<MInst<C>> vc, Allocated<R> allocated);
  }

  /**
   * Allocates the registers of {@code lowered}, lays out its frame for what its calls and tail
   * calls need ({@link FunctionEmission#allocate}; {@code check} runs the allocation checker), and
   * emits it in the emission {@code opener} makes: the framed body, then what follows.
   */
  public static <C, R> CompiledFunction emit(Lowered<C> lowered, boolean check, Isa<R> isa,
      Opener<C, R> opener) {
    VCode<MInst<C>> vc = lowered.vcode();
    FramedEmission<C, R> emission = opener.open(vc, allocate(vc, lowered.outgoingBytes(),
        lowered.arguments(), isa.env(), check, isa.calleeSaved(), isa.preg(), isa.frameOf()));
    emission.code = isa.code();
    emission.context = emission.contextType.cast(emission);
    emission.residentSlots(lowered.residentSlotOffsets());
    emission.inlineSites(lowered.inlineSites());
    emission.emitFramedBody();
    emission.emitEnd();
    return emission.finish();
  }

  /**
   * The emission of {@code vc} laid out as {@code layout} with the allocation and frame of {@code
   * allocated}; the subclass implements {@code context}, the ISA's emit context.
   */
  protected FramedEmission(VCode<MInst<C>> vc, Allocated<R> allocated, CodeLayout layout, Class<C> context) {
    super(vc, allocated.out(), layout);
    this.contextType = context;
    this.frame = allocated.frame();
    this.spills = allocated.spills();
  }

  /** Each instruction encodes itself through the emit context ({@link MInst#emitter()}). */
  @Override
  protected final void emitInst(MInst<C> inst, List<Allocation> allocations) {
    inst.emitter().emit(context, allocations);
  }

  /**
   * The prologue, the blocks, the stack-overflow block (when the prologue checks the stack: a
   * function that calls, or whose frame with its record and a trap site's call is past the
   * unchecked leaf size) and the trap sites, in that order; the ISA emits what follows them.
   */
  private void emitFramedBody() {
    Label stackOverflow = buf.createLabel();
    boolean checked = checksStack(Frame.RECORD_BYTES + frame.checkedBytesBelowRecord() + code.trapCallBytes());
    if (checked) {
      code.prologue().emitChecked(buf, frame, stackOverflow);
    } else {
      code.prologue().emitUnchecked(buf, frame);
    }
    emitBlocks();
    if (checked) {
      mapToFunctionEntry();
      dev.kiln.artifact.tables.TrapCode overflow = artifactCode(TrapCode.STACK_OVERFLOW);
      int at = code.trapBlock().emit(buf, stackOverflow, overflow);
      buf.addTrap(at, overflow.code());
    }
    emitTrapSites();
  }

  /**
   * Records that the call just emitted lands at VCode block {@code landingBlock} when an exception
   * unwinds through it, the landing pad's stack pointer this frame's body's
   * ({@code EmitSession.handlerSite}).
   */
  public final void handlerSite(int landingBlock) {
    recordHandlerSite(landingBlock, frame.sizeBelowFramePointer());
  }

  /**
   * Records the call just emitted as a GC safepoint of this frame ({@code EmitSession.stackMapSite}):
   * its own slots; the function's resident slots are recorded once, for all its sites.
   */
  public final void stackMapSite(int[] slotOffsets) {
    recordStackMap(slotOffsets, frame.sizeBelowFramePointer());
  }

  /** The ISA's epilogue of this frame ({@code EmitSession.epilogue}). */
  public final void epilogue() {
    code.epilogue().emit(buf, frame);
  }

  /** The ISA's teardown of this frame for a tail call ({@code EmitSession.tearDownFrame}). */
  public final void tearDownFrame(int calleeStackBytes) {
    code.tailCallTearDown().emit(buf, frame, calleeStackBytes);
  }

  /** The frame-pointer offset of this function's own stack argument at {@code offset}. */
  protected final int ownArgumentFromFramePointer(int offset) {
    return Frame.RECORD_BYTES + frame.arguments().ownArgument(offset);
  }

  /**
   * The frame-pointer offset where a tail call writes its callee's stack argument at {@code offset}
   * when the callee takes {@code calleeBytes} of them.
   */
  protected final int tailArgumentFromFramePointer(int calleeBytes, int offset) {
    return Frame.RECORD_BYTES + frame.arguments().tailArgument(calleeBytes, offset);
  }
}
