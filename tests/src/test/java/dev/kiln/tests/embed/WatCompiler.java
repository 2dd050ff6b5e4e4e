package dev.kiln.tests.embed;

import dev.kiln.artifact.Target;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.loader.api.WasmCompiler;
import dev.kiln.wasm.Wasm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Wasm text to {@code .cwasm} bytes for the embedding tests: Debian's {@code wat2wasm} (with
 * {@code --debug-names}, so backtraces have names), then Kiln's compiler for x86-64 with the
 * register allocation checker on. Also the {@link WasmCompiler} the tests give the engine.
 */
final class WatCompiler implements WasmCompiler {
  static final WatCompiler INSTANCE = new WatCompiler();
  private static final X64Backend BACKEND = new X64Backend(CpuFeatures.host(), true);

  private WatCompiler() {}

  @Override
  public byte[] compile(byte[] wasm, Target target) {
    if (target != Target.X86_64) {
      throw new IllegalArgumentException("the tests compile for x86-64 only, not " + target);
    }
    CompiledModule compiled = Compiler.compile(Wasm.load(wasm), BACKEND, CompileOptions.defaults());
    return ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "test");
  }

  static byte[] wasm(String wat) {
    try {
      Path dir = Files.createTempDirectory("kiln-embed-test");
      Path in = dir.resolve("m.wat");
      Path out = dir.resolve("m.wasm");
      Files.writeString(in, wat, StandardCharsets.UTF_8);
      Process p = new ProcessBuilder("wat2wasm", "--debug-names", in.toString(), "-o", out.toString())
          .redirectErrorStream(true).start();
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("wat2wasm failed:\n" + log);
      }
      byte[] bytes = Files.readAllBytes(out);
      Files.delete(in);
      Files.delete(out);
      Files.delete(dir);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
