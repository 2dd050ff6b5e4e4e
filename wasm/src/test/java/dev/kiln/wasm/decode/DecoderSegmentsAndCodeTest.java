package dev.kiln.wasm.decode;

import dev.kiln.wasm.Features;
import static dev.kiln.wasm.decode.DecoderTest.assertMalformed;
import static dev.kiln.wasm.decode.DecoderTest.malformed;
import static dev.kiln.wasm.decode.ModuleBytes.b;
import static dev.kiln.wasm.decode.ModuleBytes.cat;
import static dev.kiln.wasm.decode.ModuleBytes.name;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.module.CustomSection;
import dev.kiln.wasm.module.DataSegment;
import dev.kiln.wasm.module.ElementSegment;
import dev.kiln.wasm.module.FunctionBody;
import dev.kiln.wasm.module.LocalDecl;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.module.NameSection;
import dev.kiln.wasm.module.SegmentMode;
import dev.kiln.wasm.types.ValType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Element and data segments, the data count, code and custom sections (spec 5.5.11-5.5.15). */
class DecoderSegmentsAndCodeTest {
  private static final int[] TYPE_SECTION = b(0x01, 0x60, 0x00, 0x00);

  @Test
  void elementSegmentsInAllEightForms() {
    int[] offset = b(0x41, 0x00, 0x0B);
    int[] refFunc = b(0xD2, 0x00, 0x0B);
    int[] refNull = b(0xD0, 0x6F, 0x0B);
    Module m =
        Decoder.decode(
            new ModuleBytes()
                .section(
                    9,
                    cat(
                        b(0x08),
                        b(0x00), offset, b(0x02, 0x00, 0x01), // active table 0, indices
                        b(0x01, 0x00, 0x01, 0x03), // passive, elemkind, indices
                        b(0x02, 0x01), offset, b(0x00, 0x01, 0x04), // active table 1, elemkind, indices
                        b(0x03, 0x00, 0x00), // declarative, elemkind, no indices
                        b(0x04), offset, b(0x01), refFunc, // active table 0, expressions
                        b(0x05, 0x6F, 0x01), refNull, // passive externref expressions
                        b(0x06, 0x02), offset, b(0x70, 0x02), refFunc, refFunc, // active table 2
                        b(0x07, 0x70, 0x01), refFunc)) // declarative expressions
                .bytes());
    List<ElementSegment> e = m.elements();
    assertEquals(8, e.size());
    assertEquals(new ElementSegment.FunctionIndices(List.of(0, 1)), e.get(0).items());
    assertEquals(0, assertInstanceOf(SegmentMode.Active.class, e.get(0).mode()).index());
    assertInstanceOf(SegmentMode.Passive.class, e.get(1).mode());
    assertEquals(new ElementSegment.FunctionIndices(List.of(3)), e.get(1).items());
    SegmentMode.Active active2 = assertInstanceOf(SegmentMode.Active.class, e.get(2).mode());
    assertEquals(1, active2.index());
    assertEquals(3, active2.offset().length());
    assertInstanceOf(SegmentMode.Declarative.class, e.get(3).mode());
    assertEquals(0, e.get(3).items().size());
    assertInstanceOf(ElementSegment.Expressions.class, e.get(4).items());
    assertEquals(ValType.FUNCREF, e.get(4).type());
    assertEquals(ValType.EXTERNREF, e.get(5).type());
    assertInstanceOf(SegmentMode.Passive.class, e.get(5).mode());
    assertEquals(2, assertInstanceOf(SegmentMode.Active.class, e.get(6).mode()).index());
    assertEquals(2, e.get(6).items().size());
    assertInstanceOf(SegmentMode.Declarative.class, e.get(7).mode());
    for (ElementSegment s : e.subList(0, 4)) {
      assertEquals(ValType.FUNCREF, s.type());
    }
    assertEquals(11, e.get(0).offset()); // section id, size, count, then the first segment
  }

  @Test
  void malformedElementSegments() {
    assertMalformed("malformed elements segment kind", new ModuleBytes().section(9, 0x01, 0x08).bytes());
    assertMalformed("malformed element kind", new ModuleBytes().section(9, 0x01, 0x01, 0x01, 0x00).bytes());
    assertMalformed("malformed reference type", new ModuleBytes().section(9, 0x01, 0x05, 0x7F, 0x01, 0xD2, 0x00, 0x0B).bytes());
    assertMalformed("illegal opcode", new ModuleBytes().section(9, 0x01, 0x05, 0x70, 0x01, 0xF3, 0x00, 0x0B).bytes());
    // two segments declared, one given: the second runs off the end
    assertTrue(malformed(new ModuleBytes().raw(0x09, 0x07, 0x02, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x00).bytes())
        .reason().startsWith("unexpected end"));
  }

