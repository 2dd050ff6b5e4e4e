package dev.kiln.tests.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.compiler.link.LinkedText;
import dev.kiln.tests.support.Corpora;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Compiling a real program on several threads gives the byte-identical .cwasm that one thread gives
 * (docs/ARCHITECTURE.md section 2: output independent of the job count), with the x86-64 backend
 * and its register allocation checker: sightglass's bz2 (196 KB, ~200 functions of very different
 * sizes, so the compiler's schedule, small half first and then largest first, reorders them
 * thoroughly).
 */
class ParallelCompileTest {
  @Test
  void bz2CompilesToTheSameArtifactOnOneAndOnThreeThreads() throws Exception {
    Path wasm = Corpora.sightglass().resolve("bz2/benchmark.wasm");
    assertTrue(Files.isRegularFile(wasm), () -> "sightglass corpus not found at " + wasm);
    Module module = Wasm.load(Files.readAllBytes(wasm));
    X64Backend backend = new X64Backend(CpuFeatures.host(), true);
    byte[] serial = artifact(module, backend, 1);
    byte[] parallel = artifact(module, backend, 3);
    assertTrue(serial.length > 100_000, "a real artifact: " + serial.length + " bytes");
    assertArrayEquals(serial, parallel, "1 job vs 3 jobs");
  }

  private static byte[] artifact(Module module, X64Backend backend, int jobs) {
    CompiledModule compiled = Compiler.compile(module, backend, new CompileOptions(jobs));
    LinkedText linked = ArtifactEmitter.link(compiled);
    return ArtifactEmitter.emit(compiled, linked, "test");
  }
}
