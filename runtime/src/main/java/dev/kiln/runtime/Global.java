package dev.kiln.runtime;

import dev.kiln.loader.global.GlobalInstance;

/** A global variable (WebAssembly 2.0 section 4.2.9): a value type, mutability and its current value. */
public final class Global {
  private final GlobalInstance global;

  Global(GlobalInstance global) {
    this.global = global;
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
   */
  public Val get() {
    return Conversions.val(global.get());
  }

  /**
   * Sets the value, as {@code global.set} would.
   *
   * @param value a value of the global's type
   * @throws IllegalStateException if the global is immutable
   * @throws IllegalArgumentException if the value has another type, or is a funcref not of the store
   */
  public void set(Val value) {
    global.set(Conversions.wasmValue(value));
  }

  GlobalInstance internal() {
    return global;
  }
}
