package dev.kiln.wat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * A memory declared {@code shared} (the threads proposal's text: {@code memtype ::= limits
 * 'shared'}) is written with bit 1 of its limits flags set (binary 5.3.7: 0x03 with a maximum,
 * 0x07 for a 64-bit one), defined, imported or imported inline; anything else after the limits is
 * one located error. The binary decoder reads that bit into {@code MemoryType.shared}.
 */
class SharedMemoryTextTest {
  private static final String HEADER = "0061736d01000000";

  private static String hex(String text) {
    return HexFormat.of().formatHex(Wat.toBinary(text, "m.wat"));
  }

  @Test
  void aSharedMemorySetsTheSharedBitOfItsLimitsFlags() {
    // memory section (5), 4 bytes: 1 memory, flags 0x03 (maximum, shared), min 1, max 2
    assertEquals(HEADER + "0504" + "01" + "03" + "01" + "02", hex("(module (memory 1 2 shared))"));
    // flags 0x07: maximum, shared, 64-bit
    assertEquals(HEADER + "0504" + "01" + "07" + "01" + "02", hex("(module (memory i64 1 2 shared))"));
    // flags 0x02 without a maximum: well-formed, and validation's to refuse ("shared memory must
    // have maximum")
    assertEquals(HEADER + "0503" + "01" + "02" + "01", hex("(module (memory 1 shared))"));
  }

  @Test
  void anUnsharedMemoryKeepsItsFlags() {
    assertEquals(HEADER + "0504" + "01" + "01" + "01" + "02", hex("(module (memory 1 2))"));
  }

  @Test
  void importedSharedMemoriesCarryTheBitToo() {
    // import section (2), 9 bytes: 1 import "m" "x", kind 2 (memory), flags 0x03, min 1, max 2
    String imported = HEADER + "0209" + "01" + "016d" + "0178" + "02" + "03" + "01" + "02";
    assertEquals(imported, hex("(module (import \"m\" \"x\" (memory 1 2 shared)))"));
    assertEquals(imported, hex("(module (memory (import \"m\" \"x\") 1 2 shared))"));
  }

  @Test
  void anythingElseAfterTheLimitsIsOneLocatedError() {
    WatSyntaxException twice = assertThrows(WatSyntaxException.class,
        () -> Wat.toBinary("(module (memory 1 2 shared shared))", "m.wat"));
    assertEquals("m.wat:1:28: expected ')', found 'shared'", twice.getMessage());
    WatSyntaxException unshared = assertThrows(WatSyntaxException.class,
        () -> Wat.toBinary("(module (memory 1 2 unshared))", "m.wat"));
    assertEquals("m.wat:1:21: expected ')', found 'unshared'", unshared.getMessage());
    // a table is never shared in WebAssembly 3.0 or the threads proposal
    WatSyntaxException table = assertThrows(WatSyntaxException.class,
        () -> Wat.toBinary("(module (table 1 2 shared funcref))", "m.wat"));
    assertEquals("m.wat:1:20: expected a reference type, found 'shared'", table.getMessage());
  }
}
