package dev.kiln.loader.instance;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.loader.host.EpochDeadlines;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;

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
 *
 * <p>Code compiled with fuel metering obeys the store's fuel, so its instantiation spends fuel too:
 * one unit an item, {@link CompileDeadline#POLL_INTERVAL} at a time, ending with the {@code
 * OUT_OF_FUEL} trap once it is spent. So {@code --fuel} alone bounds instantiation as it bounds the
 * code (before, instantiation under fuel alone had no bound but the module's size).
 */
public final class InstantiationDeadline {
  /** For a view made outside any instantiation (tests of the layout): nothing is checked. */
  public static final InstantiationDeadline NONE = new InstantiationDeadline(null, false, false);

  private final NativeStore store;
  private final boolean obeyed;
  private final boolean metered;
  private long items;

  private InstantiationDeadline(NativeStore store, boolean obeyed, boolean metered) {
    this.store = store;
    this.obeyed = obeyed;
    this.metered = metered;
  }

  /** The deadline an instance of {@code module} in {@code store} obeys (none without epoch interruption). */
  public static InstantiationDeadline of(LoadedModule module, NativeStore store) {
    // Read from the artifact's settings once per module, not per instance.
    ExecutionLimits limits = module.derived(ExecutionLimits.class,
        m -> ExecutionLimits.fromSettings(m.file().compat().settings()));
    return new InstantiationDeadline(store, limits.epochInterruption(), limits.consumeFuel());
  }

  /**
   * One more item handled; every {@link CompileDeadline#POLL_INTERVAL}-th checks the deadline and
   * spends that much fuel.
   */
  public void tick() {
    if ((++items & (CompileDeadline.POLL_INTERVAL - 1)) == 0) {
      poll(1);
    }
  }

  /**
   * {@code count} more items handled in one step (a bulk copy and a loop without calls): as {@code
   * count} calls of {@link #tick()}, but the deadline is checked once and the fuel of every {@link
   * CompileDeadline#POLL_INTERVAL} completed is spent together.
   */
  public void tick(int count) {
    long before = items / CompileDeadline.POLL_INTERVAL;
    items += count;
    long polls = items / CompileDeadline.POLL_INTERVAL - before;
    if (polls > 0) {
      poll(polls);
    }
  }

  private void poll(long polls) {
    if (obeyed) {
      EpochDeadlines.check(store);
    }
    if (metered && !store.spendFuel(polls * CompileDeadline.POLL_INTERVAL)) {
      throw new TrapException(TrapCode.OUT_OF_FUEL, 0, new long[0]);
    }
  }
}
