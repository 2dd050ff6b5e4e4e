package dev.kiln.tests.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Linker;
import dev.kiln.runtime.PoolingAllocation;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.WasmModule;
import dev.kiln.wat.Wat;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Java heap one instance-per-request cycle allocates once warm (issue 41: new Store,
 * instantiate, a typed handle, fac(20), close), pinned under a bound the cycle has reached, so that
 * garbage brought back fails here: at hundreds of thousands of cycles a second each KB a cycle is
 * hundreds of MB/s for the young collector. A count, not a timing: HotSpot's per-thread allocation
 * counter over rounds of cycles on this thread, the best round after warm-up (the JIT's escape
 * analysis removes some objects only once the cycle is compiled, which a loaded machine delays, so
 * the rounds go on until one is under the bound or the rounds run out).
 */
class CycleAllocationTest {
  private static final long FAC_20 = 2432902008176640000L;
  private static final int ROUNDS = 40;
  private static final int CYCLES_PER_ROUND = 10_000;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      // Measured 2026-11-25 in this test's JVM: 2,760 and 3,784 bytes run alone, 3,128 and 4,032
      // after the pool, lifetimes and limits tests (their code shares the JIT's profiles and so
      // inlines less); before issue 41's cuts, in a JVM of its own, 4,952 and 6,072. The bounds sit
      // between: the garbage brought back by one of the cuts fails, a JIT's variation does not.
      // An eager 64-slot owner map per store (StoreGc, 312 bytes) took hello to 3,704 once; made on
      // first use and small, 2,680 to 2,936 and 3,904 to 4,056 alone, but 3,672 for hello in the
      // whole default run (CI, after every other test of the JVM): the bounds leave that room, and
      // per-store footprints that need no JIT to count are pinned exactly (StoreGcFootprintTest).
      // The memory module, run alone at four commits of 2026-11-25 evening: 4,088 to 4,264 bytes
      // (JIT variation, no trend), but 4,704 once in CI's whole default run: 4,900 leaves that room
      // and still fails the 6,072 from before the cuts.
      // 2026-11-26: after that session's merges, 3,216 (hello) and 4,280 alone, 4,008 for hello in
      // the whole default run, over the 4,000 then. Traced: no merge added bytes. On the same loaded
      // machine (load 9 on 2 cores), alone, b206ce80 gave 3,032 to 3,280 for hello and main
      // (b3665f8e) 3,024 to 3,216 (200 rounds: 3,096 3,032 3,120 against 3,024 3,040 3,184); after the
      // lifetimes, limits and pool tests, b206ce80 3,856 and 3,808, main 3,392 and 3,784 (the memory
      // module 4,648 and 4,616 against 4,256 and 4,536). Without escape analysis (C1 only) main
      // allocates less, 4,664 against 4,896 (free(3) without LibcCall's boxed argument array). The
      // 2,680 of the evening before was a quieter machine; the run-to-run spread of the best round is
      // about 400 bytes here, so hello's bound is 4,400, which still fails the 4,952 from before the
      // cuts, and the memory module's stays 4,900.
      "hello, on-demand, 4400",
      "memory, pooled, 4900"})
  void aWarmCycleAllocatesNoMoreThanItsBound(String moduleName, String allocation, long bound) throws Exception {
    byte[] wasm = moduleName.equals("hello") ? Files.readAllBytes(Path.of("../examples/hello.wasm"))
        : Wat.toBinaryWithNames(Files.readString(Path.of("../examples/memory-cycle.wat")), "memory-cycle.wat");
    Engine.Builder builder = Engine.builder();
    if (allocation.equals("pooled")) {
      builder.pooling(PoolingAllocation.ofInstances(4).withMaxMemoryBytes(1 << 20));
    }
    Engine engine = builder.build();
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long best = Long.MAX_VALUE;
    try (WasmModule module = WasmModule.compile(engine, wasm)) {
      for (int round = 0; round < ROUNDS && best > bound; round++) {
        long before = threads.getCurrentThreadAllocatedBytes();
        long wrong = 0;
        for (int i = 0; i < CYCLES_PER_ROUND; i++) {
          wrong += cycle(engine, module) == FAC_20 ? 0 : 1;
        }
        best = Math.min(best, (threads.getCurrentThreadAllocatedBytes() - before) / CYCLES_PER_ROUND);
        assertEquals(0, wrong);
      }
    }
    assertTrue(best <= bound, moduleName + " " + allocation + ": the best round allocated " + best
        + " bytes a cycle, more than the " + bound + " this cycle reached");
  }

  private static long cycle(Engine engine, WasmModule module) {
    try (Store store = new Store(engine)) {
      return new Linker(store).instantiate(module).func("fac", LongUnaryOperator.class).applyAsLong(20);
    }
  }
}
