package dev.kiln.disasm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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

  /** A record as cs_disasm writes it, second in its array: {@code retq} at 0x1000 would be size 1. */
  private static MemorySegment record(Arena arena, CsInsnLayout layout, int size, byte[] bytes) {
    long stride = layout.struct().byteSize();
    MemorySegment records = arena.allocate(2 * stride);
    records.set(ValueLayout.JAVA_LONG_UNALIGNED, stride + layout.address(), 0x1003);
    records.set(ValueLayout.JAVA_SHORT_UNALIGNED, stride + layout.size(), (short) size);
    MemorySegment.copy(bytes, 0, records, ValueLayout.JAVA_BYTE, stride + layout.bytes(), bytes.length);
    records.setString(stride + layout.mnemonic(), "addl");
    records.setString(stride + layout.opStr(), "%ecx, %eax");
    return records;
  }

  @Test
  void readsTheRecordAtAnOffsetInEitherLayout() {
    for (CsInsnLayout layout : new CsInsnLayout[] {CsInsnLayout.CAPSTONE_4_LP64, CsInsnLayout.CAPSTONE_5_WASM32}) {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment records = record(arena, layout, 2, new byte[] {0x01, (byte) 0xc8});
        DisassembledInstruction insn = layout.read(records, layout.struct().byteSize());
        assertEquals(0x1003, insn.address());
        assertArrayEquals(new byte[] {0x01, (byte) 0xc8}, insn.bytes());
        assertEquals("addl %ecx, %eax", insn.text());
      }
    }
  }

  /**
   * A size past the record's {@code bytes} array (a library of another layout than the one named) is
   * refused instead of read as instruction bytes out of the mnemonic and beyond.
   */
  @Test
  void aSizeLargerThanTheBytesArrayIsRefused() {
    try (Arena arena = Arena.ofConfined()) {
      CsInsnLayout layout = CsInsnLayout.CAPSTONE_4_LP64;
      MemorySegment records = record(arena, layout, 17, new byte[] {0x01, (byte) 0xc8});
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> layout.read(records, layout.struct().byteSize()));
      assertEquals("cs_insn.size 17 exceeds its 16-byte bytes array", e.getMessage());
    }
  }
}
