package dev.kiln.compiler.translate;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.Function;
import dev.kiln.ir.builder.FunctionBuilder;

/**
 * What the builtins of shape {@link Builtin.CallShape#COMPILED} ({@link MemoryGrowBuiltin}, {@link
 * LazyTableInitBuiltin}) share: their name, under which callers import them and the linker places
 * them, and the start of their IR body.
 *
 * @param builder the body's builder, positioned in the sealed entry block
 * @param params the entry block's parameters: the vmctx pair, then the builtin's own
 */
record CompiledBuiltin(FunctionBuilder builder, int[] params) {
  /** The IR name of {@code builtin}'s code: its {@code FuncKey.builtin} key. */
  static ExternalName name(Builtin builtin) {
    FuncKey key = FuncKey.builtin(builtin.index());
    return new ExternalName.User(key.namespace(), key.index());
  }

  /**
   * A new body for {@code builtin}, of its wasm-convention signature ({@link
   * ModuleEnvironment#builtinSignature}, the one its callers import), with its entry block made and
   * sealed.
   */
  static CompiledBuiltin begin(Builtin builtin) {
    FunctionBuilder b = new FunctionBuilder(new Function(name(builtin), ModuleEnvironment.builtinSignature(builtin)));
    int entry = b.createBlock();
    b.switchToBlock(entry);
    int[] params = b.appendBlockParamsForFunctionParams(entry);
    b.sealBlock(entry);
    return new CompiledBuiltin(b, params);
  }
}
