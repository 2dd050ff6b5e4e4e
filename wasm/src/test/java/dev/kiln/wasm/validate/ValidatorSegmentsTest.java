package dev.kiln.wasm.validate;

import static dev.kiln.wasm.decode.ModuleBytes.b;
import static dev.kiln.wasm.decode.ModuleBytes.cat;
import static dev.kiln.wasm.decode.ModuleBytes.name;
import static dev.kiln.wasm.validate.ValidatorTest.TYPES;
import static dev.kiln.wasm.validate.ValidatorTest.assertInvalid;
import static dev.kiln.wasm.validate.ValidatorTest.assertValid;
import static dev.kiln.wasm.validate.ValidatorTest.invalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.decode.Decoder;
import dev.kiln.wasm.Features;
import dev.kiln.wasm.decode.ModuleBytes;
import dev.kiln.wasm.module.Module;
import org.junit.jupiter.api.Test;

/** Globals, element and data segments (spec 3.4.5-3.4.7): the rules about constant expressions. */
class ValidatorSegmentsTest {
  private static final int[] IMPORTED_I32_GLOBAL = cat(b(0x01), name("m"), name("g"), b(0x03, 0x7F, 0x00));

  @Test
  void globalInitialisersHaveTheGlobalsType() {
    assertValid(new ModuleBytes().section(6, 0x01, 0x7E, 0x00, 0x42, 0x07, 0x0B));
    assertInvalid("type mismatch", new ModuleBytes().section(6, 0x01, 0x7F, 0x00, 0x42, 0x07, 0x0B));
    assertInvalid("type mismatch", new ModuleBytes().section(6, 0x01, 0x7F, 0x00, 0x0B));
    assertInvalid("constant expression required", new ModuleBytes().section(6, 0x01, 0x7F, 0x00, 0x41, 0x00, 0x1A, 0x41, 0x00, 0x0B));
  }

  @Test
  void globalInitialisersReadOnlyImportedGlobalsInWebAssembly2() {
    assertValid(new ModuleBytes().section(2, IMPORTED_I32_GLOBAL).section(6, 0x01, 0x7F, 0x00, 0x23, 0x00, 0x0B));
    // global 1 is the module's own first global
    assertEquals(
        "unknown global 1",
        invalid(new ModuleBytes().section(2, IMPORTED_I32_GLOBAL).section(6, 0x02, 0x7F, 0x00, 0x41, 0x00, 0x0B, 0x7F, 0x00, 0x23, 0x01, 0x0B),
            Features.STANDARD).reason());
  }

  @Test
  void globalInitialisersReadTheGlobalsBeforeThemInWebAssembly3() {
    // global 2 reads global 1, defined before it (spec 3.4.6)
    assertValid(new ModuleBytes().section(2, IMPORTED_I32_GLOBAL)
        .section(6, 0x02, 0x7F, 0x00, 0x41, 0x00, 0x0B, 0x7F, 0x00, 0x23, 0x01, 0x0B));
    // but not itself, nor one defined after it
    assertEquals("unknown global 1", invalid(new ModuleBytes().section(2, IMPORTED_I32_GLOBAL)
        .section(6, 0x01, 0x7F, 0x00, 0x23, 0x01, 0x0B)).reason());
    assertEquals("unknown global 2", invalid(new ModuleBytes().section(2, IMPORTED_I32_GLOBAL)
        .section(6, 0x02, 0x7F, 0x00, 0x23, 0x02, 0x0B, 0x7F, 0x00, 0x41, 0x00, 0x0B)).reason());
    // a mutable one stays out of reach
    assertEquals("constant expression required", invalid(new ModuleBytes()
        .section(6, 0x02, 0x7F, 0x01, 0x41, 0x00, 0x0B, 0x7F, 0x00, 0x23, 0x00, 0x0B)).reason());
    // a data segment's offset may read any immutable global
    assertValid(new ModuleBytes().section(5, 0x01, 0x00, 0x01).section(6, 0x01, 0x7F, 0x00, 0x41, 0x00, 0x0B)
        .section(11, 0x01, 0x00, 0x23, 0x00, 0x0B, 0x00));
  }

  @Test
  void extendedConstantExpressionsFollowTheFeatures() {
    // i32.const 1; i32.const 2; i32.add
    ModuleBytes sum = new ModuleBytes().section(6, 0x01, 0x7F, 0x00, 0x41, 0x01, 0x41, 0x02, 0x6A, 0x0B);
    assertValid(sum);
    assertEquals("constant expression required", invalid(sum, Features.STANDARD).reason());
  }

