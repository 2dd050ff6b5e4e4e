package dev.kiln.wasm.decode;

import dev.kiln.wasm.Features;
import static dev.kiln.wasm.decode.ModuleBytes.b;
import static dev.kiln.wasm.decode.ModuleBytes.cat;
import static dev.kiln.wasm.decode.ModuleBytes.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.module.Export;
import dev.kiln.wasm.module.ExternKind;
import dev.kiln.wasm.module.Import;
import dev.kiln.wasm.module.ImportDesc;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.module.NameSection;
import dev.kiln.wasm.types.FuncType;
import dev.kiln.wasm.types.GlobalType;
import dev.kiln.wasm.types.Limits;
import dev.kiln.wasm.types.MemoryType;
import dev.kiln.wasm.types.TableType;
import dev.kiln.wasm.types.ValType;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The header, section framing, LEB128, names and types (spec 5.1-5.3, 5.5.2-5.5.10). */
class DecoderTest {
  static MalformedException malformed(byte[] bytes) {
    return malformed(bytes, Features.ALL);
  }

  static MalformedException malformed(byte[] bytes, Features features) {
    return assertThrows(MalformedException.class, () -> Decoder.decode(bytes, features));
  }

  static void assertMalformed(String reason, byte[] bytes) {
    assertEquals(reason, malformed(bytes).reason());
  }

  static void assertMalformed(String reason, byte[] bytes, Features features) {
    assertEquals(reason, malformed(bytes, features).reason());
  }

  @Test
  void headerOnlyIsAnEmptyModule() {
    Module m = Decoder.decode(new ModuleBytes().bytes());
    assertTrue(m.types().isEmpty());
    assertTrue(m.imports().isEmpty());
    assertTrue(m.functions().isEmpty());
    assertTrue(m.code().isEmpty());
    assertEquals(OptionalInt.empty(), m.start());
    assertEquals(OptionalInt.empty(), m.dataCount());
    assertEquals(NameSection.EMPTY, m.names());
  }

  @Test
  void headerErrors() {
    assertMalformed("unexpected end", new byte[0]);
    assertMalformed("unexpected end", new byte[] {0x00, 0x61, 0x73});
    assertMalformed("magic header not detected", new byte[] {0x61, 0x73, 0x6D, 0x00});
    assertMalformed("magic header not detected", new byte[] {0x00, 0x41, 0x53, 0x4D, 1, 0, 0, 0});
    assertMalformed("unexpected end", new byte[] {0x00, 0x61, 0x73, 0x6D, 1, 0, 0});
    MalformedException e = malformed(new byte[] {0x00, 0x61, 0x73, 0x6D, 2, 0, 0, 0});
    assertEquals("unknown binary version", e.reason());
    assertEquals(4, e.offset());
  }

  @Test
  void sectionIdsBeyondDataCountAreMalformed() {
    assertMalformed("malformed section id", new ModuleBytes().raw(0x0E, 0x00).bytes());
    MalformedException e = malformed(new ModuleBytes().raw(0x80, 0x00, 0x01, 0x00).bytes());
    assertEquals("malformed section id", e.reason());
    assertEquals(8, e.offset());
  }

  @Test
  void sectionsMustComeInOrderAndAtMostOnce() {
    int[] type = b(0x01, 0x60, 0x00, 0x00);
    assertMalformed(
        "unexpected content after last section",
        new ModuleBytes().section(1, type).section(1, type).bytes());
    // function section after the code section
    assertMalformed(
        "unexpected content after last section",
        new ModuleBytes().section(10, 0x00).section(3, 0x00).bytes());
    // the data count section (id 12) belongs before the code section (id 10)
    assertMalformed(
        "unexpected content after last section",
        new ModuleBytes().section(10, 0x00).section(12, 0x00).bytes());
    // custom sections may appear anywhere, any number of times
    Module m =
        Decoder.decode(
            new ModuleBytes()
                .section(0, name("a"))
                .section(1, type)
                .section(0, name("b"))
                .section(12, 0x00)
                .section(10, 0x00)
                .section(0, name("a"))
                .bytes());
    assertEquals(3, m.customSections().size());
    assertEquals(OptionalInt.of(0), m.dataCount());
  }

  @Test
  void sectionSizeIsCheckedAfterReadingTheContent() {
    // 1 type declared in a section of 7 bytes, 2 given: the reader stops early
    assertMalformed(
        "section size mismatch",
        new ModuleBytes().raw(0x01, 0x07, 0x01, 0x60, 0x00, 0x00, 0x60, 0x00, 0x00).bytes());
    // the content runs into the next section
    MalformedException e =
        malformed(new ModuleBytes().raw(0x01, 0x03, 0x01, 0x60, 0x00, 0x00).bytes());
    assertEquals("section size mismatch", e.reason());
    assertEquals(10, e.offset());
  }

