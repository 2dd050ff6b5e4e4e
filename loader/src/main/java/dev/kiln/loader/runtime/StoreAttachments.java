package dev.kiln.loader.runtime;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Per-store state of other packages (the host-call switchboard, the registry of live instances,
 * the API's object handles), one object per class, without this package knowing them ({@link
 * NativeStore#attachment}). {@link NativeStore} calls it under its lock.
 */
final class StoreAttachments {
  /**
   * The first {@link #attachmentCount} of each array, a type and its object (made at the first
   * attachment). A store has a few, so a search of an array, which allocates nothing per store
   * where a hash map made a table and a node per attachment.
   */
  private Class<?>[] attachmentTypes;
  private Object[] attachmentValues;
  private int attachmentCount;

  /** The {@code type} object, made by {@code factory} on first use. */
  <T> T attachment(NativeStore store, Class<T> type, Supplier<? extends T> factory) {
    Object existing = attachmentOrNull(type);
    if (existing == null) {
      existing = Objects.requireNonNull(factory.get(), "factory result");
      attach(store, type, type.cast(existing));
    }
    return type.cast(existing);
  }

  /**
   * Makes {@code value} the {@code type} object.
   *
   * @throws IllegalStateException if {@code store} has a {@code type} object already
   */
  <T> void attach(NativeStore store, Class<T> type, T value) {
    Objects.requireNonNull(value, "value");
    if (attachmentOrNull(type) != null) {
      throw new IllegalStateException(store + " has a " + type.getSimpleName() + " already");
    }
    if (attachmentTypes == null) {
      attachmentTypes = new Class<?>[4];
      attachmentValues = new Object[4];
    } else if (attachmentCount == attachmentTypes.length) {
      attachmentTypes = Arrays.copyOf(attachmentTypes, 2 * attachmentCount);
      attachmentValues = Arrays.copyOf(attachmentValues, 2 * attachmentCount);
    }
    attachmentTypes[attachmentCount] = type;
    attachmentValues[attachmentCount++] = value;
  }

  /** The {@code type} object, or null if none was made. */
  Object attachmentOrNull(Class<?> type) {
    for (int i = 0; i < attachmentCount; i++) {
      if (attachmentTypes[i] == type) {
        return attachmentValues[i];
      }
    }
    return null;
  }
}