  @Test
  void dataSegmentsInAllThreeForms() {
    byte[] bytes =
        new ModuleBytes()
            .section(
                11,
                0x03,
                0x00, 0x41, 0x08, 0x0B, 0x02, 0xAA, 0xBB, // active memory 0 at 8
                0x01, 0x01, 0xCC, // passive
                0x02, 0x01, 0x41, 0x00, 0x0B, 0x00) // active memory 1, empty
            .bytes();
    Module m = Decoder.decode(bytes);
    List<DataSegment> d = m.data();
    assertEquals(3, d.size());
    assertEquals(0, assertInstanceOf(SegmentMode.Active.class, d.get(0).mode()).index());
    assertArrayEquals(new byte[] {(byte) 0xAA, (byte) 0xBB}, Arrays.copyOfRange(bytes, d.get(0).start(), d.get(0).start() + d.get(0).length()));
    assertInstanceOf(SegmentMode.Passive.class, d.get(1).mode());
    assertEquals(1, d.get(1).length());
    assertEquals((byte) 0xCC, bytes[d.get(1).start()]);
    assertEquals(1, assertInstanceOf(SegmentMode.Active.class, d.get(2).mode()).index());
    assertEquals(0, d.get(2).length());
    assertMalformed("malformed data segment kind", new ModuleBytes().section(11, 0x01, 0x03).bytes());
    // seven data bytes declared, six given: the length fits what is left from its own byte on
    assertMalformed("unexpected end of section or function",
        new ModuleBytes().raw(0x0B, 0x0C, 0x01, 0x00, 0x41, 0x03, 0x0B, 0x07, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66).bytes());
    assertMalformed("length out of bounds",
        new ModuleBytes().raw(0x0B, 0x07, 0x01, 0x00, 0x41, 0x03, 0x0B, 0x07, 0x61).bytes());
  }

  @Test
  void dataCountMustMatchTheDataSection() {
    Module m = Decoder.decode(new ModuleBytes().section(12, 0x01).section(11, 0x01, 0x01, 0x00).bytes());
    assertEquals(OptionalInt.of(1), m.dataCount());
    assertMalformed(
        "data count and data section have inconsistent lengths",
        new ModuleBytes().section(12, 0x03).section(11, 0x02, 0x01, 0x00, 0x01, 0x00).bytes());
    // a data count with no data section at all counts zero segments
    assertMalformed(
        "data count and data section have inconsistent lengths", new ModuleBytes().section(12, 0x01).bytes());
  }

  @Test
  void memoryInitAndDataDropNeedTheDataCount() {
    int[] memoryInitBody = b(0x0C, 0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x08, 0x00, 0x00, 0x0B);
    int[] dataDropBody = b(0x05, 0x00, 0xFC, 0x09, 0x00, 0x0B);
    for (int[] body : List.of(memoryInitBody, dataDropBody)) {
      assertMalformed(
          "data count section required",
          new ModuleBytes()
              .section(1, TYPE_SECTION)
              .section(3, 0x01, 0x00)
              .section(10, cat(b(0x01), body))
              .section(11, 0x01, 0x01, 0x00)
              .bytes());
      Module m =
          Decoder.decode(
              new ModuleBytes()
                  .section(1, TYPE_SECTION)
                  .section(3, 0x01, 0x00)
                  .section(12, 0x01)
                  .section(10, cat(b(0x01), body))
                  .section(11, 0x01, 0x01, 0x00)
                  .bytes());
      assertEquals(1, m.code().size());
    }
  }

