package dev.kiln.tests.pool;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Linker;
import dev.kiln.runtime.PoolingAllocation;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.WasmModule;
import dev.kiln.tests.lifetimes.Soak.ProcessMemory;
import dev.kiln.wat.Wat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongUnaryOperator;

/**
 * The instance-per-request soak of issue 41, through the public API as a server would run it:
 * compile once, then on every thread {@code new Store}, instantiate, a typed handle, {@code
 * fac(20)}, close, over and over; every result checked. Prints a line per report interval (cycles
 * so far, the interval's rate, resident size and mappings), and last {@code cycle-soak growth:
 * MAPPINGS RSS_KIB} from the first report after a tenth of the run (the warm-up: the JIT, the
 * pool's first touches) to the end (after a GC), the first, last and largest resident size, and
 * whether that growth stays within {@link #MAX_NEW_MAPPINGS} and {@link #MAX_RSS_GROWTH_MIB} (the
 * exit status is 1 if not, or if a result was wrong). Each line also gives the process's CPU time
 * per cycle over the interval (all its threads: workers, JIT, GC), which a machine shared with
 * other work changes far less than the rate, the workers' own CPU time per cycle (the difference is
 * what the cycle makes the collector and the JIT do), and the heap bytes the workers allocated per cycle.
 *
 * <p>{@code CycleSoak THREADS SECONDS CYCLES_PER_THREAD MODULE POOLED REPORT_MS}: a thread stops after
 * its cycles or when the seconds are over; MODULE is {@code hello} (examples/hello.wasm: no memory),
 * {@code memory} (examples/memory-cycle.wat: a memory with 8 KiB of data, a table and a global:
 * the pool and the memory image at work) or {@code upcalls} (examples/upcalls-cycle.wat: a host
 * function, a GC struct and a caught throw, each an upcall of the store's code); POOLED is {@code pooled} or {@code on-demand}. {@link CycleSoakTest} runs a slice;
 * {@code scripts/cycle-soak} the full run.
 */
public final class CycleSoak {
  private static final long FAC_20 = 2432902008176640000L;
  /**
   * What "flat" allows from the first report after the warm-up to the end: a leaked on-demand
   * instance keeps its memory's reservation (a mapping or two each), so a leak of one cycle in
   * twenty shows in either bound within a thousand cycles.
   */
  static final int MAX_NEW_MAPPINGS = 64;
  static final long MAX_RSS_GROWTH_MIB = 32;
  /**
   * What "flat" allows the Java heap, live after a collection, to grow from the warm-up to the end
   * (measured: -6.5 to -0.3 MiB over the slice's 1,080 cycles, -5 MiB over 1.6 million). Closed
   * stores of the upcalls module kept by their upcall stubs (red team 24 F1) grew it 17 MiB in
   * the slice and ran a 256 MiB heap out within 13,000 cycles.
   */
  static final long MAX_HEAP_GROWTH_MIB = 8;

  private CycleSoak() {}

