package dev.kiln.loader.runtime;

import dev.kiln.loader.sys.TableArrays;
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
  private final TableArrays arrays;

  StoreAttachments() {
    this(TableArrays.HEAP);
  }

  /** Attachments whose arrays come from {@code arrays} (a test's, to fail on cue). */
  StoreAttachments(TableArrays arrays) {
    this.arrays = arrays;
  }

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
    if (attachmentTypes == null || attachmentCount == attachmentTypes.length) {
      // Both arrays made before either field is written: an OutOfMemoryError between left one grown
      // and the other not, and the next attachment indexed past it (red team 24 F3's pattern).
      int length = attachmentTypes == null ? 4 : 2 * attachmentCount;
      Class<?>[] types = arrays.classes(length);
      Object[] values = arrays.objects(length);
      System.arraycopy(attachmentTypes == null ? types : attachmentTypes, 0, types, 0, attachmentCount);
      System.arraycopy(attachmentValues == null ? values : attachmentValues, 0, values, 0, attachmentCount);
      attachmentTypes = types;
      attachmentValues = values;
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
