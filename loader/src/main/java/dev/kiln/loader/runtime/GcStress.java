package dev.kiln.loader.runtime;

/**
 * The debug mode that collects at every allocation slow path: with the system property {@value
 * #PROPERTY} set to {@code true} when a store makes its GC heap, every allocation of compiled code
 * takes the slow path ({@link GcHeap}), which collects each time and checks the heap afterwards
 * ({@link HeapVerifier}). For stress tests of the collector and its roots (every safepoint's stack
 * map, globals, tables, handles): a root the collector misses shows up at the next collection
 * instead of after megabytes of allocation. Slow by design; never for production.
 */
public final class GcStress {
  /** The system property that turns the mode on. */
  public static final String PROPERTY = "kiln.gc.collectAtEveryAllocation";

  private GcStress() {}

  /** Whether the mode is on now (read when a store makes its heap). */
  static boolean enabled() {
    return Boolean.getBoolean(PROPERTY);
  }
}
