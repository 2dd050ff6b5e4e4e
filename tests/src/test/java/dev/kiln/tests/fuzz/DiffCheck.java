package dev.kiln.tests.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One module through {@link DifferentialFuzzTest}'s comparison, for {@code wasm-reduce}'s
 * {@code --command} (scripts/difffuzz-check): prints "differs" and exits 1 when the engines
 * disagree, "same" and 0 when they agree, so a reduction keeps exactly the modules that still
 * differ. Run from the tests module's directory (the reference script's path is relative to it).
 */
public final class DiffCheck {
  private DiffCheck() {}

  public static void main(String[] args) throws Exception {
    Path module = Path.of(args[0]).toAbsolutePath();
    List<String> mismatches = new ArrayList<>();
    DifferentialFuzzTest fuzz = new DifferentialFuzzTest();
    try (ReferenceEngine v8 = new ReferenceEngine(DifferentialFuzzTest.REFERENCE.toAbsolutePath())) {
      fuzz.compare(v8, module, Files.readAllBytes(module), mismatches);
    } catch (RuntimeException invalid) {
      System.out.println("invalid");
      System.exit(2);
    }
    fuzz.stopWorkers();
    System.out.println(mismatches.isEmpty() ? "same" : "differs");
    System.exit(mismatches.isEmpty() ? 0 : 1);
  }
}
