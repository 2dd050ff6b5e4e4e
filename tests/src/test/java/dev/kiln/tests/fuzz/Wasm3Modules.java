package dev.kiln.tests.fuzz;

import dev.kiln.disasm.PinnedNpmPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * WebAssembly 3.0 modules for differential fuzzing (issues 38 and 39): npm's binaryen 132, whose
 * {@code wasm-opt -ttf} writes GC (structs, arrays, i31, casts), typed function references and
 * exceptions, where Debian's binaryen 108 writes MVP+SIMD only. The package is fetched once per
 * machine from npm, pinned by its integrity ({@link PinnedNpmPackage}); its tools are Node scripts.
 *
 * <p>Two steps make the modules ones Kiln can run without changing what they test: {@code
 * --emit-exnref} (binaryen's fuzzer writes legacy {@code try}/{@code catch}, the exception proposal's
 * phase 3 form, which Kiln refuses until legacy exceptions are implemented; the flag translates them
 * into {@code try_table} and {@code exnref}), and {@link FuzzImportRewriter}, which turns the
 * imports Kiln's host interface cannot provide into functions in the module. Both engines run the
 * rewritten module. Every second seed adds {@code --enable-simd}.
 */
final class Wasm3Modules implements TtfModuleSource.Generator {
  /** binaryen 132.0.0 on registry.npmjs.org ({@code npm view binaryen@132.0.0 dist.integrity}). */
  static final PinnedNpmPackage BINARYEN = new PinnedNpmPackage("binaryen", "132.0.0",
      "sha512-4Usg7yEvwO3FMso3Oov6qkOOHSod1IEv+boKkh77kTljM+eNBouqCTbqWswGzbG+vDNO/b/v2C4gfEh1WgB9Lg==",
      "bin/wasm-opt");
  static final List<String> FEATURES = List.of(
      "--enable-gc", "--enable-reference-types", "--enable-exception-handling");

  private final Path wasmOpt;

  Wasm3Modules(Path binaryenPackage) {
    this.wasmOpt = binaryenPackage.resolve("bin/wasm-opt");
  }

  /** The generator with binaryen from this user's cache, fetched from npm first if needed. */
  static Wasm3Modules fromNpm() {
    return new Wasm3Modules(BINARYEN.obtain());
  }

  Path wasmOpt() {
    return wasmOpt;
  }

  @Override
  public Path generate(Path work, Path input, long seed) throws IOException, InterruptedException {
    Path text = work.resolve("seed-" + seed + ".wat");
    List<String> make = new ArrayList<>(List.of("node", wasmOpt.toString(), input.toString(), "-ttf"));
    make.addAll(features(seed));
    make.addAll(List.of("--emit-exnref", "--denan", "-S", "-o", text.toString()));
    TtfModuleSource.run(make, "wasm-opt (npm binaryen 132) -ttf", seed);
    Files.writeString(text, FuzzImportRewriter.rewrite(Files.readString(text)));
    Path output = work.resolve("seed-" + seed + ".wasm");
    List<String> assemble = new ArrayList<>(List.of("node", wasmOpt.toString(), text.toString()));
    assemble.addAll(features(seed));
    // The interpreter runs the module as it assembles it: its output is the reference trace.
    assemble.addAll(List.of("--fuzz-exec-before", "-o", output.toString()));
    Path reference = referenceOf(output);
    Process p = new ProcessBuilder(assemble).redirectOutput(reference.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    if (p.waitFor() != 0) {
      String log = Files.readString(reference);
      for (Path file : List.of(text, output, reference)) {
        Files.deleteIfExists(file);
      }
      throw new ReferenceFailure(seed, log);
    }
    Files.delete(text);
    return output;
  }

  /** Where {@link #generate} put binaryen's interpreter's output for {@code module}. */
  static Path referenceOf(Path module) {
    return module.resolveSibling(module.getFileName().toString().replace(".wasm", ".fuzz-exec.txt"));
  }

  /** binaryen's interpreter's output for {@code module} (a file), for a module not made by {@link #generate}. */
  List<String> interpret(Path module, long seed) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("node", wasmOpt.toString(), module.toString()));
    command.addAll(features(seed));
    command.add("--fuzz-exec-before");
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    List<String> output = new String(p.getInputStream().readAllBytes()).lines().toList();
    p.waitFor();
    return output;
  }

  /** The features of {@code seed}'s module: {@link #FEATURES}, and SIMD for every second seed. */
  static List<String> features(long seed) {
    List<String> features = new ArrayList<>(FEATURES);
    if ((seed & 1) == 0) {
      features.add("--enable-simd");
    }
    return features;
  }

  /**
   * binaryen's interpreter failed on a module binaryen itself made: no reference to compare with, a
   * defect of the reference engine and not of Kiln, so the fuzzer counts the seed and goes on.
   */
  static final class ReferenceFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final long seed;

    ReferenceFailure(long seed, String log) {
      super("wasm-opt (npm binaryen 132) --fuzz-exec-before failed for seed " + seed + ":\n" + log);
      this.seed = seed;
    }
  }
}
