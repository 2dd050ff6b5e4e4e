package dev.kiln.codegen.disasm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemoryLayout.PathElement;
import org.junit.jupiter.api.Test;

/**
 * The binding's {@code cs_insn} layout against the offsets a C compiler gives Capstone 4's struct on
 * LP64 (id 0, address 8 after padding, size 16, bytes[16] 18, mnemonic[32] 34, op_str[160] 66, detail 232
 * after padding, 240 in all). Needs no library, so it runs everywhere.
 */
class CsInsnLayoutTest {

  private static long offset(String field) {
    return CapstoneDisassembler.CS_INSN.byteOffset(PathElement.groupElement(field));
  }

  @Test
  void fieldOffsetsMatchCapstone4() {
    assertEquals(0, offset("id"));
    assertEquals(8, offset("address"));
    assertEquals(16, offset("size"));
    assertEquals(18, offset("bytes"));
    assertEquals(34, offset("mnemonic"));
    assertEquals(66, offset("op_str"));
    assertEquals(232, offset("detail"));
    assertEquals(240, CapstoneDisassembler.CS_INSN.byteSize());
  }
}