  /**
   * CPU time, in clock ticks (user and system), of this process's threads named {@code cycle-N}
   * (the workers) from {@code /proc/self/task/TID/stat}: with the process's CPU time, it splits a
   * cycle's cost into the workers' own and what the cycle makes the rest of the JVM do (collector,
   * JIT). -1 where {@code /proc} has no such files.
   */
  private static long workerTicks() {
    long ticks = 0;
    try (var tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        String stat = Files.readString(task.resolve("stat"));
        int close = stat.lastIndexOf(')');
        if (stat.substring(stat.indexOf('(') + 1, close).startsWith("cycle-")) {
          String[] fields = stat.substring(close + 2).split(" ");
          ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (proc(5))
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
    return ticks;
  }

  /** Heap bytes the threads {@code ids} have allocated, or -1 if one of them has ended. */
  private static long allocated(com.sun.management.ThreadMXBean threads, long[] ids) {
    long sum = 0;
    for (long bytes : threads.getThreadAllocatedBytes(ids)) {
      if (bytes < 0) {
        return -1;
      }
      sum += bytes;
    }
    return sum;
  }

  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    long seconds = Long.parseLong(args[1]);
    long cyclesPerThread = Long.parseLong(args[2]);
    // The memory module is a file of its own so that bench/instantiate-wasmtime.py runs the same one.
    byte[] wasm = args[3].equals("hello") ? Files.readAllBytes(Path.of("../examples/hello.wasm"))
        : Wat.toBinaryWithNames(Files.readString(Path.of("../examples/" + args[3] + "-cycle.wat")),
            args[3] + "-cycle.wat");
    boolean hostFunction = args[3].equals("upcalls");
    boolean pooled = args[4].equals("pooled");
    long reportMillis = Long.parseLong(args[5]);
    Engine.Builder builder = Engine.builder();
    if (pooled) {
      builder.pooling(PoolingAllocation.ofInstances(Math.max(4, 2 * threads)).withMaxMemoryBytes(1 << 20));
    }
    Engine engine = builder.build();
    try (WasmModule module = WasmModule.compile(engine, wasm)) {
      LongAdder cycles = new LongAdder();
      AtomicLong wrong = new AtomicLong();
      AtomicBoolean failed = new AtomicBoolean();
      long deadline = System.nanoTime() + seconds * 1_000_000_000L;
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread worker = new Thread(() -> {
          try {
            for (long i = 0; i < cyclesPerThread && System.nanoTime() < deadline; i++) {
              try (Store store = new Store(engine)) {
                Linker linker = new Linker(store);
                if (hostFunction) {
                  linker.func("env", "id", LongUnaryOperator.class, x -> x);
                }
                Instance instance = linker.instantiate(module);
                if (instance.func("fac", LongUnaryOperator.class).applyAsLong(20) != FAC_20) {
                  wrong.incrementAndGet();
                }
              }
              cycles.increment();
            }
          } catch (RuntimeException | Error e) {
            failed.set(true);
            e.printStackTrace();
          }
        }, "cycle-" + t);
        worker.start();
        workers.add(worker);
      }
      long began = System.nanoTime();
      long expected = cyclesPerThread > Long.MAX_VALUE / threads ? Long.MAX_VALUE : cyclesPerThread * threads;
      List<long[]> reports = new ArrayList<>(); // {elapsed ms, cycles}
      List<ProcessMemory> memory = new ArrayList<>();
      long lastCycles = 0;
      long lastTime = began;
      var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long lastCpu = os.getProcessCpuTime();
      // Heap bytes the workers allocate a cycle (HotSpot's per-thread counters): what makes the
      // young collections that stop every thread.
      var threadBean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
      long[] workerIds = workers.stream().mapToLong(Thread::threadId).toArray();
      long lastAllocated = allocated(threadBean, workerIds);
      long lastWorkerTicks = workerTicks();
      long warmHeapKiB = -1; // the live heap after a collection at the first report past the warm-up
      while (workers.stream().anyMatch(Thread::isAlive)) {
        workers.getFirst().join(reportMillis);
        long now = System.nanoTime();
        long done = cycles.sum();
        boolean warmedUp = warmHeapKiB < 0 && (done >= expected / 10
            || (now - began) / 1_000_000 >= seconds * 100);
        ProcessMemory at = warmedUp ? ProcessMemory.afterGc() : ProcessMemory.now();
        if (warmedUp) {
          warmHeapKiB = at.heapUsedKiB();
        }
        reports.add(new long[] {(now - began) / 1_000_000, done});
        memory.add(at);
        long cpu = os.getProcessCpuTime();
        // The last workers finishing give intervals of no cycles: no CPU per cycle to speak of there.
        String cpuPerCycle = done == lastCycles ? "-"
            : String.format(Locale.ROOT, "%.2f", (cpu - lastCpu) / 1e3 / (done - lastCycles));
        long allocatedNow = allocated(threadBean, workerIds);
        // Once a worker has ended its counter is gone (-1): no figure for that interval.
        String bytesPerCycle = done == lastCycles || allocatedNow < 0 || lastAllocated < 0 ? "-"
            : Long.toString((allocatedNow - lastAllocated) / (done - lastCycles));
        long workerTicksNow = workerTicks();
        // Clock ticks are 10 ms (USER_HZ 100 on Linux): 1e4 us each.
        // An ended worker's ticks leave /proc with it, as its allocation counter does: no figure then.
        String workersPerCycle = done == lastCycles || workerTicksNow < 0 || lastWorkerTicks < 0
            || allocatedNow < 0 || lastAllocated < 0 ? "-"
            : String.format(Locale.ROOT, "%.2f", (workerTicksNow - lastWorkerTicks) * 1e4 / (done - lastCycles));
        System.out.printf(Locale.ROOT,
            "cycle-soak t=%.1fs cycles=%d rate=%.0f/s cpu=%s us/cycle workers=%s us/cycle alloc=%s B/cycle rss=%d KiB"
                + " mappings=%d%n",
            (now - began) / 1e9, done, (done - lastCycles) / ((now - lastTime) / 1e9), cpuPerCycle, workersPerCycle,
            bytesPerCycle, at.residentKiB(), at.mappings());
        lastWorkerTicks = workerTicksNow;
        lastAllocated = allocatedNow;
        lastCycles = done;
        lastCpu = cpu;
        lastTime = now;
      }
      ProcessMemory end = ProcessMemory.afterGc();
      long total = cycles.sum();
      double took = (System.nanoTime() - began) / 1e9;
      // The first report past a tenth of the run, by cycles or by time, whichever the run is bounded by.
      int warm = 0;
      while (warm < reports.size() - 1 && reports.get(warm)[1] < Math.min(expected, total) / 10
          && reports.get(warm)[0] < seconds * 100) {
        warm++;
      }
      ProcessMemory after = memory.get(warm);
      System.out.printf(Locale.ROOT, "cycle-soak done: %d threads, %s, %s, %d cycles in %.1f s (%.0f/s), %d wrong%s%n",
          threads, args[3], args[4], total, took, total / took, wrong.get(), failed.get() ? ", FAILED" : "");
      long newMappings = end.mappings() - after.mappings();
      long rssGrowth = end.residentKiB() - after.residentKiB();
      System.out.println("cycle-soak growth: " + newMappings + " " + rssGrowth);
      // No report past the warm-up (a run shorter than one interval): the first report's heap.
      long heapGrowth = end.heapUsedKiB() - (warmHeapKiB < 0 ? memory.getFirst().heapUsedKiB() : warmHeapKiB);
      System.out.println("cycle-soak heap growth: " + heapGrowth + " KiB live after collections");
      System.out.println("cycle-soak rss: first " + memory.getFirst().residentKiB() + " last " + end.residentKiB()
          + " max " + memory.stream().mapToLong(ProcessMemory::residentKiB).max().orElseThrow() + " KiB");
      boolean flat = newMappings <= MAX_NEW_MAPPINGS && rssGrowth <= MAX_RSS_GROWTH_MIB * 1024
          && heapGrowth <= MAX_HEAP_GROWTH_MIB * 1024;
      System.out.println("cycle-soak " + (flat ? "flat" : "NOT FLAT") + ": at most " + MAX_NEW_MAPPINGS
          + " more mappings, " + MAX_RSS_GROWTH_MIB + " MiB more resident and " + MAX_HEAP_GROWTH_MIB
          + " MiB more live heap after the warm-up");
      if (failed.get() || wrong.get() > 0 || !flat) {
        System.exit(1);
      }
    }
  }
}