  @Test
  void elementSegmentsMatchTheirTable() {
    ModuleBytes base = new ModuleBytes().section(1, TYPES).section(3, 0x01, 0x00).section(4, 0x01, 0x70, 0x00, 0x01);
    assertValid(copy(base).section(9, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x00).section(10, 0x01, 0x02, 0x00, 0x0B));
    // table 1 does not exist
    InvalidException unknownTable =
        invalid(copy(base).section(9, 0x01, 0x02, 0x01, 0x41, 0x00, 0x0B, 0x00, 0x01, 0x00).section(10, 0x01, 0x02, 0x00, 0x0B));
    assertEquals("unknown table 1", unknownTable.reason());
    assertEquals(32, unknownTable.offset()); // header 8, type section 11, function 4, table 6, id, size, count
    // the offset must be an i32
    assertInvalid("type mismatch", copy(base).section(9, 0x01, 0x00, 0x42, 0x00, 0x0B, 0x01, 0x00).section(10, 0x01, 0x02, 0x00, 0x0B));
    // an externref segment cannot initialise a funcref table
    assertInvalid("type mismatch", copy(base).section(9, 0x01, 0x06, 0x00, 0x41, 0x00, 0x0B, 0x6F, 0x01, 0xD0, 0x6F, 0x0B)
        .section(10, 0x01, 0x02, 0x00, 0x0B));
    // function 1 does not exist
    assertInvalid("unknown function 1", copy(base).section(9, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x01).section(10, 0x01, 0x02, 0x00, 0x0B));
    // an item expression must have the segment's type
    assertInvalid("type mismatch", copy(base).section(9, 0x01, 0x05, 0x70, 0x01, 0xD0, 0x6F, 0x0B).section(10, 0x01, 0x02, 0x00, 0x0B));
    assertInvalid("constant expression required",
        copy(base).section(9, 0x01, 0x05, 0x70, 0x01, 0x10, 0x00, 0x0B).section(10, 0x01, 0x02, 0x00, 0x0B));
    // passive and declarative segments need no table
    assertValid(new ModuleBytes().section(1, TYPES).section(3, 0x01, 0x00).section(9, 0x02, 0x01, 0x00, 0x01, 0x00, 0x07, 0x70, 0x01, 0xD2, 0x00, 0x0B)
        .section(10, 0x01, 0x02, 0x00, 0x0B));
  }

  @Test
  void dataSegmentsNameAMemoryAndUseItsAddressType() {
    assertValid(new ModuleBytes().section(5, 0x01, 0x00, 0x01).section(11, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x00));
    assertInvalid("unknown memory 0", new ModuleBytes().section(11, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x00));
    assertInvalid("unknown memory 1", new ModuleBytes().section(5, 0x01, 0x00, 0x01).section(11, 0x01, 0x02, 0x01, 0x41, 0x00, 0x0B, 0x00));
    assertInvalid("type mismatch", new ModuleBytes().section(5, 0x01, 0x00, 0x01).section(11, 0x01, 0x00, 0x42, 0x00, 0x0B, 0x00));
    // a 64-bit memory takes i64 offsets
    assertValid(new ModuleBytes().section(5, 0x01, 0x04, 0x01).section(11, 0x01, 0x00, 0x42, 0x00, 0x0B, 0x00));
    assertInvalid("type mismatch", new ModuleBytes().section(5, 0x01, 0x04, 0x01).section(11, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x00));
    // passive segments need no memory
    assertValid(new ModuleBytes().section(11, 0x01, 0x01, 0x01, 0x2A));
  }

  @Test
  void dataIndicesWithoutDataSegmentsAreInvalidNotMalformed() {
    // data.drop 0 with neither a data count nor a data section: the index names no segment
    Module m = Decoder.decode(new ModuleBytes().section(1, TYPES).section(3, 0x01, 0x00)
        .section(10, 0x01, 0x05, 0x00, 0xFC, 0x09, 0x00, 0x0B).bytes());
    InvalidException e = assertThrows(InvalidException.class, () -> Validator.validate(m));
    assertEquals("unknown data segment 0", e.reason());
    assertEquals(0, e.functionIndex());
  }

  private static ModuleBytes copy(ModuleBytes bytes) {
    return new ModuleBytes().raw(tail(bytes.bytes()));
  }

  private static int[] tail(byte[] bytes) {
    int[] result = new int[bytes.length - 8];
    for (int i = 8; i < bytes.length; i++) {
      result[i - 8] = bytes[i] & 0xFF;
    }
    return result;
  }
}
