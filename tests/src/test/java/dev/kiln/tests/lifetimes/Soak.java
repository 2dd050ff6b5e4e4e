package dev.kiln.tests.lifetimes;

import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The embedding soak of issue 12 item 7: programs instantiated, run and closed over and over, with
 * two modules loaded once and shared by every thread. A program ({@link #PROGRAM}) imports a host
 * function and a library instance's function and global, grows its memory, calls through its table
 * and traps on demand, so every kind of object the store frees is made and freed on each cycle;
 * every result is checked. Neither module has a funcref at its boundary, so closing an instance
 * frees it at once: a leak shows as growing mappings and memory ({@link ProcessMemory}).
 *
 * <p>{@link SoakTest} runs {@link #main} in a child JVM with a fixed, pre-touched heap, so the
 * resident size does not move with the Java heap and what grows is native memory.
 */
public final class Soak implements AutoCloseable {
  static final String LIBRARY = """
      (module (global (export "base") i32 (i32.const 1000))
        (func (export "twice") (param i32) (result i32) (i32.shl (local.get 0) (i32.const 1))))
      """;
  /** {@code run(x)} = 2 x^2 + 1000, through the memory, the table, the library and the host. */
  static final String PROGRAM = """
      (module
        (import "env" "add" (func $add (param i32 i32) (result i32)))
        (import "lib" "twice" (func $twice (param i32) (result i32)))
        (import "lib" "base" (global $base i32))
        (memory 1)
        (type $unary (func (param i32) (result i32)))
        (table 2 funcref)
        (elem (i32.const 0) $square $increment)
        (func $square (type $unary) (i32.mul (local.get 0) (local.get 0)))
        (func $increment (type $unary) (i32.add (local.get 0) (i32.const 1)))
        (func (export "run") (param $x i32) (result i32) (local $at i32)
          (local.set $at (i32.mul (memory.grow (i32.const 1)) (i32.const 65536)))
          (i32.store (local.get $at) (local.get $x))
          (call $add
            (call $twice (call_indirect (type $unary) (i32.load (local.get $at)) (i32.const 0)))
            (global.get $base)))
        (func (export "trap") (result i32) (i32.div_u (i32.const 1) (i32.const 0))))
      """;
  private static final FuncType ADD = new FuncType(List.of(ValType.I32, ValType.I32), List.of(ValType.I32));
  /** Programs per store before the store is closed and a new one made. */
  private static final int PROGRAMS_PER_STORE = 50;

  private final LoadedModule library = CrashScenarios.module(LIBRARY);
  private final LoadedModule program = CrashScenarios.module(PROGRAM);

  /**
   * {@code Soak THREADS INSTANCES_PER_THREAD SECONDS CYCLES}: the threads run until each has run
   * its programs or the seconds are over, then the cycles run on one thread. Prints one line per
   * phase and checkpoint, and last {@code soak growth: MAPPINGS RSS_KIB VIRTUAL_KIB HEAP_KIB} over
   * the last nine tenths of the cycles: the first tenth finishes the warm-up (the JIT compiles the
   * cycle's code there, and the resident size steps up once), a leak keeps growing after it.
   */
  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    long instancesPerThread = Long.parseLong(args[1]);
    long seconds = Long.parseLong(args[2]);
    long cycles = Long.parseLong(args[3]);
    try (Soak soak = new Soak()) {
      ProcessMemory start = ProcessMemory.afterGc();
      ThreadsRun run = soak.threads(threads, instancesPerThread, Duration.ofSeconds(seconds));
      System.out.printf(Locale.ROOT, "soak threads: %d threads, %d programs in %.1f s (%.0f/s); before %s; after %s%n",
          run.threads(), run.instances(), run.seconds(), run.instances() / run.seconds(), start,
          ProcessMemory.afterGc());
      long began = System.nanoTime();
      List<ProcessMemory> checkpoints = soak.cycles(cycles);
      double took = (System.nanoTime() - began) / 1e9;
      checkpoints.forEach(c -> System.out.println("soak checkpoint: " + c));
      ProcessMemory before = checkpoints.get(1);
      ProcessMemory after = checkpoints.getLast();
      System.out.printf(Locale.ROOT, "soak cycles: %d cycles in %.1f s (%.0f/s); after a tenth %s; at the end %s%n",
          cycles, took, cycles / took, before, after);
      System.out.println("soak growth: " + (after.mappings() - before.mappings()) + " "
          + (after.residentKiB() - before.residentKiB()) + " " + (after.virtualKiB() - before.virtualKiB()) + " "
          + (after.heapUsedKiB() - before.heapUsedKiB()));
    }
  }

  /**
   * The process's mappings ({@code /proc/self/maps} lines), memory ({@code /proc/self/status},
   * proc(5)) and the Java heap in use.
   */
  public record ProcessMemory(long mappings, long residentKiB, long virtualKiB, long heapUsedKiB) {
    /** The process now. */
    public static ProcessMemory now() {
      try {
        long mappings = Files.readAllLines(Path.of("/proc/self/maps")).size();
        long rss = 0;
        long size = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
          if (line.startsWith("VmRSS:")) {
            rss = kib(line);
          } else if (line.startsWith("VmSize:")) {
            size = kib(line);
          }
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024;
        return new ProcessMemory(mappings, rss, size, heap);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static long kib(String line) {
      return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /** After a collection, so that garbage Java objects do not count as growth. */
    public static ProcessMemory afterGc() {
      System.gc();
      return now();
    }

    @Override
    public String toString() {
      return mappings + " mappings, VmRSS " + residentKiB / 1024 + " MiB, VmSize " + virtualKiB / 1024
          + " MiB, heap used " + heapUsedKiB / 1024 + " MiB";
    }
  }

  /** What the threads did: instances made (each run, checked and closed) and seconds taken. */
  record ThreadsRun(int threads, long instances, double seconds) {}

  /**
   * {@code threads} threads, each making stores and running programs in them until it has run
   * {@code instancesPerThread} or {@code duration} has passed, whichever comes first.
   */
  ThreadsRun threads(int threads, long instancesPerThread, Duration duration) throws Exception {
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Long>> runs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        runs.add(pool.submit(() -> {
          long done = 0;
          while (done < instancesPerThread && System.nanoTime() < deadline) {
            done += storeFull(seed + (int) done, (int) Math.min(PROGRAMS_PER_STORE, instancesPerThread - done));
          }
          return done;
        }));
      }
      long total = 0;
      for (Future<Long> run : runs) {
        total += run.get();
      }
      return new ThreadsRun(threads, total, (System.nanoTime() - start) / 1e9);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } finally {
      pool.shutdown();
    }
  }

  /**
   * {@code cycles} instantiate/run/close cycles on this thread, with the process measured after a
   * warm-up (JIT-compiled code, FFM stubs and the heap reach their working size) and then after
   * each tenth of the cycles: {@code checkpoints[0]} is the start, {@code checkpoints[10]} the end.
   */
  List<ProcessMemory> cycles(long cycles) {
    storeFull(0, PROGRAMS_PER_STORE);
    List<ProcessMemory> checkpoints = new ArrayList<>(List.of(ProcessMemory.afterGc()));
    long done = 0;
    for (int tenth = 1; tenth <= 10; tenth++) {
      long until = cycles * tenth / 10;
      while (done < until) {
        done += storeFull((int) done, (int) Math.min(PROGRAMS_PER_STORE, until - done));
      }
      checkpoints.add(ProcessMemory.afterGc());
    }
    return checkpoints;
  }

  /** One store with the library and host function, {@code programs} programs run in it one after another. */
  private int storeFull(int seed, int programs) {
    try (NativeStore store = new NativeStore()) {
      ImportNamespace linker = new ImportNamespace(store);
      linker.defineFunction("env", "add", ADD, args -> List.of(new WasmValue.I32(
          ((WasmValue.I32) args.get(0)).value() + ((WasmValue.I32) args.get(1)).value())));
      LoadedInstance lib = linker.instantiate(library);
      linker.defineInstance("lib", lib);
      for (int i = 0; i < programs; i++) {
        try (LoadedInstance instance = linker.instantiate(program)) {
          int x = (seed + i) % 1000;
          int result = ((WasmValue.I32) instance.invoke("run", x).getFirst()).value();
          if (result != 2 * x * x + 1000) {
            throw new AssertionError("run(" + x + ") = " + result + ", expected " + (2 * x * x + 1000));
          }
          if (i % 10 == 0) {
            try {
              instance.invoke("trap");
              throw new AssertionError("trap() returned");
            } catch (TrapException trap) {
              if (trap.code() != TrapCode.INTEGER_DIVISION_BY_ZERO) {
                throw new AssertionError("trap() trapped with " + trap.code());
              }
            }
          }
        }
      }
      lib.close();
      return programs;
    }
  }

  @Override
  public void close() {
    program.close();
    library.close();
  }
}
