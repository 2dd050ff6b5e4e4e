package dev.kiln.runtime;

import dev.kiln.loader.global.GlobalInstance;
import dev.kiln.loader.sys.ThreadStack;

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
   * The representation of the global's value in {@link Val} ({@link #globalType()} has its precise type).
   *
   * @return the type
   */
  public ValType type() {
    ThreadStack.requireRoomToLink("Global.type");
    return globalType().content();
  }

  /**
   * The global's type: its value's precise type and mutability.
   *
   * @return the type
   */
  public GlobalType globalType() {
    ThreadStack.requireRoomToLink("Global.globalType");
    return Conversions.globalType(global);
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
    ThreadStack.requireRoomToLink("Global.get");
    return origin.access("read a global", () -> Conversions.val(global.get(), global.preciseType(), global.store()));
  }

  /**
   * Sets the value, as {@code global.set} would.
   *
   * @param value a value of the global's type
   * @throws IllegalStateException if the global is immutable, or the instance it was reached
   *     through, or the store, is closed
   * @throws IllegalArgumentException if the value has another type, or is a funcref or object not of the store
   */
  public void set(Val value) {
    ThreadStack.requireRoomToLink("Global.set");
    origin.run("write a global", () -> global.set(Conversions.wasmValue(value, global.preciseType(), global.store(),
        "the value", "the global")));
  }

  GlobalInstance internal() {
    return global;
  }
}