  @Test
  void lengthsBeyondTheFileAreOutOfBounds() {
    // a section claiming more bytes than the file has
    assertMalformed("length out of bounds", new ModuleBytes().raw(0x01, 0x07, 0x02, 0x60, 0x00, 0x00).bytes());
    // a vector claiming more entries than there are bytes left
    assertMalformed("length out of bounds", new ModuleBytes().section(3, 0x05, 0x00).bytes());
    // a second module appended to the first: "\0asm" reads as a custom section of size 0x61
    assertMalformed(
        "length out of bounds", new ModuleBytes().raw(0x00, 0x61, 0x73, 0x6D, 1, 0, 0, 0).bytes());
  }

  @Test
  void readingOffTheEndIsUnexpectedEnd() {
    assertMalformed("unexpected end of section or function", new ModuleBytes().raw(0x04, 0x01, 0x01).bytes());
    assertMalformed("unexpected end of section or function", new ModuleBytes().raw(0x05, 0x01, 0x01).bytes());
    assertMalformed("unexpected end of section or function", new ModuleBytes().raw(0x00).bytes());
  }

  @Test
  void leb128RedundantZerosAreAccepted() {
    // function count 0 written in five bytes, the most a u32 may take
    Module m = Decoder.decode(new ModuleBytes().section(3, 0x80, 0x80, 0x80, 0x80, 0x00).bytes());
    assertTrue(m.functions().isEmpty());
    // start function index 0xFFFFFFFF, the largest u32
    Module big = Decoder.decode(new ModuleBytes().section(8, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F).bytes());
    assertEquals(OptionalInt.of(-1), big.start());
  }

