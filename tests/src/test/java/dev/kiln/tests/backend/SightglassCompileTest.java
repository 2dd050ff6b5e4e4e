package dev.kiln.tests.backend;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.Backend;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.compiler.UnsupportedFeatureException;
import dev.kiln.compiler.translate.FuncTranslator;
import dev.kiln.compiler.translate.ModuleEnvironment;
import dev.kiln.ir.Function;
import dev.kiln.tests.support.Corpora;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Robustness on real programs: every sightglass function the translator accepts compiles for each
 * target with the register allocation checker on; any exception is a backend bug. Prints how many
 * functions got that far and their code size.
 */
class SightglassCompileTest {
  @Test
  void x64CompilesEveryTranslatedFunctionAndPassesTheAllocationChecker() throws Exception {
    compileAll("x86-64", new X64Backend(CpuFeatures.host(), true), 0);
  }

  @Test
  void aarch64CompilesEveryTranslatedFunctionAndPassesTheAllocationChecker() throws Exception {
    compileAll("AArch64", new AArch64Backend(true), 1000);
  }

  private static void compileAll(String target, Backend backend, int moreThan) throws Exception {
    Path corpus = Corpora.sightglass();
    assertTrue(Files.isDirectory(corpus), () -> "sightglass corpus not found at " + corpus);
    List<Path> files;
    try (Stream<Path> s = Files.walk(corpus)) {
      files = s.filter(p -> p.toString().endsWith(".wasm")).sorted().toList();
    }
    assertFalse(files.isEmpty());
    int compiled = 0;
    int untranslated = 0;
    long bytes = 0;
    List<String> failures = new ArrayList<>();
    for (Path file : files) {
      Module module = Wasm.load(Files.readAllBytes(file));
      ModuleEnvironment env = new ModuleEnvironment(module);
      for (int i = 0; i < env.definedFunctionCount(); i++) {
        Function f;
        try {
          f = FuncTranslator.translate(env, i);
        } catch (UnsupportedFeatureException e) {
          untranslated++;
          continue;
        }
        try {
          CompiledFunction c = backend.compileFunction(f);
          compiled++;
          bytes += c.size();
        } catch (RuntimeException e) {
          failures.add(corpus.relativize(file) + " function " + i + ": " + e);
        }
      }
    }
    System.out.printf("sightglass on %s: %d functions compiled (%d bytes), %d not translated, %d "
        + "failed%n", target, compiled, bytes, untranslated, failures.size());
    assertTrue(failures.isEmpty(), () -> failures.size() + " failures:\n"
        + String.join("\n", failures.subList(0, Math.min(30, failures.size()))));
    int n = compiled;
    assertTrue(compiled > moreThan, () -> "only " + n + " functions compiled");
  }
}
