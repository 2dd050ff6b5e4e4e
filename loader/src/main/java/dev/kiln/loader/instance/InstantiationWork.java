package dev.kiln.loader.instance;

/**
 * Work instantiation does once and shares, or skips, counted for the tests that check it is
 * skipped (issue 41: counted, not timed), as {@link dev.kiln.loader.sys.MappingCalls} counts the
 * mapping calls. Counts are the calling thread's, so a test sees only its own instantiations.
 */
public enum InstantiationWork {
  /** A module's {@link FuncRefTemplate} made (once per module and engine, at its first instantiation). */
  FUNC_REF_TEMPLATE_MADE,
  /** A template's block cloned for an instance because its spare copy was in use on another thread. */
  FUNC_REF_TEMPLATE_CLONED,
  /** A module's {@link ConstantGlobals} made (once per module, at its first instantiation). */
  CONSTANT_GLOBALS_MADE,
  /** A defined global's initialiser evaluated for one instance (one {@link ConstantGlobals} could not hold). */
  GLOBAL_INITIALISER_EVALUATED;

  /** Each thread's counts, indexed by ordinal: a plain array of the thread's own, no shared write. */
  private static final ThreadLocal<long[]> ON_THIS_THREAD = ThreadLocal.withInitial(() -> new long[values().length]);

  void increment() {
    ON_THIS_THREAD.get()[ordinal()]++;
  }

  /** How many times the calling thread did this so far. */
  public long countOnThisThread() {
    return ON_THIS_THREAD.get()[ordinal()];
  }
}
