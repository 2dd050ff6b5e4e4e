package dev.kiln.wasi;

import dev.kiln.loader.host.EpochDeadlines;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.wasi.fs.WaitLimit;

/**
 * The {@link WaitLimit} of WASI functions called from a store's wasm code: the store's epoch
 * deadline ({@link NativeStore#setEpochDeadline}), in force when the calling module was compiled with
 * epoch interruption, as its own code's checks are. Code compiled without them has no deadline a
 * wait could miss; a call from Java has no calling code, so no deadline either. The deadline is
 * reached when the epoch is at or past it, and then {@link #check()} throws the {@code INTERRUPT}
 * trap that code raises ({@link EpochDeadlines}).
 */
final class StoreDeadline implements WaitLimit {
  private final NativeStore store;
  /** Whether the code of the call running now checks the epoch; set as each call starts. */
  private boolean callerChecksEpoch;

  StoreDeadline(NativeStore store) {
    this.store = store;
  }

  /** Whether {@code instance}'s code was compiled with epoch interruption. */
  static boolean checksEpoch(LoadedInstance instance) {
    return EpochDeadlines.checkedBy(instance);
  }

  /** Called as each WASI call starts, with whether its caller's code checks the epoch. */
  void enter(boolean checksEpoch) {
    callerChecksEpoch = checksEpoch;
  }

  @Override
  public boolean applies() {
    return callerChecksEpoch;
  }

  @Override
  public boolean reached() {
    return callerChecksEpoch && EpochDeadlines.reached(store);
  }

  @Override
  public void check() {
    if (callerChecksEpoch) {
      EpochDeadlines.check(store);
    }
  }
}
