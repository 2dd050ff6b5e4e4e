package dev.kiln.loader.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.vm.ExceptionLayout;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A store made without a memory limit still bounds its exception objects: each lives until the
 * store closes, so a guest throwing in a loop would otherwise take the C heap without end. Objects
 * of the largest payload a tag can declare (65,535 values) are made until one is refused.
 */
class StoreExceptionsCapTest {
  @Test
  void withNoMemoryLimitExceptionObjectsStopAtTheCap() {
    int count = 65_535;
    long each = ExceptionLayout.size(count) + StoreExceptions.BOOKKEEPING_BYTES;
    try (NativeStore store = new NativeStore()) {
      StoreExceptions exceptions = new StoreExceptions(MemorySegment.NULL, List::of, store.resources().memoryBytes(),
          new TagRegistry());
      long made = 0;
      for (long attempt = 0; attempt < 2 * StoreExceptions.MAX_BYTES / each; attempt++) {
        if (exceptions.allocate(0, 1, count, 0, 0) == 0) {
          break;
        }
        made++;
      }
      exceptions.free();
      assertEquals(StoreExceptions.MAX_BYTES / each, made, "objects of " + each + " bytes before the refusal");
    }
  }
}