  @Test
  void leb128TooLongOrTooLarge() {
    assertMalformed(
        "integer representation too long",
        new ModuleBytes().section(8, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00).bytes());
    // bits beyond the 32nd in the fifth byte
    MalformedException e = malformed(new ModuleBytes().section(8, 0x80, 0x80, 0x80, 0x80, 0x10).bytes());
    assertEquals("integer too large", e.reason());
    assertEquals(14, e.offset());
    // memory64 limits are u64: ten bytes at most, the tenth holding bit 63 only
    int[] min = b(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02);
    assertMalformed("integer too large", new ModuleBytes().section(5, cat(b(0x01, 0x04), min)).bytes());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "80", // lone continuation byte
        "c0 80", // overlong NUL
        "c1 bf", // overlong
        "e0 9f bf", // overlong three-byte form
        "ed a0 80", // surrogate U+D800
        "ed bf bf", // surrogate U+DFFF
        "f0 8f bf bf", // overlong four-byte form
        "f4 90 80 80", // U+110000
        "f5 80 80 80", // beyond Unicode
        "ff",
        "c2", // truncated
        "e1 80", // truncated
        "e1 80 41", // bad continuation
      })
  void malformedUtf8InNames(String hex) {
    String[] parts = hex.split(" ");
    int[] nameBytes = new int[parts.length + 1];
    nameBytes[0] = parts.length;
    for (int i = 0; i < parts.length; i++) {
      nameBytes[i + 1] = Integer.parseInt(parts[i], 16);
    }
    assertMalformed("malformed UTF-8 encoding", new ModuleBytes().section(0, nameBytes).bytes());
    assertMalformed(
        "malformed UTF-8 encoding",
        new ModuleBytes().section(2, cat(b(0x01), nameBytes, name("f"), b(0x02, 0x00, 0x00))).bytes());
  }

  @Test
  void wellFormedUtf8NamesDecode() {
    String text = "\u0000a\u00e9\u20ac\ud800\udf48\uffff\udbff\udfff"; // 1- to 4-byte forms and the extremes
    Module m = Decoder.decode(new ModuleBytes().section(7, cat(b(0x01), name(text), b(0x00, 0x00))).bytes());
    assertEquals(text, m.exports().get(0).name());
  }

  @Test
  void functionTypes() {
    Module m =
        Decoder.decode(
            new ModuleBytes()
                .section(1, 0x02, 0x60, 0x00, 0x00, 0x60, 0x03, 0x7F, 0x7E, 0x7B, 0x02, 0x70, 0x6F)
                .bytes());
    assertEquals(new FuncType(List.of(), List.of()), m.types().get(0));
    assertEquals(
        new FuncType(List.of(ValType.I32, ValType.I64, ValType.V128), List.of(ValType.FUNCREF, ValType.EXTERNREF)),
        m.types().get(1));
    assertMalformed("malformed function type", new ModuleBytes().section(1, 0x01, 0x61, 0x00, 0x00).bytes());
    assertMalformed("malformed number type", new ModuleBytes().section(1, 0x01, 0x60, 0x01, 0x7A, 0x00).bytes());
    assertMalformed("malformed reference type", new ModuleBytes().section(1, 0x01, 0x60, 0x01, 0x68, 0x00).bytes());
  }

  @Test
  void importsOfAllFourKinds() {
    Module m =
        Decoder.decode(
            new ModuleBytes()
                .section(1, 0x01, 0x60, 0x00, 0x00)
                .section(
                    2,
                    cat(
                        b(0x04),
                        name("m"), name("f"), b(0x00, 0x00),
                        name("m"), name("t"), b(0x01, 0x70, 0x01, 0x01, 0x02),
                        name("m"), name("mem"), b(0x02, 0x00, 0x01),
                        name("m"), name("g"), b(0x03, 0x7F, 0x01)))
                .bytes());
    assertEquals(
        List.of(
            new Import("m", "f", new ImportDesc.Func(0)),
            new Import("m", "t", new ImportDesc.Table(new TableType(ValType.FUNCREF, Limits.of(1, 2)))),
            new Import("m", "mem", new ImportDesc.Memory(new MemoryType(Limits.of(1), false, false))),
            new Import("m", "g", new ImportDesc.Global(new GlobalType(ValType.I32, true)))),
        m.imports());
    assertEquals(1, m.importedFunctionCount());
    assertEquals(1, m.importedGlobalCount());
  }

  @ParameterizedTest
  @ValueSource(ints = {0x05, 0x06, 0x80})
  void malformedImportKind(int kind) {
    assertMalformed(
        "malformed import kind", new ModuleBytes().section(2, cat(b(0x01), name(""), name(""), b(kind))).bytes());
  }

  @Test
  void malformedMutability() {
    assertMalformed("malformed mutability", new ModuleBytes().section(6, 0x01, 0x7F, 0x02, 0x41, 0x00, 0x0B).bytes());
    assertMalformed(
        "malformed mutability",
        new ModuleBytes().section(2, cat(b(0x01), name("m"), name("g"), b(0x03, 0x7F, 0xFF))).bytes());
  }

  @Test
  void tablesAndMemoriesWithEveryLimitsForm() {
    Module m =
        Decoder.decode(
            new ModuleBytes()
                .section(4, 0x02, 0x70, 0x00, 0x05, 0x6F, 0x01, 0x00, 0x80, 0x80, 0x04)
                .section(
                    5,
                    0x05,
                    0x00, 0x01, // min 1
                    0x01, 0x01, 0x02, // min 1 max 2
                    0x03, 0x01, 0x02, // shared
                    0x04, 0x80, 0x80, 0x80, 0x80, 0x10, // i64, min 2^32
                    0x07, 0x00, 0x01) // i64 shared
                .bytes());
    assertEquals(
        List.of(new TableType(ValType.FUNCREF, Limits.of(5)), new TableType(ValType.EXTERNREF, Limits.of(0, 65536))),
        m.tables());
    assertEquals(
        List.of(
            new MemoryType(Limits.of(1), false, false),
            new MemoryType(Limits.of(1, 2), false, false),
            new MemoryType(Limits.of(1, 2), false, true),
            new MemoryType(Limits.of(1L << 32), true, false),
            new MemoryType(Limits.of(0, 1), true, true)),
        m.memories());
  }

  @Test
  void limitsFlagsWithoutProposalsAreAOneBitInteger() {
    Features standard = Features.STANDARD;
    assertMalformed("integer too large", new ModuleBytes().section(5, 0x01, 0x02, 0x00).bytes(), standard);
    assertMalformed("integer too large", new ModuleBytes().section(4, 0x01, 0x70, 0x02, 0x00).bytes(), standard);
    assertMalformed(
        "integer representation too long", new ModuleBytes().section(5, 0x01, 0x81, 0x00, 0x00).bytes(), standard);
    assertMalformed(
        "integer representation too long",
        new ModuleBytes().section(4, 0x01, 0x70, 0x81, 0x00, 0x00, 0x00).bytes(),
        standard);
    assertEquals(1, Decoder.decode(new ModuleBytes().section(5, 0x01, 0x01, 0x00, 0x01).bytes(), standard).memories().size());
  }

  @Test
  void limitsFlagsWithProposalsAreAByteOfKnownBits() {
    assertMalformed("malformed limits flags", new ModuleBytes().section(5, 0x01, 0x08).bytes());
    assertMalformed("malformed limits flags", new ModuleBytes().section(5, 0x01, 0x81, 0x00, 0x00).bytes());
    // tables have no shared form
    assertMalformed("malformed limits flags", new ModuleBytes().section(4, 0x01, 0x70, 0x02, 0x00).bytes());
    assertMalformed("malformed limits flags", new ModuleBytes().section(4, 0x01, 0x70, 0x08, 0x00).bytes());
    // memory64 alone does not allow shared memories
    assertMalformed(
        "malformed limits flags",
        new ModuleBytes().section(5, 0x01, 0x03, 0x00, 0x01).bytes(),
        Features.STANDARD.withMemory64(true));
  }

  @Test
  void aTableWithFlagBitTwoIsA64BitTableWithU64Limits() {
    // WebAssembly 3.0 binary table types: flags 0x05 = 64-bit with a maximum; u64 limits (2^32, 2^40)
    Module m = Decoder.decode(new ModuleBytes().section(4, 0x01, 0x70, 0x05,
        0x80, 0x80, 0x80, 0x80, 0x10, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20).bytes(), Features.ALL);
    assertEquals(new TableType(ValType.FUNCREF, Limits.of(1L << 32, 1L << 40), true), m.tables().get(0));
    assertEquals(ValType.I64, m.tables().get(0).addressType());
    // without memory64 (WebAssembly 2.0) the flag is a bit, and 4 is none
    assertMalformed("integer too large", new ModuleBytes().section(4, 0x01, 0x70, 0x04, 0x00).bytes(),
        Features.STANDARD);
  }

  @Test
  void exports() {
    Module m =
        Decoder.decode(
            new ModuleBytes()
                .section(7, cat(b(0x04), name("f"), b(0x00, 0x00), name("t"), b(0x01, 0x01), name("m"), b(0x02, 0x00),
                    name("g"), b(0x03, 0x05)))
                .bytes());
    assertEquals(
        List.of(
            new Export("f", ExternKind.FUNC, 0),
            new Export("t", ExternKind.TABLE, 1),
            new Export("m", ExternKind.MEMORY, 0),
            new Export("g", ExternKind.GLOBAL, 5)),
        m.exports());
    assertMalformed("malformed export kind", new ModuleBytes().section(7, cat(b(0x01), name("x"), b(0x05, 0x00))).bytes());
  }

  @Test
  void globalsKeepTheirInitialiserBytes() {
    byte[] bytes =
        new ModuleBytes()
            .section(6, 0x02, 0x7F, 0x00, 0x41, 0x2A, 0x0B, 0x7E, 0x01, 0x42, 0x01, 0x42, 0x02, 0x7C, 0x0B)
            .bytes();
    Module m = Decoder.decode(bytes);
    assertEquals(2, m.globals().size());
    assertEquals(new GlobalType(ValType.I32, false), m.globals().get(0).type());
    assertEquals(13, m.globals().get(0).init().start());
    assertEquals(16, m.globals().get(0).init().end());
    assertEquals(3, m.globals().get(0).init().length());
    assertEquals(new GlobalType(ValType.I64, true), m.globals().get(1).type());
    assertEquals(6, m.globals().get(1).init().length());
    assertFalse(m.globals().get(1).type().valueType().isReference());
  }

  @Test
  void constantExpressionsEndAtTheirOwnEnd() {
    // a block inside the initialiser: its end does not end the expression (validation rejects it)
    Module m = Decoder.decode(new ModuleBytes().section(6, 0x01, 0x7F, 0x00, 0x02, 0x40, 0x0B, 0x41, 0x00, 0x0B).bytes());
    assertEquals(6, m.globals().get(0).init().length());
    assertMalformed("unexpected end of section or function", truncatedGlobal());
    assertMalformed("END opcode expected", new ModuleBytes().section(6, 0x01, 0x7F, 0x00, 0x41, 0x00, 0x05, 0x0B).bytes());
    assertMalformed("illegal opcode", new ModuleBytes().section(6, 0x01, 0x7F, 0x00, 0xF3, 0x00, 0x0B).bytes());
  }

  private static byte[] truncatedGlobal() {
    // the initialiser runs off the end of the file
    return new ModuleBytes().raw(0x06, 0x05, 0x01, 0x7F, 0x00, 0x41, 0x00).bytes();
  }
}
