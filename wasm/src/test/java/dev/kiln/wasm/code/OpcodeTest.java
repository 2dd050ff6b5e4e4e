package dev.kiln.wasm.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpcodeTest {
  @Test
  void everyOpcodeIsFoundByItsCode() {
    for (Opcode op : Opcode.values()) {
      Opcode found =
          switch (op.prefix()) {
            case 0 -> Opcode.fromCode(op.code());
            case 0xFC -> Opcode.fromFcCode(op.code());
            case 0xFD -> Opcode.fromFdCode(op.code());
            case 0xFB -> Opcode.fromFbCode(op.code());
            default -> null;
          };
      assertSame(op, found, op.name());
    }
  }

  @Test
  void mnemonicsAreUniqueExceptTheTwoSelectsAndTheNullableCasts() {
    Set<String> seen = new HashSet<>();
    for (Opcode op : Opcode.values()) {
      // ref.test and ref.cast are spelled the same whether the target type is nullable (spec 6.5.x)
      if (op != Opcode.SELECT_TYPED && op != Opcode.REF_TEST_NULL && op != Opcode.REF_CAST_NULL) {
        assertTrue(seen.add(op.mnemonic()), op.mnemonic());
      }
    }
  }

  @Test
  void counts() {
    // spec 5.4: 0xFC 0..17; the SIMD proposal's final opcode list has 236 instructions, and
    // WebAssembly 3.0's relaxed SIMD 20 more (0x100..0x113)
    assertEquals(18, EnumSet.allOf(Opcode.class).stream().filter(o -> o.prefix() == 0xFC).count());
    assertEquals(256, EnumSet.allOf(Opcode.class).stream().filter(o -> o.prefix() == 0xFD).count());
    assertEquals(20, EnumSet.allOf(Opcode.class).stream().filter(Opcode::isRelaxed).count());
    // WebAssembly 3.0 GC: 0xFB 0..30, and ref.eq
    assertEquals(31, EnumSet.allOf(Opcode.class).stream().filter(o -> o.prefix() == 0xFB).count());
    assertEquals(32, EnumSet.allOf(Opcode.class).stream().filter(Opcode::isGc).count());
  }

  @Test
  void unusedCodesAreAbsent() {
    for (int code : new int[] {0x1d, 0x27, 0xc5, 0xcf, 0xd7, 0xfb, 0xfc, 0xfd, 0xff}) {
      assertNull(Opcode.fromCode(code), Integer.toHexString(code));
    }
    // exception handling (WebAssembly 3.0 spec 5.4.1), the legacy codes included
    for (int code : new int[] {0x06, 0x07, 0x08, 0x09, 0x0a, 0x18, 0x19, 0x1f}) {
      assertTrue(Opcode.fromCode(code).isException(), Integer.toHexString(code));
    }
    assertNull(Opcode.fromFcCode(18));
    assertNull(Opcode.fromFdCode(0x9a));
    assertNull(Opcode.fromFdCode(0x114));
    assertNull(Opcode.fromFbCode(31));
    assertNull(Opcode.fromFbCode(-1));
    assertNull(Opcode.fromCode(-1));
  }

  @Test
  void signaturesAreWellFormed() {
    for (Opcode op : Opcode.values()) {
      String sig = op.signature();
      if (sig != null) {
        assertTrue(sig.matches("[ilfdva]*:[ilfdva]?"), op + " " + sig);
      }
      boolean memory = op.immediate() == Immediate.MEMARG || op.immediate() == Immediate.MEMARG_LANE;
      assertEquals(memory, op.naturalAlignment() >= 0, op.mnemonic());
      boolean lanes = op.immediate() == Immediate.LANE || op.immediate() == Immediate.MEMARG_LANE || op.immediate() == Immediate.SHUFFLE;
      assertEquals(lanes, op.laneCount() > 0, op.mnemonic());
    }
  }

  @Test
  void metadataSamples() {
    assertEquals("a:l", Opcode.I64_LOAD32_U.signature());
    assertEquals(2, Opcode.I64_LOAD32_U.naturalAlignment());
    assertEquals(4, Opcode.V128_LOAD.naturalAlignment());
    assertEquals(8, Opcode.I16X8_REPLACE_LANE.laneCount());
    assertEquals("vi:v", Opcode.I16X8_REPLACE_LANE.signature());
    assertEquals("vvv:v", Opcode.V128_BITSELECT.signature());
    assertEquals(0x6A, Opcode.I32_ADD.code());
    assertEquals(0xFD, Opcode.I32X4_DOT_I16X8_S.prefix());
    assertEquals(0xBA, Opcode.I32X4_DOT_I16X8_S.code());
  }
}
