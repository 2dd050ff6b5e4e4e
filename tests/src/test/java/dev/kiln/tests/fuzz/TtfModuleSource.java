package dev.kiln.tests.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Generated modules, made ahead: binaryen's {@code wasm-opt -ttf --denan} is one process per module
 * (about 20-50 ms, a sixth of a module's time when it ran in line), so a thread of its own keeps
 * {@link #AHEAD} modules generated while the engines run the current one. Module {@code n} still
 * comes from seed {@code first + n}, in order, so a run is as reproducible as before. Which binaryen
 * makes the module from the seed's bytes is a {@link Generator}: Debian's for the MVP+SIMD fuzzer
 * ({@link #DEBIAN_WASM_OPT}), npm's binaryen 132 for WebAssembly 3.0 ({@link Wasm3Modules}).
 */
final class TtfModuleSource implements AutoCloseable {
  /** Modules generated ahead of the one being compared. */
  static final int AHEAD = 4;

  /** One generated module: its seed and its file. */
  record Generated(long seed, Path file) {}

  /** Turns the seed's random bytes ({@code input}) into a module file in {@code work}. */
  @FunctionalInterface
  interface Generator {
    Path generate(Path work, Path input, long seed) throws IOException, InterruptedException;
  }

  /**
   * Debian's wasm-opt -ttf --denan; every second seed with --enable-simd, which makes binaryen use
   * v128 values and operators, log-v128 calls and exports with v128 in their types.
   */
  static final Generator DEBIAN_WASM_OPT = (work, input, seed) -> {
    Path output = work.resolve("seed-" + seed + ".wasm");
    List<String> command = new ArrayList<>(List.of("wasm-opt", input.toString(), "-ttf", "--denan"));
    if ((seed & 1) == 0) {
      command.add("--enable-simd");
    }
    command.addAll(List.of("-o", output.toString()));
    run(command, "wasm-opt (Debian package binaryen)", seed);
    return output;
  };

  private final Path work;
  private final Generator generator;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
    Thread t = new Thread(task, "difffuzz-wasm-opt");
    t.setDaemon(true);
    return t;
  });
  private final ArrayDeque<Future<Generated>> ahead = new ArrayDeque<>();
  private long nextSeed;

  TtfModuleSource(Path work, long firstSeed) {
    this(work, firstSeed, DEBIAN_WASM_OPT);
  }

  TtfModuleSource(Path work, long firstSeed, Generator generator) {
    this.work = work;
    this.generator = generator;
    this.nextSeed = firstSeed;
    for (int i = 0; i < AHEAD; i++) {
      scheduleNext();
    }
  }

  /** The next module in seed order; the caller deletes its file. */
  Generated next() throws IOException, InterruptedException {
    Future<Generated> module = ahead.removeFirst();
    scheduleNext();
    try {
      return module.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof Wasm3Modules.ReferenceFailure failure) {
        throw failure;
      }
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    }
  }

  private void scheduleNext() {
    long seed = nextSeed++;
    ahead.addLast(worker.submit(() -> new Generated(seed, generate(seed))));
  }

  /** The module of {@code seed}: {@link #generator} over 0.5-16 KiB of seeded random bytes. */
  private Path generate(long seed) throws IOException, InterruptedException {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] entropy = new byte[512 + random.nextInt(16 * 1024)];
    random.nextBytes(entropy);
    Path input = Files.write(work.resolve("seed-" + seed + ".bin"), entropy);
    Path output = generator.generate(work, input, seed);
    Files.delete(input);
    return output;
  }

  /** Runs {@code command}; its output is the failure's message if it exits non-zero. */
  static void run(List<String> command, String what, long seed) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(what + " failed for seed " + seed + ":\n" + log);
    }
  }

  /** Stops generating; files made ahead and not taken are deleted. */
  @Override
  public void close() throws IOException {
    worker.shutdownNow();
    for (Future<Generated> module : ahead) {
      if (module.state() == Future.State.SUCCESS) {
        Files.deleteIfExists(module.resultNow().file());
      }
    }
  }
}
