package dev.kiln.artifact.info;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.artifact.CorruptionProbe;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.VmShape;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ModuleInfoTest {
  private static final long DATA_SIZE = 64;

  /** A module touching every record kind and every constant-expression instruction. */
  static ModuleInfo rich() {
    List<FuncType> types = List.of(
        new FuncType(List.of(), List.of()),
        new FuncType(List.of(ValType.I32, ValType.I64), List.of(ValType.F64)),
        new FuncType(List.of(ValType.F32, ValType.V128, ValType.FUNCREF, ValType.EXTERNREF), List.of()));
    List<Import> imports = List.of(
        new Import("env", "log", new ImportDesc.Function(1)),
        new Import("env", "mem", new ImportDesc.Memory(new MemoryType(Limits.of(1, 10), false, false))),
        new Import("env", "tab", new ImportDesc.Table(new TableType(ValType.FUNCREF, Limits.of(2), false))),
        new Import("env", "g\u00e9", new ImportDesc.Global(new GlobalType(ValType.I32, false))));
    List<Global> globals = List.of(
        new Global(new GlobalType(ValType.I32, true), ConstExpr.of(new ConstInstr.GlobalGet(0),
            new ConstInstr.I32Const(-5), new ConstInstr.Binary(ConstInstr.Op.I32_MUL))),
        new Global(new GlobalType(ValType.I64, false), ConstExpr.of(new ConstInstr.I64Const(Long.MIN_VALUE),
            new ConstInstr.I64Const(3), new ConstInstr.Binary(ConstInstr.Op.I64_SUB))),
        new Global(new GlobalType(ValType.F32, false), ConstExpr.of(new ConstInstr.F32Const(0x7FC00001))),
        new Global(new GlobalType(ValType.F64, false), ConstExpr.of(new ConstInstr.F64Const(0xFFF8_0000_0000_0001L))),
        new Global(new GlobalType(ValType.FUNCREF, false), ConstExpr.of(new ConstInstr.RefFunc(2))),
        new Global(new GlobalType(ValType.EXTERNREF, true), ConstExpr.of(new ConstInstr.RefNull(ValType.EXTERNREF))),
        new Global(new GlobalType(ValType.V128, true),
            ConstExpr.of(new ConstInstr.V128Const(0x0706050403020100L, 0x8F0E0D0C0B0A0908L))));
    List<ElementSegment> elements = List.of(
        new ElementSegment(SegmentMode.ACTIVE, 1, Optional.of(ConstExpr.i32(4)), ValType.FUNCREF,
            new ElementItems.Functions(List.of(1, 2, 1))),
        new ElementSegment(SegmentMode.PASSIVE, 0, Optional.empty(), ValType.FUNCREF,
            new ElementItems.Expressions(List.of(ConstExpr.of(new ConstInstr.RefFunc(3)),
                ConstExpr.of(new ConstInstr.RefNull(ValType.FUNCREF))))),
        new ElementSegment(SegmentMode.DECLARATIVE, 0, Optional.empty(), ValType.FUNCREF,
            new ElementItems.Functions(List.of(3))));
    List<DataSegment> data = List.of(
        DataSegment.active(1, ConstExpr.of(new ConstInstr.I64Const(1024)), 0, 10),
        DataSegment.passive(10, 54),
        DataSegment.active(0, ConstExpr.of(new ConstInstr.GlobalGet(0)), 64, 0));
    return new ModuleInfo(types, imports, List.of(0, 2, 1),
        List.of(new TableType(ValType.FUNCREF, Limits.of(10, 20), false),
            new TableType(ValType.EXTERNREF, Limits.of(0), true)),
        List.of(new MemoryType(Limits.of(2, 1L << 40), true, false), new MemoryType(Limits.of(1, 1), false, true)),
        globals,
        List.of(new Export("run", ExternKind.FUNCTION, 1), new Export("mem", ExternKind.MEMORY, 2),
            new Export("tab", ExternKind.TABLE, 0), new Export("g", ExternKind.GLOBAL, 6)),
        OptionalInt.of(1), elements, data, List.of(1, 2, 3), Map.of(0, "log", 1, "main", 3, "h\u00e9lper\u2192\uD83D\uDE00"));
  }

  private static ModuleInfo decode(byte[] bytes) {
    return ModuleInfoDecoder.decode(MemorySegment.ofArray(bytes), DATA_SIZE);
  }

  @Test
  void roundTripsEveryRecordKind() {
    ModuleInfo info = rich();
    byte[] bytes = ModuleInfoEncoder.encode(info);
    assertEquals(info, decode(bytes));
    assertArrayEquals(bytes, ModuleInfoEncoder.encode(decode(bytes)));
    assertEquals(ModuleInfo.EMPTY, decode(ModuleInfoEncoder.encode(ModuleInfo.EMPTY)));
  }

  /** GC's ref.i31 in a constant expression: 0xFB then its sub-opcode; any other sub-opcode is damage. */
  @Test
  void refI31RoundTripsAndAnotherGcSubOpcodeIsCorrupt() {
    ModuleInfo info = new ModuleInfo(List.of(), List.of(), List.of(), List.of(), List.of(),
        List.of(new Global(new GlobalType(ValType.EXTERNREF, false),
            ConstExpr.of(new ConstInstr.I32Const(7), new ConstInstr.RefI31()))),
        List.of(), OptionalInt.empty(), List.of(), List.of(), List.of(), Map.of());
    byte[] bytes = ModuleInfoEncoder.encode(info);
    assertEquals(info, decode(bytes));
    int sub = -1;
    for (int i = 0; i + 1 < bytes.length; i++) {
      if ((bytes[i] & 0xFF) == ConstInstr.RefI31.OPCODE && bytes[i + 1] == ConstInstr.RefI31.SUB_OPCODE) {
        sub = i + 1;
      }
    }
    assertTrue(sub > 0, "the encoding holds 0xFB 0x1C");
    bytes[sub] = 0x02; // struct.get, which is not constant
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class, () -> decode(bytes));
    assertTrue(e.getMessage().contains("opcode 0xfb 0x2 is not allowed in a constant expression"), e.getMessage());
    // ref.i31 needs an operand: an expression of it alone is refused before it is written
    assertThrows(IllegalArgumentException.class, () -> new ModuleInfo(List.of(), List.of(), List.of(), List.of(),
        List.of(), List.of(new Global(new GlobalType(ValType.EXTERNREF, false), ConstExpr.of(new ConstInstr.RefI31()))),
        List.of(), OptionalInt.empty(), List.of(), List.of(), List.of(), Map.of()));
  }

  @Test
  void derivedCountsAndLookups() {
    ModuleInfo info = rich();
    assertEquals(new VmShape(1, 1, 2, 1, 2, 1, 7, 3, 3, Builtin.SLOTTED, 3, 3), info.vmShape());
    assertEquals(4, info.functionCount());
    assertEquals(1, info.typeOfFunction(0));
    assertEquals(0, info.typeOfFunction(1));
    assertEquals(1, info.typeOfFunction(3));
    assertEquals(OptionalInt.of(1), info.funcRefIndex(2));
    assertEquals(OptionalInt.empty(), info.funcRefIndex(0));
    assertEquals(new TableType(ValType.FUNCREF, Limits.of(2), false), info.tableType(0), "the import's");
    assertEquals(new TableType(ValType.EXTERNREF, Limits.of(0), true), info.tableType(2));
    assertThrows(IndexOutOfBoundsException.class, () -> info.tableType(3));
  }

  @Test
  void emptyModuleLayoutIsHeaderAndZeroCounts() {
    byte[] bytes = ModuleInfoEncoder.encode(ModuleInfo.EMPTY);
    // magic "KNFO", version 1, reserved; then types, imports, functions, tables, memories, globals,
    // exports counts, start = none, elements, data, escaping, names counts.
    byte[] expected = new byte[8 + 12 * 4];
    System.arraycopy(new byte[] {'K', 'N', 'F', 'O', 1, 0, 0, 0}, 0, expected, 0, 8);
    for (int i = 0; i < 4; i++) {
      expected[8 + 7 * 4 + i] = (byte) 0xFF;
    }
    assertArrayEquals(expected, bytes);
  }

  @Test
  void aTableKeepsU64LimitsAndAMemoryLimitOf2To63IsCorrupt() {
    // WebAssembly 3.0: a 64-bit table's limits reach 2^64-1 (unsigned), so -2 and -1 here
    ModuleInfo tables = new ModuleInfo(List.of(), List.of(), List.of(),
        List.of(new TableType(ValType.FUNCREF, Limits.of(-2, -1), true)), List.of(), List.of(), List.of(),
        OptionalInt.empty(), List.of(), List.of(), List.of(), Map.of());
    assertEquals(tables, decode(ModuleInfoEncoder.encode(tables)));
    assertThrows(IllegalArgumentException.class, () -> Limits.of(-1, -2), "maximum below minimum, unsigned");

    ModuleInfo memory = new ModuleInfo(List.of(), List.of(), List.of(), List.of(),
        List.of(new MemoryType(Limits.of(1, 2), false, false)), List.of(), List.of(), OptionalInt.empty(), List.of(),
        List.of(), List.of(), Map.of());
    byte[] bytes = ModuleInfoEncoder.encode(memory);
    int maxHighByte = 8 + 4 * 4 + 4 + 1 + 8 + 7;
    bytes[maxHighByte] = (byte) 0x80;
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class, () -> decode(bytes));
    assertTrue(e.getMessage().contains("memory maximum is 9223372036854775810, 2^63 or more"), e.getMessage());
  }

  @Test
  void memoryAndExpressionEncodingIsFixedWidth() {
    ModuleInfo info = new ModuleInfo(List.of(), List.of(), List.of(), List.of(),
        List.of(new MemoryType(Limits.of(1, 2), false, false)), List.of(), List.of(), OptionalInt.empty(), List.of(),
        List.of(DataSegment.active(0, ConstExpr.i32(0x100), 3, 4)), List.of(), Map.of());
    byte[] bytes = ModuleInfoEncoder.encode(info);
    MemorySegment s = MemorySegment.ofArray(bytes);
    int memories = 8 + 4 * 4;
    assertEquals(1, bytes[memories]);
    assertEquals(1, bytes[memories + 4]); // flags: has max
    assertEquals(1, bytes[memories + 5]); // min u64
    assertEquals(2, bytes[memories + 13]); // max u64
    int data = memories + 4 + 17 + 4 + 4 + 4 + 4;
    assertEquals(1, bytes[data]); // one data segment
    assertEquals(0, bytes[data + 4]); // active
    assertEquals(1, bytes[data + 9]); // one instruction
    assertEquals((byte) 0x41, bytes[data + 13]); // i32.const
    assertEquals(0x100, s.get(dev.kiln.artifact.internal.SectionReader.U32, data + 14));
    assertEquals(3, bytes[data + 18]);
    assertEquals(4, bytes[data + 22]);
    assertEquals(bytes.length, data + 26 + 8);
  }

  @Test
  void everyTruncationIsRejected() {
    CorruptionProbe.everyTruncationIsRejected(ModuleInfoEncoder.encode(rich()), s -> ModuleInfoDecoder.decode(s, DATA_SIZE));
  }

  @Test
  void randomFlipsRaiseOnlyCorruptArtifactAndSurvivorsReencodeExactly() {
    byte[] valid = ModuleInfoEncoder.encode(rich());
    int rejected = CorruptionProbe.randomFlipsOnlyRaiseArtifactExceptions(valid, 11, 4000, s -> {
      ModuleInfo survivor = ModuleInfoDecoder.decode(s, DATA_SIZE);
      // The encoding is canonical: whatever decodes must be exactly what its re-encoding gives.
      assertArrayEquals(s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), ModuleInfoEncoder.encode(survivor));
    });
    assertTrue(rejected > 3000, "only " + rejected + " of 4000 damaged copies were rejected");
  }

  @Test
  void decoderChecksDataRangesAgainstTheDataSection() {
    byte[] bytes = ModuleInfoEncoder.encode(rich());
    assertEquals(rich(), ModuleInfoDecoder.decode(MemorySegment.ofArray(bytes), 64));
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class,
        () -> ModuleInfoDecoder.decode(MemorySegment.ofArray(bytes), 63));
    // The offset is where segment 1's record starts, which moves as the format grows: not pinned.
    assertTrue(e.getMessage().matches("\\.kiln\\.info at offset 0x[0-9a-f]+: data segment 1 bytes \\[10, \\+54\\) lie outside .*"),
        e.getMessage());
  }

  @Test
  void decodedNamesAreAMapInFunctionOrder() {
    Map<Integer, String> names = decode(ModuleInfoEncoder.encode(rich())).functionNames();
    assertEquals(new java.util.TreeMap<>(rich().functionNames()), names);
    assertEquals(rich().functionNames().hashCode(), names.hashCode());
    assertEquals(List.of(0, 1, 3), List.copyOf(names.keySet()));
    assertEquals(List.of("log", "main", "h\u00e9lper\u2192\uD83D\uDE00"), List.copyOf(names.values()));
    assertEquals("main", names.get(1));
    assertEquals(null, names.get(2));
    assertEquals(null, names.get("main"));
    assertTrue(names.containsKey(3) && !names.containsKey(4) && names.keySet().contains(0));
    assertThrows(UnsupportedOperationException.class, () -> names.put(2, "x"));
  }

  @Test
  void decoderRejectsNamesThatAreNotUtf8OrNotInOrder() {
    ModuleInfo info = new ModuleInfo(List.of(new FuncType(List.of(), List.of())), List.of(), List.of(0, 0, 0),
        List.of(), List.of(), List.of(), List.of(), OptionalInt.empty(), List.of(), List.of(), List.of(),
        Map.of(0, "ab", 2, "\u00e9"));
    byte[] bytes = ModuleInfoEncoder.encode(info);
    assertEquals(info, decode(bytes));
    // The names are the last records: u32 0, u32 2, "ab", then u32 2, u32 2, 0xC3 0xA9 ("\u00e9").
    byte[] malformed = bytes.clone();
    malformed[bytes.length - 1] = (byte) 0x41; // a lead byte followed by ASCII
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class, () -> decode(malformed));
    assertEquals(".kiln.info at offset 0x" + Integer.toHexString(bytes.length - 2) + ": function name is not valid UTF-8",
        e.getMessage());
    byte[] unordered = bytes.clone();
    unordered[bytes.length - 10] = 0; // the second name's function: 2 -> 0
    e = assertThrows(CorruptArtifactException.class, () -> decode(unordered));
    assertTrue(e.getMessage().endsWith("function names are not in increasing function order at entry 1"),
        e.getMessage());
    byte[] tooLong = bytes.clone();
    tooLong[bytes.length - 6] = 3; // the second name's length: 2 -> 3
    e = assertThrows(CorruptArtifactException.class, () -> decode(tooLong));
    assertTrue(e.getMessage().endsWith("function name (3 bytes) runs past the end (" + bytes.length + " bytes)"),
        e.getMessage());
  }

  @Test
  void decoderRejectsTrailingBytesAndForeignMagic() {
    byte[] bytes = ModuleInfoEncoder.encode(ModuleInfo.EMPTY);
    byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
    assertThrows(CorruptArtifactException.class, () -> decode(longer));
    bytes[0] = 'X';
    assertThrows(CorruptArtifactException.class, () -> decode(bytes));
  }

  @Test
  void constructorRefusesDanglingReferences() {
    ModuleInfo ok = rich();
    // exported function without a VMFuncRef
    assertThrows(IllegalArgumentException.class, () -> new ModuleInfo(ok.types(), ok.imports(), ok.functionTypes(),
        ok.tables(), ok.memories(), ok.globals(), ok.exports(), ok.start(), List.of(), List.of(), List.of(2, 3),
        Map.of()));
    // type index out of range
    assertThrows(IllegalArgumentException.class, () -> new ModuleInfo(ok.types(), List.of(), List.of(3), List.of(),
        List.of(), List.of(), List.of(), OptionalInt.empty(), List.of(), List.of(), List.of(), Map.of()));
    // start function must be [] -> []
    assertThrows(IllegalArgumentException.class, () -> new ModuleInfo(ok.types(), List.of(), List.of(1), List.of(),
        List.of(), List.of(), List.of(), OptionalInt.of(0), List.of(), List.of(), List.of(), Map.of()));
    // duplicate export names
    assertThrows(IllegalArgumentException.class, () -> new ModuleInfo(ok.types(), List.of(), List.of(0), List.of(),
        List.of(), List.of(), List.of(new Export("a", ExternKind.FUNCTION, 0), new Export("a", ExternKind.FUNCTION, 0)),
        OptionalInt.empty(), List.of(), List.of(), List.of(0), Map.of()));
    // an expression that leaves two values
    assertThrows(IllegalArgumentException.class, () -> new ModuleInfo(List.of(), List.of(), List.of(), List.of(),
        List.of(), List.of(new Global(new GlobalType(ValType.I32, false), ConstExpr.of(new ConstInstr.I32Const(1),
            new ConstInstr.I32Const(2)))), List.of(), OptionalInt.empty(), List.of(), List.of(), List.of(), Map.of()));
    // data segment on a memory that does not exist
    assertThrows(IllegalArgumentException.class, () -> new ModuleInfo(List.of(), List.of(), List.of(), List.of(),
        List.of(), List.of(), List.of(), OptionalInt.empty(), List.of(), List.of(DataSegment.active(0, ConstExpr.i32(0),
            0, 0)), List.of(), Map.of()));
    // escaping functions out of order, or one twice: the VMFuncRef lookup searches the list by halves
    for (List<Integer> escaping : List.of(List.of(1, 3, 2), List.of(1, 2, 2, 3))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ModuleInfo(ok.types(),
          ok.imports(), ok.functionTypes(), ok.tables(), ok.memories(), ok.globals(), ok.exports(), ok.start(),
          List.of(), List.of(), escaping, Map.of()));
      assertTrue(e.getMessage().contains("ascending"), e.getMessage());
    }
  }

  /** A module with an imported tag of type 1 is refused (results), one of type 0 kept; a defined tag of type 2. */
  private static ModuleInfo withTags(int importedType, int definedType, int exportedTag) {
    List<FuncType> types = List.of(new FuncType(List.of(), List.of()),
        new FuncType(List.of(ValType.I32), List.of(ValType.I32)), new FuncType(List.of(ValType.I64, ValType.F32), List.of()));
    return new ModuleInfo(types, List.of(new Import("env", "t", new ImportDesc.Tag(importedType))), List.of(), List.of(),
        List.of(), List.of(), List.of(new Export("t", ExternKind.TAG, exportedTag)), OptionalInt.empty(), List.of(),
        List.of(), List.of(), Map.of(), List.of(definedType));
  }

  @Test
  void tagsRoundTripBehindTheirHeaderFlagAndATaglessModuleEncodesAsBefore() {
    ModuleInfo info = withTags(0, 2, 1);
    byte[] bytes = ModuleInfoEncoder.encode(info);
    assertEquals(InfoFormat.FLAG_TAGS, bytes[6] & 0xFF);
    ModuleInfo decoded = decode(bytes);
    assertEquals(info, decoded);
    assertEquals(List.of(2), decoded.tags());
    assertEquals(1, decoded.importedTagCount());
    assertEquals(0, decoded.tagType(0));
    assertEquals(2, decoded.tagType(1));
    // without tags the header's flags stay 0: WebAssembly 2.0 artifacts keep their bytes
    assertEquals(0, ModuleInfoEncoder.encode(rich())[6]);
  }

  @Test
  void tagsAreCheckedLikeEveryOtherReference() {
    // a tag's type has results, names no type, or an export names a tag that does not exist
    assertThrows(IllegalArgumentException.class, () -> withTags(1, 2, 0));
    assertThrows(IllegalArgumentException.class, () -> withTags(0, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> withTags(0, 7, 0));
    assertThrows(IllegalArgumentException.class, () -> withTags(0, 2, 2));
    // an unknown header flag, or the tag flag with the tag list cut off, is a corrupt artifact
    byte[] bytes = ModuleInfoEncoder.encode(withTags(0, 2, 1));
    byte[] unknownFlag = bytes.clone();
    unknownFlag[6] = 3;
    assertThrows(CorruptArtifactException.class, () -> decode(unknownFlag));
    byte[] taglessWithFlag = ModuleInfoEncoder.encode(rich());
    taglessWithFlag[6] = (byte) InfoFormat.FLAG_TAGS;
    assertThrows(CorruptArtifactException.class, () -> decode(taglessWithFlag));
  }
}
