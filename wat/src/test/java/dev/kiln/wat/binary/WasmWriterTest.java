package dev.kiln.wat.binary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The value encodings of spec 5.2 at their boundaries, and a module built with the encoder alone. */
class WasmWriterTest {
  private static String hex(WasmWriter w) {
    return HexFormat.of().formatHex(w.toByteArray());
  }

  @Test
  void unsignedLeb128IsShortest() {
    assertEquals("00", hex(new WasmWriter().u32(0)));
    assertEquals("7f", hex(new WasmWriter().u32(127)));
    assertEquals("8001", hex(new WasmWriter().u32(128)));
    assertEquals("ffffffff0f", hex(new WasmWriter().u32(0xFFFF_FFFFL)));
    assertEquals("ffffffffffffffffff01", hex(new WasmWriter().u64(-1L)), "u64 reads the bits unsigned");
  }

  @Test
  void signedLeb128KeepsTheSignBit() {
    assertEquals("00", hex(new WasmWriter().s64(0)));
    assertEquals("3f", hex(new WasmWriter().s64(63)));
    assertEquals("c000", hex(new WasmWriter().s64(64)), "64 needs a second byte: bit 6 would read as the sign");
    assertEquals("7f", hex(new WasmWriter().s64(-1)));
    assertEquals("40", hex(new WasmWriter().s64(-64)));
    assertEquals("bf7f", hex(new WasmWriter().s64(-65)));
    assertEquals("8080808078", hex(new WasmWriter().s32(Integer.MIN_VALUE)));
    assertEquals("ffffffff07", hex(new WasmWriter().s32(Integer.MAX_VALUE)));
    assertEquals("8080808080808080807f", hex(new WasmWriter().s64(Long.MIN_VALUE)));
  }

  @Test
  void floatsAreLittleEndianBitPatterns() {
    assertEquals("0000c07f", hex(new WasmWriter().f32(0x7FC0_0000)));
    assertEquals("010000000000f07f", hex(new WasmWriter().f64(0x7FF0_0000_0000_0001L)));
  }

  @Test
  void prefixedOpcodesWriteTheSubOpcodeAsU32() {
    assertEquals("6a", hex(new WasmWriter().opcode(InstructionTable.get("i32.add"))));
    assertEquals("fc08", hex(new WasmWriter().opcode(InstructionTable.get("memory.init"))));
    assertEquals("fd8002", hex(new WasmWriter().opcode(InstructionTable.get("i8x16.relaxed_swizzle"))));
    assertEquals("fb1c", hex(new WasmWriter().opcode(InstructionTable.get("ref.i31"))));
  }

  @Test
  void aModuleBuiltWithTheEncoderAloneHasItsSectionsInOrder() {
    ModuleWriter module = new ModuleWriter();
    WasmWriter types = new WasmWriter().u8(TypeCodes.FUNC_TYPE).u32(0).u32(1).u8(TypeCodes.I32);
    module.vectorSection(ModuleWriter.TYPE, 1, types);
    module.vectorSection(ModuleWriter.FUNCTION, 1, new WasmWriter().u32(0));
    module.vectorSection(ModuleWriter.EXPORT, 1, new WasmWriter().name("f").u8(0).u32(0));
    WasmWriter body = new WasmWriter().u32(0).opcode(InstructionTable.get("i32.const")).s32(42).u8(0x0B);
    module.vectorSection(ModuleWriter.CODE, 1, new WasmWriter().u32(body.size()).bytes(body));
    module.vectorSection(ModuleWriter.DATA, 0, new WasmWriter());
    assertEquals("0061736d01000000" + "010501600001" + "7f" + "03020100" + "070501016600" + "00"
        + "0a0601040041" + "2a0b", HexFormat.of().formatHex(module.toByteArray()));
  }
}
