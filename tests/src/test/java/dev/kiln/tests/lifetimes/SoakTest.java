package dev.kiln.tests.lifetimes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.tests.support.ForkedJvm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The soak ({@link Soak}) in a child JVM with a fixed, pre-touched 256 MiB heap (so the resident
 * size does not move with the Java heap): a small bounded slice in every test run (2 threads x 200
 * programs, then 400 cycles: a few seconds), the full one through {@code scripts/soak SECONDS
 * [CYCLES]}, which sets {@code kiln.soak.seconds} (16 threads sharing the two loaded modules for
 * that long) and {@code kiln.soak.cycles} (default 100,000).
 *
 * <p>Bounds on growth over the last nine tenths of the cycles (the first tenth ends the warm-up),
 * each measured after a GC: at most {@value #MAX_NEW_MAPPINGS} more mappings, {@value
 * #MAX_RSS_GROWTH_MIB} MiB more resident memory, {@value #MAX_VIRTUAL_GROWTH_MIB} MiB more address
 * space and {@value #MAX_HEAP_GROWTH_MIB} MiB more live Java heap. A leaked program costs 4 GiB of
 * address space (its memory, declared without a maximum, reserves the 32-bit index space: one leak
 * breaks that bound), at least two mappings (committed pages and the rest of a reservation are
 * separate VMAs) and about 10 KiB resident (its VMContext, the memory page it writes, the table's
 * first page), so over 90,000 cycles one leaked reservation, one program in a thousand leaking its
 * mappings or one in thirty leaking its pages breaks a bound.
 */
class SoakTest {
  static final int MAX_NEW_MAPPINGS = 64;
  static final long MAX_RSS_GROWTH_MIB = 32;
  static final long MAX_VIRTUAL_GROWTH_MIB = 1024;
  static final long MAX_HEAP_GROWTH_MIB = 16;
  private static final List<String> JVM = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch", "-Xss8m");

  @Test
  void programsRunOnManyThreadsAndInstantiateCloseCyclesLeaveNothingBehind() {
    long seconds = Long.getLong("kiln.soak.seconds", 0);
    boolean full = seconds > 0;
    long cycles = Long.getLong("kiln.soak.cycles", full ? 100_000 : 400);
    ForkedJvm.Outcome child = ForkedJvm.run(JVM, Soak.class, full ? "16" : "2",
        full ? String.valueOf(Long.MAX_VALUE) : "200", full ? String.valueOf(seconds) : "86400", String.valueOf(cycles));
    System.out.print(child.out());
    assertEquals(0, child.exit(), child.describe());
    if (!full) {
      assertTrue(child.out().contains("soak threads: 2 threads, 400 programs"), child.describe());
    }
    String growth = child.out().lines().filter(l -> l.startsWith("soak growth: ")).findFirst().orElseThrow();
    String[] g = growth.substring("soak growth: ".length()).split(" ");
    assertTrue(Long.parseLong(g[0]) <= MAX_NEW_MAPPINGS, growth + " (mappings)");
    assertTrue(Long.parseLong(g[1]) <= MAX_RSS_GROWTH_MIB * 1024, growth + " (VmRSS KiB)");
    assertTrue(Long.parseLong(g[2]) <= MAX_VIRTUAL_GROWTH_MIB * 1024, growth + " (VmSize KiB)");
    assertTrue(Long.parseLong(g[3]) <= MAX_HEAP_GROWTH_MIB * 1024, growth + " (heap KiB)");
  }
}
