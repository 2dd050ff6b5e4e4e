package dev.kiln.disasm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemoryLayout.PathElement;
import org.junit.jupiter.api.Test;

/**
 * The bindings' {@code cs_insn} layouts against the offsets a C compiler gives Capstone's struct. Needs
 * no library, so it runs everywhere.
 */
class CsInsnLayoutTest {

  private static long offset(CsInsnLayout layout, String field) {
    return layout.struct().byteOffset(PathElement.groupElement(field));
  }

  /** LP64: id 0, address 8, size 16, bytes[16] 18, mnemonic[32] 34, op_str[160] 66, detail 232. */
  @Test
  void capstone4OnLp64() {
    CsInsnLayout layout = CsInsnLayout.CAPSTONE_4_LP64;
    assertEquals(0, offset(layout, "id"));
    assertEquals(8, layout.address());
    assertEquals(16, layout.size());
    assertEquals(18, layout.bytes());
    assertEquals(34, layout.mnemonic());
    assertEquals(66, layout.opStr());
    assertEquals(232, offset(layout, "detail"));
    assertEquals(240, layout.struct().byteSize());
  }

  /**
   * wasm32: bytes[24] 18, mnemonic 42, op_str 74, a 4-byte detail pointer at 236; capstone-wasm's own
   * reader (dist/index.cjs, INSN_FIELDS) steps through cs_disasm's array by the same 240 bytes.
   */
  @Test
  void capstone5OnWasm32() {
    CsInsnLayout layout = CsInsnLayout.CAPSTONE_5_WASM32;
    assertEquals(8, layout.address());
    assertEquals(16, layout.size());
    assertEquals(18, layout.bytes());
    assertEquals(42, layout.mnemonic());
    assertEquals(74, layout.opStr());
    assertEquals(236, offset(layout, "detail"));
    assertEquals(240, layout.struct().byteSize());
  }
}
