package dev.kiln.wasm.validate;

import static dev.kiln.wasm.decode.ModuleBytes.b;
import static dev.kiln.wasm.decode.ModuleBytes.cat;
import static dev.kiln.wasm.decode.ModuleBytes.u32;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wasm.Features;
import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.decode.ModuleBytes;
import org.junit.jupiter.api.Test;

/**
 * A module cannot make subtype checks expensive: matching concrete types walks a declared supertype
 * chain, so a chain as long as the type section allows, compared once per operand of a large body,
 * would make validation quadratic. Kiln caps the chain at {@link ModuleTypeRules#MAX_SUBTYPING_DEPTH}.
 */
class SubtypingDepthTest {
  /** Types 0..length, each {@code (sub $previous (func))}, type 0 without a supertype. */
  private static byte[] chain(int length) {
    int[] types = cat(u32(length + 1), b(0x50, 0x00, 0x60, 0x00, 0x00));
    for (int i = 1; i <= length; i++) {
      types = cat(types, b(0x50, 0x01), u32(i - 1), b(0x60, 0x00, 0x00));
    }
    return new ModuleBytes().section(1, types).bytes();
  }

  @Test
  void aChainAtTheLimitIsValid() {
    assertDoesNotThrow(() -> Wasm.load(chain(ModuleTypeRules.MAX_SUBTYPING_DEPTH), Features.ALL));
  }

  @Test
  void aLongerChainIsRefused() {
    InvalidException e = assertThrows(InvalidException.class,
        () -> Wasm.load(chain(ModuleTypeRules.MAX_SUBTYPING_DEPTH + 1), Features.ALL));
    assertTrue(e.getMessage().contains("subtyping chain"), e.getMessage());
    assertThrows(InvalidException.class, () -> Wasm.load(chain(5000), Features.ALL));
  }
}
