package dev.kiln.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Target;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code bench/run compile-warm [--rounds N] [--jobs N] [--target ISA] [FILE.wasm]}: one module
 * compiled again and again in one JVM ({@code Engine.precompile}, what {@code kiln compile} runs),
 * each round's process CPU time (every thread: the compile's workers, the JIT, the collector), wall
 * time and bytes allocated. The first rounds pay for the JVM compiling Kiln; the later ones are the
 * compile's steady work, which set beside a cold {@code ./kiln compile} of the same module says what
 * the warm-up costs (docs/PERFORMANCE.md, "A large module: CPU"). {@code bench/run} starts this JVM
 * with the launcher's flags for a large compile (read from {@code ./kiln}). Every round's artifact
 * must be the first's, byte for byte. Default: yosys, 4 rounds, the available processors, x86-64.
 */
public final class WarmCompileCpu {
  private WarmCompileCpu() {}

  record Options(Path module, int rounds, int jobs, Target target) {}

  static final String USAGE = "[--rounds N] [--jobs N] [--target x86_64|aarch64] [FILE.wasm]";

  static Options parse(BenchArguments args, Path defaultModule) {
    int rounds = 4;
    int jobs = Runtime.getRuntime().availableProcessors();
    Target target = Target.X86_64;
    Path module = null;
    while (args.hasNext()) {
      String arg = args.next();
      switch (arg) {
        case "--rounds" -> rounds = args.count(arg);
        case "--jobs" -> jobs = args.count(arg);
        case "--target" -> {
          String isa = args.value(arg);
          target = switch (isa) {
            case "x86_64" -> Target.X86_64;
            case "aarch64" -> Target.AARCH64;
            default -> throw new BenchArguments.UsageError("--target takes x86_64 or aarch64, not " + isa);
          };
        }
        default -> {
          if (module != null) {
            throw args.unexpected(arg);
          }
          module = args.existing(arg);
        }
      }
    }
    return new Options(module != null ? module : defaultModule, rounds, jobs, target);
  }

  public static void main(String[] args) throws Exception {
    Path yosys = Path.of(System.getenv().getOrDefault("KILN_CORPORA", "../shared/corpora"), "yosys", "yosys.wasm");
    Options options = BenchArguments.parse("compile-warm", USAGE, args, a -> parse(a, yosys));
    run(options, System.out);
  }

  static void run(Options options, PrintStream out) throws Exception {
    byte[] wasm = Files.readAllBytes(options.module());
    Engine engine = Engine.builder().compileJobs(options.jobs()).target(options.target()).build();
    var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    out.printf(Locale.ROOT, "# %s: %.1f MB of wasm, %s, %d jobs, %d rounds in one JVM%n",
        options.module().getFileName(), wasm.length / 1e6, options.target().displayName(), options.jobs(), options.rounds());
    double[] cpu = new double[options.rounds()];
    byte[] first = null;
    for (int r = 0; r < options.rounds(); r++) {
      long cpu0 = os.getProcessCpuTime();
      long allocated0 = threads.getTotalThreadAllocatedBytes();
      long wall0 = System.nanoTime();
      byte[] artifact = engine.precompile(wasm);
      double wall = (System.nanoTime() - wall0) / 1e9;
      cpu[r] = (os.getProcessCpuTime() - cpu0) / 1e9;
      double gigabytes = (threads.getTotalThreadAllocatedBytes() - allocated0) / 1e9;
      if (first == null) {
        first = artifact;
      } else if (!Arrays.equals(first, artifact)) {
        throw new IllegalStateException("round " + (r + 1) + "'s artifact differs from the first's");
      }
      out.printf(Locale.ROOT, "round %d: %.2f s CPU, %.2f s wall, %.2f GB allocated, %,d bytes%n",
          r + 1, cpu[r], wall, gigabytes, artifact.length);
    }
    if (options.rounds() > 1) {
      double[] later = Arrays.copyOfRange(cpu, 1, cpu.length);
      Arrays.sort(later);
      out.printf(Locale.ROOT, "after the first round: best %.2f s CPU, median %.2f (the first %.2f)%n",
          later[0], later[later.length / 2], cpu[0]);
    }
  }
}
