package dev.kiln.runtime;

import dev.kiln.loader.global.GlobalInstance;

/**
 * A global variable (WebAssembly 2.0 section 4.2.9): a value type, mutability and its current value.
 * Its value can be read and written while the instance it was reached through and its store are
 * open; then {@link IllegalStateException} ({@link HandleOrigin}).
 */
public final class Global {
  private final GlobalInstance global;
  private final HandleOrigin origin;

  Global(GlobalInstance global, HandleOrigin origin) {
    this.global = global;
    this.origin = origin;
  }

  /**
   * The global's value type.
   *
   * @return the type
   */
  public ValType type() {
    return Conversions.valType(global.type().type());
  }

  /**
   * Whether {@code global.set} (and {@link #set}) may change it.
   *
   * @return true if mutable
   */
  public boolean mutable() {
    return global.type().mutable();
  }

  /**
   * The current value.
   *
   * @return the value
   * @throws IllegalStateException if the instance the global was reached through, or the store, is closed
   */
  public Val get() {
    return origin.access("read a global", () -> Conversions.val(global.get(), global.store()));
  }

  /**
   * Sets the value, as {@code global.set} would.
   *
   * @param value a value of the global's type
   * @throws IllegalStateException if the global is immutable, or the instance it was reached
   *     through, or the store, is closed
   * @throws IllegalArgumentException if the value has another type, or is a funcref not of the store
   */
  public void set(Val value) {
    origin.run("write a global", () -> global.set(Conversions.wasmValue(value, global.store())));
  }

  GlobalInstance internal() {
    return global;
  }
}
