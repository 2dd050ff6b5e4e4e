package dev.kiln.cli.embed;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.loader.api.WasmCompiler;
import dev.kiln.wasm.Wasm;

/**
 * Kiln's compiler as the embedding API's {@link WasmCompiler}: decode and validate, compile for the
 * target (x86-64 with the CPU extensions of this machine), link and write the {@code .cwasm} bytes,
 * as {@code kiln compile} does. It lives here because the runtime must not depend on the compiler
 * (ARCHITECTURE.md section 1) and this module is the one that already depends on both.
 *
 * <pre>{@code
 * Engine engine = new Engine().withCompiler(HostCompiler.INSTANCE);
 * WasmModule module = engine.compile(Files.readAllBytes(Path.of("app.wasm")));
 * }</pre>
 */
public final class HostCompiler implements WasmCompiler {
  public static final HostCompiler INSTANCE = new HostCompiler();

  private HostCompiler() {}

  @Override
  public byte[] compile(byte[] wasm, Target target, ExecutionLimits limits) {
    Backend backend = switch (target) {
      case X86_64 -> X64Backend.forHost();
      case AARCH64 -> throw new UnsupportedOperationException("this build compiles no AArch64 code");
    };
    CompiledModule compiled = Compiler.compile(Wasm.load(wasm), backend,
        CompileOptions.defaults().withLimits(limits));
    return ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "embed");
  }
}
