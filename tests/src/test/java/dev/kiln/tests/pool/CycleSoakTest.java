package dev.kiln.tests.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.tests.support.ForkedJvm;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A bounded slice of the instance-per-request soak ({@link CycleSoak}) in every test run: 16
 * threads (the soak's own count) x 75 cycles of the memory module (pool, memory image, table,
 * global), pooled and on demand, in a child JVM with a fixed, pre-touched heap (so the resident
 * size does not move with the Java heap). Counted, not timed: every result right, and from the
 * first tenth of the cycles to the end the soak's own flatness check ({@link
 * CycleSoak#MAX_NEW_MAPPINGS} more mappings, {@link CycleSoak#MAX_RSS_GROWTH_MIB} MiB more
 * resident memory at most; the child exits 1 past either). A leaked on-demand instance keeps its
 * memory's reservation (a mapping or two each, 1,080 cycles after the warm-up); a pooled slot that
 * were never given back would end the run at the pool's size with "all of its slots in use".
 * {@code scripts/cycle-soak} runs the full soak.
 */
class CycleSoakTest {
  @ParameterizedTest
  @ValueSource(strings = {"pooled", "on-demand"})
  void cyclesOnSixteenThreadsLeaveNothingBehind(String allocation) {
    ForkedJvm.Outcome child = ForkedJvm.run(List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"), CycleSoak.class,
        "16", "86400", "75", "memory", allocation, "250");
    assertEquals(0, child.exit(), child.describe());
    assertTrue(child.out().contains(" 1200 cycles in "), child.describe());
    assertTrue(child.out().contains(", 0 wrong\n"), child.describe());
    assertTrue(child.out().contains("\ncycle-soak flat: "), child.describe());
  }

  /**
   * The same slice on the module whose code calls into Java every way it can (a host function, the
   * GC slow path, the unwinder: examples/upcalls-cycle.wat), so the soak sees a store its upcalls
   * keep (red team 24 F1) as live-heap growth (17 MiB in this slice then, past {@link
   * CycleSoak#MAX_HEAP_GROWTH_MIB}); {@code ClosedStoreReachabilityTest} counts the stores themselves.
   */
  @Test
  void upcallCyclesOnSixteenThreadsLeaveNothingBehind() {
    ForkedJvm.Outcome child = ForkedJvm.run(List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"), CycleSoak.class,
        "16", "86400", "75", "upcalls", "on-demand", "250");
    assertEquals(0, child.exit(), child.describe());
    assertTrue(child.out().contains(" 1200 cycles in "), child.describe());
    assertTrue(child.out().contains(", 0 wrong\n"), child.describe());
    assertTrue(child.out().contains("\ncycle-soak flat: "), child.describe());
  }
}
