package dev.kiln.bench;

import dev.kiln.artifact.Target;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.codegen.regalloc.MoveCounts;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.Wat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code bench/run moves [FILE.wasm | FILE.wat | DIR]...}: the code size (functions before linking) and the
 * register allocator's spill stores, reloads and copies ({@link MoveCounts}) per module on both
 * targets, and their totals: the deterministic A/B
 * measure for allocator and lowering changes (issue 15), which needs no quiet machine. Default: every
 * module under ../shared/corpora/sightglass; a module Kiln refuses (none today) is listed as such.
 * The x86-64 code is compiled for a fixed feature list, so the table does not depend on the machine.
 */
public final class MoveCountTable {
  /** Every x86-64 extension Kiln uses up to SSE4.2 (the SIMD programs need ssse3 and sse4_1). */
  private static final String X64_FEATURES = "lzcnt,bmi1,popcnt,sse4_1,ssse3,sse4_2";

  private MoveCountTable() {}

  public static void main(String[] args) throws IOException {
    List<Path> roots = BenchArguments.parse("moves", "[FILE.wasm|FILE.wat|DIR...]", args, a -> {
      List<Path> named = a.operands(a::existing);
      return named.isEmpty() ? List.of(a.existing("../shared/corpora/sightglass")) : named;
    });
    List<Path> modules = modules(roots);
    // Every allocation is also checked (Checker): the table doubles as a corpus-wide allocator test.
    List<Backend> backends = List.of(new X64Backend(CpuFeatures.parse(X64_FEATURES), true),
        new AArch64Backend(true));
    System.out.println("| module | target | code bytes | spill stores | reloads | copies | in loops: spill stores | reloads | copies |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    MoveCounts[] totals = {MoveCounts.NONE, MoveCounts.NONE};
    long[] totalBytes = new long[backends.size()];
    for (Path m : modules) {
      // a text module (bench/gc's programs) through Kiln's own text reader
      byte[] bytes = m.toString().endsWith(".wat") ? Wat.toBinary(Files.readString(m), m.toString())
          : Files.readAllBytes(m);
      for (int t = 0; t < backends.size(); t++) {
        Backend b = backends.get(t);
        String name = m.getParent().getFileName() + "/" + m.getFileName();
        try (CompiledModule compiled = Compiler.compile(Wasm.load(bytes), b, CompileOptions.defaults())) {
          MoveCounts c = compiled.moveCounts();
          totals[t] = totals[t].plus(c);
          totalBytes[t] += compiled.codeSize();
          System.out.println(row(name, b.target(), compiled.codeSize(), c));
        } catch (RuntimeException e) {
          System.out.println("| " + name + " | " + b.target() + " | refused: " + e.getMessage() + " ||||||");
        }
      }
    }
    for (int t = 0; t < backends.size(); t++) {
      System.out.println(row("**total**", backends.get(t).target(), totalBytes[t], totals[t]));
    }
  }

  private static String row(String name, Target target, long codeBytes, MoveCounts c) {
    return String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %d | %d | %d |", name,
        target.displayName(), codeBytes, c.spillStores(), c.reloads(), c.copies(), c.loopSpillStores(), c.loopReloads(), c.loopCopies());
  }

  private static List<Path> modules(List<Path> roots) throws IOException {
    List<Path> found = new ArrayList<>();
    for (Path p : roots) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          s.filter(f -> f.toString().endsWith(".wasm") || f.toString().endsWith(".wat")).sorted().forEach(found::add);
        }
      } else {
        found.add(p);
      }
    }
    return found;
  }
}