  @Test
  void functionBodiesKeepLocalsAndCodeRange() {
    byte[] bytes =
        new ModuleBytes()
            .section(1, TYPE_SECTION)
            .section(3, 0x02, 0x00, 0x00)
            .section(10, 0x02, 0x02, 0x00, 0x0B, 0x09, 0x02, 0x03, 0x7F, 0x01, 0x7B, 0x02, 0x40, 0x0B, 0x0B)
            .bytes();
    Module m = Decoder.decode(bytes);
    assertEquals(List.of(0, 0), m.functions());
    FunctionBody first = m.code().get(0);
    assertEquals(List.of(), first.locals());
    assertEquals(first.codeStart() + 1, first.codeEnd());
    FunctionBody second = m.code().get(1);
    assertEquals(List.of(new LocalDecl(3, ValType.I32), new LocalDecl(1, ValType.V128)), second.locals());
    assertEquals(4, second.localCount());
    assertEquals(4, second.codeEnd() - second.codeStart()); // block, end, end
    assertEquals(0x09, bytes[second.bodyStart()]);
    assertEquals(0x0B, bytes[second.codeEnd() - 1]);
  }

  @Test
  void functionAndCodeCountsMustAgree() {
    String reason = "function and code section have inconsistent lengths";
    assertMalformed(reason, new ModuleBytes().section(1, TYPE_SECTION).section(3, 0x02, 0x00, 0x00).bytes());
    assertMalformed(reason, new ModuleBytes().section(10, 0x01, 0x02, 0x00, 0x0B).bytes());
    assertMalformed(
        reason,
        new ModuleBytes().section(1, TYPE_SECTION).section(3, 0x01, 0x00).section(10, 0x02, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x0B).bytes());
    // empty sections agree
    Module m = Decoder.decode(new ModuleBytes().section(3, 0x00).section(10, 0x00).bytes());
    assertTrue(m.code().isEmpty());
  }

  @Test
  void tooManyLocals() {
    int[] header = b(0x01, 0x60, 0x00, 0x00);
    // 0xFFFFFFFF i32 locals plus 2 i64 locals
    assertMalformed(
        "too many locals",
        new ModuleBytes()
            .section(1, header)
            .section(3, 0x01, 0x00)
            .section(10, 0x01, 0x0A, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x02, 0x7E, 0x0B)
            .bytes());
    // exactly 0xFFFFFFFF locals decode (run-length, nothing is allocated per local)
    Module m =
        Decoder.decode(
            new ModuleBytes()
                .section(1, header)
                .section(3, 0x01, 0x00)
                .section(10, 0x01, 0x08, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x0B)
                .bytes());
    assertEquals(0xFFFF_FFFFL, m.code().get(0).localCount());
  }

  @Test
  void bodyFramingErrors() {
    ModuleBytes prefix = new ModuleBytes().section(1, TYPE_SECTION).section(3, 0x01, 0x00);
    // the body's end lies after its declared size
    byte[] overlong = new ModuleBytes().section(1, TYPE_SECTION).section(3, 0x01, 0x00)
        .raw(0x0A, 0x06, 0x01, 0x04, 0x00, 0x41, 0x01, 0x1A, 0x0B, 0x03, 0x01, 0x01, 0x00).bytes();
    assertMalformed("section size mismatch", overlong);
    // the body runs off the file
    assertMalformed("unexpected end of section or function",
        prefix.raw(0x0A, 0x06, 0x01, 0x04, 0x00, 0x41, 0x01, 0x1A).bytes());
    // an else outside any if
    assertMalformed("END opcode expected", new ModuleBytes().section(1, TYPE_SECTION).section(3, 0x01, 0x00)
        .section(10, 0x01, 0x05, 0x00, 0x02, 0x40, 0x05, 0x0B).bytes());
    // a second else in one if
    assertMalformed("END opcode expected", new ModuleBytes().section(1, TYPE_SECTION).section(3, 0x01, 0x00)
        .section(10, 0x01, 0x09, 0x00, 0x41, 0x00, 0x04, 0x40, 0x05, 0x05, 0x0B, 0x0B).bytes());
    MalformedException illegal = malformed(new ModuleBytes().section(1, TYPE_SECTION).section(3, 0x01, 0x00)
        .section(10, 0x01, 0x03, 0x00, 0x27, 0x0B).bytes());
    assertTrue(illegal.reason().startsWith("illegal opcode"));
  }

