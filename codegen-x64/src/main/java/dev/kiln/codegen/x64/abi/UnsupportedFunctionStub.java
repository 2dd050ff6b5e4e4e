package dev.kiln.codegen.x64.abi;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.x64.asm.Operand;

/**
 * The body that stands in for a wasm function Kiln refused to compile, when the compiler is asked to
 * keep going: it raises {@link TrapCode#UNSUPPORTED} as soon as it is entered.
 *
 * <p>It keeps a frame like any wasm function ({@link FrameEmitter#PROLOGUE} with a leaf frame,
 * including the stack check), so the trap handler finds the usual rbp chain and the recorded pc lies
 * inside this function. Its parameters are ignored, whatever their types: under {@link WasmCallConv}
 * only the caller places them (registers or its own outgoing area), and a function that never
 * returns has no results to place, so one stub serves every signature. rdi holds the callee vmctx
 * on entry, which is what the trap block needs.
 *
 * <pre>
 *   push %rbp ; mov %rsp, %rbp ; stack check   (prologue, leaf frame)
 *   mov $UNSUPPORTED, %trap_code ; call raise_trap ; ud2
 *   stack overflow trap block
 * </pre>
 */
public final class UnsupportedFunctionStub {
  private UnsupportedFunctionStub() {}

  /**
   * Emits the stub into {@code buf}, recording both of its trap sites.
   *
   * @param raiseTrap the trap handler: a {@code FunctionTarget} of the TRAP builtin's key
   */
  public static void emit(CodeBuffer buf, Operand raiseTrap) {
    Label stackOverflow = buf.createLabel();
    FrameEmitter.PROLOGUE.emitChecked(buf, FrameEmitter.LEAF, stackOverflow);
    Label unsupported = buf.createLabel();
    int ra = FrameEmitter.emitTrapBlock(buf, unsupported, TrapCode.UNSUPPORTED, raiseTrap);
    buf.addTrap(ra, TrapCode.UNSUPPORTED.code());
    int so = FrameEmitter.emitTrapBlock(buf, stackOverflow, TrapCode.STACK_OVERFLOW, raiseTrap);
    buf.addTrap(so, TrapCode.STACK_OVERFLOW.code());
  }
}
