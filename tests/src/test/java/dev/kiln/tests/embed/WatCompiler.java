package dev.kiln.tests.embed;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.tests.support.WasmCompiler;
import dev.kiln.wat.Wat;
import dev.kiln.wasm.Wasm;

/**
 * Wasm text to {@code .cwasm} bytes for the embedding tests: Kiln's text reader ({@link Wat}, with
 * the text's names kept, so backtraces have them), then Kiln's compiler for x86-64 with the
 * register allocation checker on. Also the {@link WasmCompiler} the tests give the engine.
 */
final class WatCompiler implements WasmCompiler {
  static final WatCompiler INSTANCE = new WatCompiler();
  private static final X64Backend BACKEND = new X64Backend(CpuFeatures.host(), true);

  private WatCompiler() {}

  @Override
  public byte[] compile(byte[] wasm, Target target, ExecutionLimits limits) {
    if (target != Target.X86_64) {
      throw new IllegalArgumentException("the tests compile for x86-64 only, not " + target);
    }
    CompiledModule compiled = Compiler.compile(Wasm.load(wasm), BACKEND,
        CompileOptions.defaults().withLimits(limits));
    return ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "test");
  }

  static byte[] wasm(String wat) {
    return Wat.toBinaryWithNames(wat, "test.wat");
  }
}
