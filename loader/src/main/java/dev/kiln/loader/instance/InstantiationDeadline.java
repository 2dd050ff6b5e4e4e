package dev.kiln.loader.instance;

import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.loader.host.EpochDeadlines;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.Store;

/**
 * The store's epoch deadline as instantiation's own loops see it. Instantiating does work in
 * proportion to what the module declares (a VMContext field per global, segment, function
 * reference and type; a store-wide type id per type; an import bound per import; a table entry per
 * element item), a million of each if the module wants, before any compiled code runs to check the
 * deadline. Code compiled with epoch interruption obeys the store's deadline, so its instantiation
 * does too: every loop counts its items here, and once every {@link CompileDeadline#POLL_INTERVAL}
 * items the deadline is checked, ending instantiation with the same {@code INTERRUPT} trap the code
 * would raise ({@link EpochDeadlines#check}). Counted, not timed per item, so the clock is
 * read a thousand times less often than items are handled; a module with fewer items than that is
 * instantiated as before, even in a store whose deadline is not set yet.
 */
final class InstantiationDeadline {
  /** For a view made outside any instantiation (tests of the layout): nothing is checked. */
  static final InstantiationDeadline NONE = new InstantiationDeadline(null, false);

  private final Store store;
  private final boolean obeyed;
  private long items;

  private InstantiationDeadline(Store store, boolean obeyed) {
    this.store = store;
    this.obeyed = obeyed;
  }

  /** The deadline an instance of {@code module} in {@code store} obeys (none without epoch interruption). */
  static InstantiationDeadline of(LoadedModule module, Store store) {
    return new InstantiationDeadline(store,
        ExecutionLimits.fromSettings(module.file().compat().settings()).epochInterruption());
  }

  /** One more item handled; every {@link CompileDeadline#POLL_INTERVAL}-th checks the deadline. */
  void tick() {
    if ((++items & (CompileDeadline.POLL_INTERVAL - 1)) == 0 && obeyed) {
      EpochDeadlines.check(store);
    }
  }
}
