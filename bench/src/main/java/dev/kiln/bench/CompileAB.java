package dev.kiln.bench;

import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code bench/ab compile}: one compiler build against another in one JVM. Each checkout's compiler
 * jars are loaded in a class loader of their own, so both builds' code is compiled by the same JIT
 * on the same machine at the same moment, and the compiles alternate (A B, then B A), the settling
 * ones too: differences which separate runs of {@code bench/run compile} cannot show on a 2-core
 * machine whose speed drifts between minutes show here, above the few percent that the same
 * checkout on both sides moves by between runs (the per-round ratios' range says how far).
 *
 * <p>First every module is compiled by both builds for x86-64 and for AArch64 and the artifacts
 * compared byte for byte (a change meant to leave the code alone must say {@code same}); then the
 * first module is compiled on one job (for x86-64, or AArch64 given {@code -Dkiln.ab.target=aarch64}),
 * {@code rounds} times per side, and the thread CPU time, the
 * bytes allocated and the wall time of each compile are reported as medians, with B / A.
 *
 * <p>Usage: {@code CompileAB A_CHECKOUT B_CHECKOUT WARMUP ROUNDS FILE.wasm...}; each checkout's
 * {@code MODULE/target/*-SNAPSHOT.jar} must be built.
 */
public final class CompileAB {
  /** The modules a compile runs in, as the checkouts' folder names. */
  private static final List<String> COMPILER_MODULES =
      List.of("deadline", "wasm", "ir", "artifact", "codegen", "codegen-x64", "codegen-aarch64", "compiler");

  /** The target the timed compiles are for: x86_64 unless the property {@code kiln.ab.target} says aarch64. */
  private static final String TIMED_TARGET = System.getProperty("kiln.ab.target", "x86_64");

  private CompileAB() {}

  /** One build's compiler, reached by reflection through its own class loader. */
  private static final class Side {
    private final Method load;
    private final Method compile;
    private final Method link;
    private final Method emit;
    private final Object x64;
    private final Object aarch64;
    private final Object defaults;
    private final Object oneJob;

    Side(Path checkout) throws ReflectiveOperationException, java.io.IOException {
      List<URL> jars = new ArrayList<>();
      for (String module : COMPILER_MODULES) {
        try (Stream<Path> files = Files.list(checkout.resolve(module).resolve("target"))) {
          for (Path jar : files.filter(p -> p.getFileName().toString().endsWith("-SNAPSHOT.jar")).toList()) {
            jars.add(url(jar));
          }
        }
      }
      ClassLoader loader = new URLClassLoader(jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
      Class<?> module = loader.loadClass("dev.kiln.wasm.module.Module");
      Class<?> backend = loader.loadClass("dev.kiln.codegen.Backend");
      Class<?> options = loader.loadClass("dev.kiln.compiler.driver.CompileOptions");
      Class<?> compiled = loader.loadClass("dev.kiln.compiler.driver.CompiledModule");
      Class<?> emitter = loader.loadClass("dev.kiln.compiler.driver.ArtifactEmitter");
      load = loader.loadClass("dev.kiln.wasm.Wasm").getMethod("load", byte[].class);
      compile = loader.loadClass("dev.kiln.compiler.driver.Compiler").getMethod("compile", module, backend, options);
      link = emitter.getMethod("link", compiled);
      emit = emitter.getMethod("emit", compiled, loader.loadClass("dev.kiln.compiler.link.LinkedText"), String.class);
      x64 = loader.loadClass("dev.kiln.codegen.x64.X64Backend").getMethod("forHost").invoke(null);
      aarch64 = loader.loadClass("dev.kiln.codegen.aarch64.AArch64Backend").getConstructor(boolean.class)
          .newInstance(false);
      defaults = options.getMethod("defaults").invoke(null);
      oneJob = options.getConstructor(int.class).newInstance(1);
    }

    /** The .cwasm bytes of {@code wasm}: decode, validate, compile, link and emit. */
    byte[] artifact(byte[] wasm, boolean forAArch64, boolean oneJobOnly) throws ReflectiveOperationException {
      Object compiledModule = compile.invoke(null, load.invoke(null, (Object) wasm), forAArch64 ? aarch64 : x64,
          oneJobOnly ? oneJob : defaults);
      return (byte[]) emit.invoke(null, compiledModule, link.invoke(null, compiledModule), "ab");
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println("usage: CompileAB A_CHECKOUT B_CHECKOUT WARMUP ROUNDS FILE.wasm...");
      System.exit(2);
    }
    Side a = new Side(Path.of(args[0]));
    Side b = new Side(Path.of(args[1]));
    int warmup = Integer.parseInt(args[2]);
    int rounds = Integer.parseInt(args[3]);
    List<Path> files = Arrays.stream(args, 4, args.length).map(Path::of).toList();

    System.out.println("artifacts, A against B:");
    for (Path file : files) {
      byte[] wasm = Files.readAllBytes(file);
      for (boolean forAArch64 : new boolean[] {false, true}) {
        byte[] fromA = artifact(a, wasm, forAArch64);
        byte[] fromB = artifact(b, wasm, forAArch64);
        System.out.printf(Locale.ROOT, "  %-44s %-8s %s%n", file.getParent().getFileName() + "/" + file.getFileName(),
            forAArch64 ? "aarch64" : "x86_64", Arrays.equals(fromA, fromB) ? "same"
                : "differ (" + fromA.length + " -> " + fromB.length + " bytes)");
      }
    }

    byte[] timed = Files.readAllBytes(files.getFirst());
    boolean timedForAArch64 = TIMED_TARGET.equals("aarch64");
    // Alternated as the timed rounds are: with A always warmed first, the same checkout on both sides
    // read 0.93-0.98 for B / A (2026-11-29), the side warmed second faster.
    for (int k = 0; k < warmup; k++) {
      (k % 2 == 0 ? a : b).artifact(timed, timedForAArch64, true);
      (k % 2 == 0 ? b : a).artifact(timed, timedForAArch64, true);
    }
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().threadId();
    double[][] cpuMs = new double[2][rounds];
    double[][] megabytes = new double[2][rounds];
    double[][] wallMs = new double[2][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int turn = 0; turn < 2; turn++) {
        int side = r % 2 == 0 ? turn : 1 - turn; // A B, then B A
        long bytes0 = threads.getThreadAllocatedBytes(self);
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        (side == 0 ? a : b).artifact(timed, timedForAArch64, true);
        wallMs[side][r] = (System.nanoTime() - wall0) / 1e6;
        cpuMs[side][r] = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6;
        megabytes[side][r] = (threads.getThreadAllocatedBytes(self) - bytes0) / 1e6;
      }
    }
    System.out.printf(Locale.ROOT,
        "%n%s on one job, %s, %d settling compiles per side, median of %d alternating:%n",
        files.getFirst(), timedForAArch64 ? "aarch64" : "x86-64", warmup, rounds);
    System.out.printf(Locale.ROOT, "  %-6s %12s %12s %12s%n", "", "thread CPU", "allocated", "wall");
    for (int side = 0; side < 2; side++) {
      System.out.printf(Locale.ROOT, "  %-6s %9.1f ms %9.1f MB %9.1f ms%n", side == 0 ? "A" : "B",
          median(cpuMs[side]), median(megabytes[side]), median(wallMs[side]));
    }
    System.out.printf(Locale.ROOT, "  %-6s %12.3f %12.3f %12.3f%n", "B / A", median(cpuMs[1]) / median(cpuMs[0]),
        median(megabytes[1]) / median(megabytes[0]), median(wallMs[1]) / median(wallMs[0]));
    double[] ratios = new double[rounds];
    double logSum = 0;
    for (int r = 0; r < rounds; r++) {
      ratios[r] = cpuMs[1][r] / cpuMs[0][r];
      logSum += Math.log(ratios[r]);
    }
    Arrays.sort(ratios);
    // The spread says what the medians can tell apart: the same checkout on both sides moves by a few
    // percent between runs of this tool.
    System.out.printf(Locale.ROOT, "  thread CPU, B / A per round: geometric mean %.3f, range %.3f-%.3f%n",
        Math.exp(logSum / rounds), ratios[0], ratios[rounds - 1]);
  }

  /** A side's artifact, or the text of what the compile threw (a refusal compares like any output). */
  private static byte[] artifact(Side side, byte[] wasm, boolean forAArch64) throws ReflectiveOperationException {
    try {
      return side.artifact(wasm, forAArch64, false);
    } catch (InvocationTargetException e) {
      return String.valueOf(e.getCause()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static URL url(Path jar) {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }
}
