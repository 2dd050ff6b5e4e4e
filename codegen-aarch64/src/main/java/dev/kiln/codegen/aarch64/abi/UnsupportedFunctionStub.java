package dev.kiln.codegen.aarch64.abi;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.aarch64.asm.Target;

/**
 * The body that stands in for a wasm function Kiln refused to compile, when the compiler is asked to
 * keep going: it raises {@link TrapCode#UNSUPPORTED} as soon as it is entered. It keeps a frame like
 * any wasm function (a leaf {@link FrameEmitter#PROLOGUE}, stack check included), so the trap
 * stub finds the usual record chain and the recorded pc lies inside this function. Parameters are
 * ignored whatever their types, so one body serves every signature; x0 holds the callee vmctx on
 * entry, which is what the trap block needs.
 */
public final class UnsupportedFunctionStub {
  private UnsupportedFunctionStub() {}

  /** Emits the stub into {@code buf}, recording both of its trap sites. */
  public static void emit(CodeBuffer buf, Target raiseTrap) {
    Label stackOverflow = buf.createLabel();
    FrameEmitter.PROLOGUE.emitChecked(buf, FrameEmitter.LEAF, stackOverflow);
    int ra = FrameEmitter.emitTrapCall(buf, TrapCode.UNSUPPORTED, raiseTrap);
    buf.addTrap(ra, TrapCode.UNSUPPORTED.code());
    int so = FrameEmitter.emitTrapBlock(buf, stackOverflow, TrapCode.STACK_OVERFLOW, raiseTrap);
    buf.addTrap(so, TrapCode.STACK_OVERFLOW.code());
  }
}
