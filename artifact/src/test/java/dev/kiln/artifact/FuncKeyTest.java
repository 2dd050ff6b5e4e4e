package dev.kiln.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FuncKeyTest {
  @Test
  void packsKindModuleAndIndexIntoTwoU32s() {
    FuncKey key = FuncKey.arrayToWasmTrampoline(5, 7);
    assertEquals(1 << 28 | 5, key.namespace());
    assertEquals(7, key.index());
    assertEquals(FuncKeyKind.ARRAY_TO_WASM_TRAMPOLINE, key.kind());
    assertEquals(5, key.module());
    assertEquals((long) (1 << 28 | 5) << 32 | 7, key.raw());
    assertEquals(key, FuncKey.fromRaw(key.raw()));
  }

  @Test
  void namesReadLikeWasmtimeSymbols() {
    assertEquals("wasm[0]::function[3]", FuncKey.definedWasmFunction(0, 3).toString());
    assertEquals("wasm[2]::array_to_wasm_trampoline[9]", FuncKey.arrayToWasmTrampoline(2, 9).toString());
    assertEquals("signatures[4]::wasm_to_array_trampoline", FuncKey.wasmToArrayTrampoline(4).toString());
    assertEquals("builtin[1]::wasm_to_builtin_trampoline", FuncKey.wasmToBuiltinTrampoline(1).toString());
    assertEquals("builtin[6]", FuncKey.builtin(6).toString());
    assertEquals("wasm[0]::function[4294967295]", FuncKey.definedWasmFunction(0, -1).toString());
  }

  @Test
  void namesHaveAsciiDigitsWhateverTheDefaultLocale() {
    // Symbol names go into the artifact: a locale whose digits are not ASCII (Arabic as written in
    // Egypt) must not change them, as String.format's did.
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("ar-EG"));
      assertEquals("wasm[1]::function[23]", FuncKey.definedWasmFunction(1, 23).toString());
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void ordersAsOneUnsignedSixtyFourBitValue() {
    // A kind with the top namespace bit set (bits 8..15) must still sort after kind 0; so must an
    // index with its top bit set. Signed comparison would get both wrong.
    FuncKey small = FuncKey.definedWasmFunction(0, 0);
    FuncKey bigIndex = FuncKey.definedWasmFunction(0, 0x8000_0000);
    FuncKey nextModule = FuncKey.definedWasmFunction(1, 0);
    assertTrue(small.compareTo(bigIndex) < 0);
    assertTrue(bigIndex.compareTo(nextModule) < 0);
    assertTrue(FuncKey.definedWasmFunction(0x0FFF_FFFF, -1).compareTo(FuncKey.arrayToWasmTrampoline(0, 0)) < 0);

    Random random = new Random(11);
    List<FuncKey> keys = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      FuncKeyKind kind = FuncKeyKind.values()[random.nextInt(FuncKeyKind.values().length)];
      keys.add(FuncKey.of(kind, kind.moduleScoped() ? random.nextInt(4) : 0, random.nextInt()));
    }
    for (FuncKey a : keys.subList(0, 200)) {
      for (FuncKey b : keys) {
        assertEquals(Long.signum(Long.compareUnsigned(a.raw(), b.raw())), Integer.signum(a.compareTo(b)));
        int byParts = Integer.compareUnsigned(a.namespace(), b.namespace()) != 0
            ? Integer.compareUnsigned(a.namespace(), b.namespace())
            : Integer.compareUnsigned(a.index(), b.index());
        assertEquals(Integer.signum(byParts), Integer.signum(a.compareTo(b)), a + " vs " + b);
      }
    }
  }

  @Test
  void rejectsNamespacesNoKeyCanHave() {
    assertThrows(IllegalArgumentException.class, () -> new FuncKey(0xF000_0000, 0), "unknown kind");
    assertThrows(IllegalArgumentException.class, () -> FuncKey.of(FuncKeyKind.BUILTIN, 1, 0), "module on unscoped");
    assertThrows(IllegalArgumentException.class, () -> new FuncKey(FuncKeyKind.BUILTIN.bits() << 28 | 3, 0));
    assertThrows(IllegalArgumentException.class, () -> FuncKey.definedWasmFunction(1 << 28, 0), "module too big");
    assertThrows(IllegalArgumentException.class, () -> FuncKey.definedWasmFunction(-1, 0));
  }

  @Test
  void kindBitsAreStable() {
    // Stored in every .kiln.funcs: renumbering would silently misread old artifacts.
    assertEquals(0, FuncKeyKind.DEFINED_WASM_FUNCTION.bits());
    assertEquals(1, FuncKeyKind.ARRAY_TO_WASM_TRAMPOLINE.bits());
    assertEquals(2, FuncKeyKind.WASM_TO_ARRAY_TRAMPOLINE.bits());
    assertEquals(3, FuncKeyKind.WASM_TO_BUILTIN_TRAMPOLINE.bits());
    assertEquals(4, FuncKeyKind.BUILTIN.bits());
  }
}
