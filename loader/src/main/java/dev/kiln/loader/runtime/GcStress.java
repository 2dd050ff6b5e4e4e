package dev.kiln.loader.runtime;

/**
 * The debug mode that collects at every call safepoint where a collection can happen: with the
 * system property {@value #PROPERTY} set to {@code true} when a store makes its GC heap, every
 * allocation of compiled code takes the slow path ({@link GcHeap}), which collects each time, and
 * every call of compiled code out to a host function collects before the host function runs ({@code
 * NativeStore.hostCallEntered}), with the frames of every activation waiting on the stack among the
 * roots. A wasm-to-wasm call meets a collection only through one of those two inside it, so each
 * call safepoint's stack map is used whenever it could matter. The heap is checked after each
 * collection ({@link HeapVerifier}). For stress tests of the collector and its roots (every
 * safepoint's stack map, globals, tables, handles): a root the collector misses shows up at the
 * next collection instead of after megabytes of allocation. Slow by design; never for production.
 */
public final class GcStress {
  /** The system property that turns the mode on. */
  public static final String PROPERTY = "kiln.gc.collectAtEveryAllocation";
  /**
   * The system property of a second mode: a store made while it is {@code true} collects its heap
   * each time a thread lets go of its outermost claim ({@link NativeStore#exclusive}, the end of an
   * entry), as another thread's collection could right then. Every object then moves between one
   * claim and the next, so a GC word that left a claim as a number (a handle made after the claim
   * that read the word, red team 14 F4) names a stale address at once, on one thread, every time.
   */
  public static final String COLLECT_ON_RELEASE_PROPERTY = "kiln.gc.collectOnClaimRelease";

  private GcStress() {}

  /** Whether the mode is on now (read when a store makes its heap). */
  static boolean enabled() {
    return Boolean.getBoolean(PROPERTY);
  }

  /** Whether the second mode is on now (read when a store is made). */
  static boolean collectOnClaimRelease() {
    return Boolean.getBoolean(COLLECT_ON_RELEASE_PROPERTY);
  }
}
