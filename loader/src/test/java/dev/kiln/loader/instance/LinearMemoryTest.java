package dev.kiln.loader.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.info.Limits;
import dev.kiln.artifact.info.MemoryType;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class LinearMemoryTest {
  @Test
  void growsInPlaceUpToTheDeclaredMaximum() {
    try (Arena arena = Arena.ofConfined()) {
      LinearMemory memory = LinearMemory.create(new MemoryType(Limits.of(1, 3), false, false), arena);
      long base = memory.base();
      memory.segment().set(ValueLayout.JAVA_INT, 0, 7);
      assertEquals(1, memory.grow(2));
      assertEquals(3, memory.pages());
      assertEquals(base, memory.base(), "the base never moves");
      assertEquals(7, memory.segment().get(ValueLayout.JAVA_INT, 0));
      assertEquals(0, memory.segment().get(ValueLayout.JAVA_INT, 3 * MemoryType.PAGE_SIZE - 4), "new pages are zero");
      assertEquals(-1, memory.grow(1));
      assertEquals(3, memory.grow(0));
      assertEquals(-1, memory.grow(-1));
    }
  }

  @Test
  void withoutAMaximumA32BitMemoryReachesFourGibibytesOfPages() {
    try (Arena arena = Arena.ofConfined()) {
      LinearMemory memory = LinearMemory.create(new MemoryType(Limits.of(0), false, false), arena);
      assertEquals(0, memory.byteLength());
      assertEquals(-1, memory.grow(LinearMemory.MAX_PAGES_32 + 1));
      assertEquals(0, memory.grow(1));
      assertEquals(1, memory.pages());
    }
  }

  @Test
  void aMinimumAboveTheIndexSpaceIsUninstantiable() {
    try (Arena arena = Arena.ofConfined()) {
      assertThrows(ModuleInstantiationException.class,
          () -> LinearMemory.create(new MemoryType(Limits.of(LinearMemory.MAX_PAGES_32 + 1), false, false), arena));
    }
  }

  @Test
  void closingTheArenaUnmapsTheMemoryAndInvalidatesItsViews() {
    Arena arena = Arena.ofShared();
    LinearMemory memory = LinearMemory.create(new MemoryType(Limits.of(1), false, false), arena);
    var view = memory.segment();
    view.set(ValueLayout.JAVA_INT, 0, 7);
    arena.close();
    assertThrows(IllegalStateException.class, () -> view.get(ValueLayout.JAVA_INT, 0), "no access to unmapped pages");
    assertThrows(IllegalStateException.class, memory::segment);
  }
}
