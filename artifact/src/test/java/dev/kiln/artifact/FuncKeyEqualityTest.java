package dev.kiln.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/**
 * FuncKey's written-out equals and hashCode (for C1, which does not inline a record's generated
 * ones) hash as the generated ones would, so the linker's maps iterate as before, and are equal
 * exactly when both fields are.
 */
class FuncKeyEqualityTest {
  private record Generated(int namespace, int index) {}

  @Test
  void hashesAsAGeneratedRecordAndEqualsByFields() {
    for (FuncKeyKind kind : FuncKeyKind.values()) {
      for (int index : new int[] {0, 1, 77, -1}) {
        FuncKey k = FuncKey.of(kind, 0, index);
        assertEquals(new Generated(k.namespace(), k.index()).hashCode(), k.hashCode());
        assertEquals(k, FuncKey.fromRaw(k.raw()));
        assertNotEquals(k, FuncKey.of(kind, 0, index + 1));
      }
    }
    assertNotEquals(FuncKey.definedWasmFunction(0, 3), FuncKey.definedWasmFunction(1, 3));
  }
}
