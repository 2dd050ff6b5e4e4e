package dev.kiln.loader.runtime;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.loader.sys.ArraysThatRunOut;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A store's attachments under an {@code OutOfMemoryError} at any allocation of their arrays: those
 * attached before are found, and attaching goes on (red team 24 F3's pattern: the types grown and
 * the values not, and the next attachment indexed past the values).
 */
class StoreAttachmentsTest {
  private static final List<Class<?>> TYPES = List.of(Integer.class, Long.class, Short.class, Byte.class,
      Double.class, Float.class, Character.class, Boolean.class, String.class, StringBuilder.class,
      Thread.class, Runnable.class);

  @Test
  void anOutOfMemoryErrorAtAnyAllocationLeavesTheAttachmentsAsTheyWere() {
    for (int failing = 1; failing <= 6; failing++) {
      ArraysThatRunOut arrays = new ArraysThatRunOut(failing);
      StoreAttachments attachments = new StoreAttachments(arrays);
      Object[] values = new Object[TYPES.size()];
      for (int i = 0; i < TYPES.size(); i++) {
        values[i] = new Object();
        try {
          attach(attachments, TYPES.get(i), values[i]);
        } catch (OutOfMemoryError injected) {
          assertSame(null, attachments.attachmentOrNull(TYPES.get(i)), "attached though it failed");
          values[i] = new Object();
          attach(attachments, TYPES.get(i), values[i]); // attached on the next try
        }
      }
      assertTrue(arrays.ranOut(), "allocation " + failing + " was never asked for");
      for (int i = 0; i < TYPES.size(); i++) {
        assertSame(values[i], attachments.attachmentOrNull(TYPES.get(i)), TYPES.get(i) + ", allocation " + failing);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void attach(StoreAttachments attachments, Class<T> type, Object value) {
    attachments.attach(null, (Class<Object>) (Class<?>) type, value);
  }
}
