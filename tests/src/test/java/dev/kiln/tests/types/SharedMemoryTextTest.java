package dev.kiln.tests.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.types.Limits;
import dev.kiln.wasm.types.MemoryType;
import dev.kiln.wat.Wat;
import org.junit.jupiter.api.Test;

/**
 * A memory the text declares {@code shared} (threads proposal) reaches the decoded module as a
 * shared memory type with its limits, defined or imported, and is judged by validation as the
 * proposal says: a shared memory must declare its maximum.
 */
class SharedMemoryTextTest {
  private static MemoryType memory(String text) {
    Module module = Wasm.decode(Wat.toBinary(text, "m.wat"));
    assertEquals(1, module.allMemories().size());
    return module.allMemories().getFirst();
  }

  @Test
  void aSharedMemoryIsReadAsSharedWithItsLimits() {
    assertEquals(new MemoryType(Limits.of(1, 2), false, true), memory("(module (memory 1 2 shared))"));
    assertEquals(new MemoryType(Limits.of(1, 2), true, true), memory("(module (memory i64 1 2 shared))"));
    assertEquals(new MemoryType(Limits.of(1, 2), false, true),
        memory("(module (import \"m\" \"x\" (memory 1 2 shared)))"));
    assertFalse(memory("(module (memory 1 2))").shared());
    Wasm.validate(Wasm.decode(Wat.toBinary("(module (memory 1 2 shared))", "m.wat")));
  }

  @Test
  void aSharedMemoryWithoutMaximumIsInvalid() {
    Module module = Wasm.decode(Wat.toBinary("(module (memory 1 shared))", "m.wat"));
    assertTrue(module.allMemories().getFirst().shared());
    InvalidException e = assertThrows(InvalidException.class, () -> Wasm.validate(module));
    assertTrue(e.getMessage().contains("shared memory must have maximum"), e.getMessage());
  }
}