  @Test
  void featuresReachTheInstructionReader() {
    // memory.size 1; drop: a memory index with multi-memory, a reserved zero byte without it
    byte[] memorySize = new ModuleBytes().section(1, TYPE_SECTION).section(3, 0x01, 0x00)
        .section(10, 0x01, 0x05, 0x00, 0x3F, 0x01, 0x1A, 0x0B).bytes();
    assertEquals(1, Decoder.decode(memorySize).code().size());
    assertMalformed("zero byte expected", memorySize, Features.STANDARD);
    assertMalformed("zero flag expected", memorySize, Features.STANDARD.withReferenceTypes(false));
    // call_indirect 0 1: a table index with reference types, a reserved zero byte without them
    byte[] callIndirect = new ModuleBytes().section(1, TYPE_SECTION).section(3, 0x01, 0x00)
        .section(10, 0x01, 0x07, 0x00, 0x41, 0x00, 0x11, 0x00, 0x01, 0x0B).bytes();
    assertEquals(1, Decoder.decode(callIndirect, Features.STANDARD).code().size());
    assertMalformed("zero flag expected", callIndirect, Features.STANDARD.withReferenceTypes(false));
  }

  @Test
  void deeplyNestedBlocksDecode() {
    int depth = 10_000;
    int[] body = new int[1 + 2 * depth + depth + 1];
    int at = 0;
    body[at++] = 0x00; // no locals
    for (int i = 0; i < depth; i++) {
      body[at++] = 0x02;
      body[at++] = 0x40;
    }
    for (int i = 0; i <= depth; i++) {
      body[at++] = 0x0B;
    }
    Module m = Decoder.decode(new ModuleBytes().section(1, TYPE_SECTION).section(3, 0x01, 0x00)
        .section(10, cat(b(0x01), ModuleBytes.u32(body.length), body)).bytes());
    assertEquals(body.length - 1, m.code().get(0).codeEnd() - m.code().get(0).codeStart());
  }

  @Test
  void customSectionsAreKeptWithTheirPayload() {
    byte[] bytes = new ModuleBytes().section(0, cat(name("hello"), b(1, 2, 3))).bytes();
    CustomSection c = Decoder.decode(bytes).customSections().get(0);
    assertEquals("hello", c.name());
    assertEquals(3, c.length());
    assertEquals(1, bytes[c.start()]);
    // a custom section's name must fit in the section
    assertMalformed("unexpected end of section or function",
        new ModuleBytes().raw(0x00, 0x00, 0x00, 0x05, 0x01, 0x00, 0x07, 0x00, 0x00).bytes());
    // a byte after the custom section that is no section id
    assertMalformed("malformed section id",
        new ModuleBytes().raw(0x00, 0x03).raw(name("ab")).raw(0x24, 0x00).bytes());
  }

  @Test
  void nameSectionIsDecoded() {
    int[] moduleName = cat(b(0x00), withSize(name("mod")));
    int[] functionNames = cat(b(0x01), withSize(cat(b(0x02, 0x00), name("f0"), b(0x02), name("f2"))));
    int[] localNames = cat(b(0x02), withSize(cat(b(0x01, 0x02, 0x02, 0x00), name("a"), b(0x01), name("b"))));
    int[] unknown = cat(b(0x07), withSize(b(0x01, 0x02, 0x03)));
    Module m = Decoder.decode(new ModuleBytes().section(0, cat(name("name"), moduleName, functionNames, localNames, unknown)).bytes());
    NameSection names = m.names();
    assertEquals(Optional.of("mod"), names.moduleName());
    assertEquals(Map.of(0, "f0", 2, "f2"), names.functionNames());
    assertEquals(Map.of(2, Map.of(0, "a", 1, "b")), names.localNames());
  }

  @Test
  void malformedNameSectionIsIgnored() {
    List<int[]> broken =
        List.of(
            cat(b(0x01), withSize(cat(b(0x02, 0x03), name("x"), b(0x01), name("y")))), // indices out of order
            cat(b(0x01, 0x10, 0x01, 0x00)), // subsection longer than the section
            cat(b(0x00), withSize(b(0x01, 0xFF))), // bad UTF-8
            cat(b(0x01), withSize(b(0x00)), b(0x00), withSize(name("m"))), // subsections out of order
            cat(b(0x00), withSize(cat(name("m"), b(0x00))))); // junk inside a subsection
    for (int[] content : broken) {
      Module m = Decoder.decode(new ModuleBytes().section(0, cat(name("name"), content)).bytes());
      assertEquals(NameSection.EMPTY, m.names());
      assertEquals("name", m.customSections().get(0).name());
    }
  }

  private static int[] withSize(int[] content) {
    return cat(ModuleBytes.u32(content.length), content);
  }
}
