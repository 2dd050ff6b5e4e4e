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

  private GcStress() {}

  /** Whether the mode is on now (read when a store makes its heap). */
  static boolean enabled() {
    return Boolean.getBoolean(PROPERTY);
  }
}
