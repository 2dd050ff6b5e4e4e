package dev.kiln.bench;

import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.compiler.testsupport.DeadBlockShapes;
import dev.kiln.compiler.testsupport.HandlerAndGcShapes;
import dev.kiln.compiler.testsupport.HostileShapes;
import dev.kiln.compiler.testsupport.TableShapes;
import dev.kiln.wasm.Wasm;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * {@code bench/run compile-shapes [--base N] [SHAPE...]}: the compile time of the modules an
 * attacker shapes to make a compiler slow (compiler.testsupport.HostileShapes: huge br_tables,
 * deep nesting, long br_if chains, many locals live across many blocks, many calls of a small
 * function to inline...; HandlerAndGcShapes: nested try_tables, many catch clauses, many
 * struct.new or br_on_cast in one function; TableShapes: many call_indirect or table.get in one
 * function; DeadBlockShapes: many values live across many early returns or branches to an exit)
 * at sizes N, 4N and 16N
 * (default N = 4,000), on one job for x86-64, with the ratio of each size's time to the previous
 * one's: linear compilation shows about 4. Wall and thread CPU (the machine is shared: CPU time is
 * the steadier figure). The decode + validate time is included. Each shape is compiled once at
 * size N before it is measured, so the JIT has compiled the compiler. A compile that fails is one
 * line naming the failure (its cause's class), and the shape's larger sizes are skipped. The
 * classes it runs are whatever the class path holds, so the same program measures another build
 * (its compiler jars first on the class path).
 */
public final class CompileShapes {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private CompileShapes() {}

  /** A shape by name and its module at a size. */
  private record Shape(String name, IntFunction<byte[]> module) {}

  private static final List<Shape> SHAPES = Stream.of(
      Arrays.stream(HostileShapes.values()).map(s -> new Shape(s.name().toLowerCase(Locale.ROOT), s::module)),
      Arrays.stream(HandlerAndGcShapes.values()).map(s -> new Shape(s.name().toLowerCase(Locale.ROOT), s::module)),
      Arrays.stream(TableShapes.values()).map(s -> new Shape(s.name().toLowerCase(Locale.ROOT), s::module)),
      Arrays.stream(DeadBlockShapes.values()).map(s -> new Shape(s.name().toLowerCase(Locale.ROOT), s::module)))
      .flatMap(s -> s).toList();

  private record Options(int base, List<Shape> shapes) {}

  public static void main(String[] args) {
    Options options = BenchArguments.parse("compile-shapes", "[--base N] [SHAPE...] (shapes: "
        + String.join(" ", SHAPES.stream().map(Shape::name).toList())
        + ")", args, CompileShapes::options);
    X64Backend backend = X64Backend.forHost();
    CompileOptions oneJob = new CompileOptions(1);
    System.out.printf(Locale.ROOT, "%-22s %8s %9s %10s %10s %8s%n", "shape", "size", "bytes", "wall ms", "cpu ms",
        "cpu x");
    for (Shape shape : options.shapes()) {
      try {
        compile(shape.module().apply(options.base()), backend, oneJob); // warm-up
      } catch (RuntimeException e) {
        // measured (and reported) below
      }
      double previous = 0;
      for (int factor = 1; factor <= 16; factor *= 4) {
        int size = options.base() * factor;
        byte[] wasm = shape.module().apply(size);
        long cpu = THREADS.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        try {
          compile(wasm, backend, oneJob);
        } catch (RuntimeException e) {
          // A refusal is a result too (a deep shape may exhaust the compiler's stack): say so, go on.
          System.out.printf(Locale.ROOT, "%-22s %8d %9d  failed: %s%n", shape.name(),
              size, wasm.length, e.getCause() != null ? e.getCause().getClass().getSimpleName() : e.getMessage());
          break;
        }
        double wallMs = (System.nanoTime() - wall) / 1e6;
        double cpuMs = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6;
        System.out.printf(Locale.ROOT, "%-22s %8d %9d %10.0f %10.0f %8s%n", shape.name(),
            size, wasm.length, wallMs, cpuMs, previous == 0 ? "" : String.format(Locale.ROOT, "%.1f", cpuMs / previous));
        previous = cpuMs;
      }
    }
  }

  private static void compile(byte[] wasm, X64Backend backend, CompileOptions options) {
    Compiler.compile(Wasm.load(wasm), backend, options);
  }

  private static Options options(BenchArguments a) {
    int base = 4_000;
    List<Shape> shapes = new ArrayList<>();
    while (a.hasNext()) {
      String arg = a.next();
      if (arg.equals("--base")) {
        base = a.count("--base");
      } else {
        Shape named = SHAPES.stream().filter(s -> s.name().equals(arg.toLowerCase(Locale.ROOT))).findFirst()
            .orElse(null);
        if (named == null) {
          throw arg.startsWith("-") ? a.unexpected(arg) : new BenchArguments.UsageError("no shape " + arg);
        }
        shapes.add(named);
      }
    }
    return new Options(base, shapes.isEmpty() ? SHAPES : shapes);
  }
}
