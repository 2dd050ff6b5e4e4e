package dev.kiln.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Export;
import dev.kiln.wasm.module.ExternKind;
import dev.kiln.wasm.module.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench/module_copies.py}, which makes {@code bench/run compile-large --copies K}'s modules:
 * the module it writes is valid, holds every defined function K times, and exports each extra copy
 * as the function it copies (the index past the imports, the same type, the same behaviour).
 */
class ModuleCopiesTest {
  private static final Path EXAMPLES = Path.of("..", "examples");

  @TempDir Path scratch;

  @Test
  void everyFunctionOfAModuleWithImportsIsThereThreeTimesAndEachCopyIsExported() throws Exception {
    byte[] original = Files.readAllBytes(EXAMPLES.resolve("cat.wasm"));
    Module before = Wasm.load(original);
    Module after = Wasm.load(copies(original, 3)); // decoded and validated
    int imported = before.importedFunctionCount();
    int defined = before.functions().size();
    assertEquals(imported, after.importedFunctionCount());
    assertEquals(3 * defined, after.functions().size());
    assertEquals(before.exports().size() + 2 * defined, after.exports().size());
    Map<String, Export> exports =
        after.exports().stream().collect(Collectors.toMap(Export::name, Function.identity()));
    for (int copy = 1; copy < 3; copy++) {
      for (int f = 0; f < defined; f++) {
        Export export = exports.get("copy" + copy + ".function" + f);
        assertEquals(ExternKind.FUNC, export.kind());
        assertEquals(imported + copy * defined + f, export.index());
        assertEquals(before.functionTypeIndex(imported + f), after.functionTypeIndex(export.index()));
      }
    }
  }

  @Test
  void aCopyComputesWhatItsOriginalDoes() throws Exception {
    try (LoadedModule module =
            CallIndirectBenchmark.load(copies(Files.readAllBytes(EXAMPLES.resolve("hello.wasm")), 3), true);
        NativeStore store = new NativeStore()) {
      LoadedInstance instance = LoadedInstance.instantiate(module, store);
      long fac20 = instance.invoke("fac", 20).getFirst().bits();
      assertEquals(2_432_902_008_176_640_000L, fac20);
      // hello's defined functions: add (0), then fac (1)
      assertEquals(fac20, instance.invoke("copy2.function1", 20).getFirst().bits());
      assertEquals(42L, instance.invoke("copy1.function0", 40, 2).getFirst().bits());
    }
  }

  private byte[] copies(byte[] wasm, int k) throws IOException, InterruptedException {
    Path in = scratch.resolve("in.wasm");
    Path out = scratch.resolve("out.wasm");
    Files.write(in, wasm);
    Process python = new ProcessBuilder("python3", "module_copies.py", in.toString(), out.toString(),
        Integer.toString(k)).redirectErrorStream(true).start();
    String output = new String(python.getInputStream().readAllBytes());
    assertEquals(0, python.waitFor(), output);
    return Files.readAllBytes(out);
  }
}
