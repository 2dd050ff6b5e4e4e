package dev.kiln.loader.runtime;

/**
 * A store's epoch deadline and fuel, the two fields of its context that code compiled with epoch
 * interruption or fuel metering checks at loop headers and function entries ({@code
 * artifact.vm.ExecutionLimits}). A store starts with a deadline of 0 and no fuel, so such code
 * traps at once until they are set (as in Wasmtime). After an {@code INTERRUPT} or {@code
 * OUT_OF_FUEL} trap the store and the thread are usable as after any trap; set a new deadline or
 * add fuel before calling again. {@link NativeStore} calls it under its lock after checking that
 * the store is open, and checks the arguments first ({@link #checkTicks}, {@link #checkFuel}).
 */
final class EpochDeadlineAndFuel {
  private final StoreContext block;
  /** The store's own counter, or an engine's shared by its stores. */
  private final Epoch epoch;

  EpochDeadlineAndFuel(StoreContext block, Epoch epoch) {
    this.block = block;
    this.epoch = epoch;
  }

  static void checkTicks(long ticks) {
    if (ticks < 0) {
      throw new IllegalArgumentException("epoch deadline ticks must be >= 0, got " + ticks);
    }
  }

  static void checkFuel(long fuel) {
    if (fuel < 0) {
      throw new IllegalArgumentException("fuel must be >= 0, got " + fuel);
    }
  }

  /**
   * Code traps with {@code INTERRUPT} at its next check (a loop header, or the entry of a function
   * that calls) once the epoch has advanced {@code ticks} past its current value (Wasmtime's {@code
   * Store::set_epoch_deadline}). A deadline that has passed stays passed. Code reads it again after
   * each call, so a host function may set it.
   *
   * @param ticks {@code >= 0} (the deadline is a u64: {@code Long.MAX_VALUE} ticks is never reached
   *     in practice)
   */
  void setDeadline(long ticks) {
    block.epochDeadline(epoch.current() + ticks);
  }

  /** The epoch at which the store's code traps (unsigned). */
  long deadline() {
    return block.epochDeadline();
  }

  /**
   * Gives code {@code fuel} units to run on (one per wasm operator): once they are spent it traps
   * with {@code OUT_OF_FUEL} at its next function entry or loop header (Wasmtime's {@code
   * Store::set_fuel}).
   */
  void setFuel(long fuel) {
    block.fuelConsumed(-fuel);
  }

  /**
   * Spends {@code units} on work done for the store outside compiled code (instantiation's items,
   * see {@code loader.instance.InstantiationDeadline}).
   *
   * @return false once the fuel is spent (the caller traps with {@code OUT_OF_FUEL}, as code would)
   */
  boolean spend(long units) {
    long consumed = block.fuelConsumed() + units;
    block.fuelConsumed(consumed);
    return consumed <= 0;
  }

  /**
   * The fuel left: what {@link #setFuel} gave minus what code has written back as consumed (at
   * calls, returns and its out-of-fuel trap), 0 once spent. The checks run at entries and loop
   * headers, so code may spend a little past 0 before it traps.
   */
  long fuel() {
    long consumed = block.fuelConsumed();
    return consumed >= 0 ? 0 : -consumed;
  }

  /** Adds {@code fuel} to {@link #fuel()}, saturating. */
  void addFuel(long fuel) {
    long left = fuel();
    setFuel(left > Long.MAX_VALUE - fuel ? Long.MAX_VALUE : left + fuel);
  }
}
