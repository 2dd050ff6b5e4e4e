package dev.kiln.compiler.testsupport;

import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.wasm.Wasm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Artifacts of {@link StubBackend}, for tests of the commands that read artifacts ({@code kiln
 * inspect}, {@code kiln objdump}) from outside the compiler: its signature names no type of Kiln's, so
 * a module that does not read the compiler can call it.
 */
public final class StubArtifacts {
  private StubArtifacts() {}

  /**
   * {@code wasm} compiled by {@link StubBackend} into {@code out}, as {@code kiln compile} writes an
   * artifact but with code whose every byte the tests know: what {@code kiln inspect} and {@code
   * kiln objdump} show of it does not change with the compiler.
   */
  public static void write(Path wasm, Path out) throws IOException {
    CompiledModule compiled = Compiler.compile(Wasm.load(Files.readAllBytes(wasm)), new StubBackend(),
        new CompileOptions(2));
    Files.write(out, ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "dev"));
  }
}
