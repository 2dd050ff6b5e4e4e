package dev.kiln.wasm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wasm.decode.Decoder;
import dev.kiln.wasm.decode.ModuleBytes;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.validate.Validator;
import dev.kiln.wat.Wat;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link Wasm#load} reads each function body's instructions once, in validation, instead of in the
 * decoder's scan and again in validation: what it gives must be what {@link Wasm#decode} then
 * {@link Wasm#validate} give, the facts the scan finds in the bodies for a module that loads, and
 * the error the spec's order gives (decoding, then validation) for one that does not.
 */
class LoadTest {
  /** Writes tables 1 (table.set), 2 (table.init's destination) and 0 (table.copy's); then a try_table. */
  private static final String FACTS = """
      (module
        (table 1 funcref) (table 1 funcref) (table 1 funcref) (table 1 funcref)
        (memory 1)
        (tag $e)
        (elem $seg func $f)
        (data $d "x")
        (func $f (table.set 1 (i32.const 0) (ref.null func)))
        (func (table.init 2 $seg (i32.const 0) (i32.const 0) (i32.const 1)))
        (func (table.copy 0 3 (i32.const 0) (i32.const 0) (i32.const 1)))
        (func (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1)))
        (func (block (try_table (catch_all 0) (throw $e))))
      )""";

  @Test
  void aModuleThatLoadsHasTheFactsTheScanFinds() {
    byte[] bytes = Wat.toBinary(FACTS, "facts.wat");
    Module scanned = Wasm.decode(bytes);
    Module loaded = Wasm.load(bytes);
    assertEquals(Set.of(0, 1, 2), scanned.tablesWrittenByCode());
    assertTrue(scanned.firstExceptionInstruction() > 0);
    assertEquals(scanned.tablesWrittenByCode(), loaded.tablesWrittenByCode());
    assertEquals(scanned.firstExceptionInstruction(), loaded.firstExceptionInstruction());
    assertEquals(scanned.code(), loaded.code());
  }

  @Test
  void bodiesReadOnSeveralThreadsGiveTheFirstOffsetsAndEveryTable() {
    // Over PARALLEL_BODY_BYTES of bodies, so two threads take runs of them: an exception handling
    // instruction in many bodies (the first one counts, whichever thread read it), and each of
    // tables 0-3 written by one body far from the others.
    StringBuilder wat = new StringBuilder("(module (tag $e) (table 4 funcref)\n");
    wat.append("  (table 1 funcref) (table 1 funcref) (table 1 funcref)\n");
    String padding = " local.get 0" + " i32.const 1000000 i32.add".repeat(110);
    for (int i = 0; i < 2000; i++) {
      wat.append("  (func (param i32) (result i32)").append(padding);
      if (i % 300 == 7) {
        wat.append(" (block (try_table (catch_all 0) (throw $e)))");
      }
      if (i % 500 == 499) {
        wat.append(" (table.set ").append(i / 500).append(" (i32.const 0) (ref.null func))");
      }
      wat.append(")\n");
    }
    byte[] bytes = Wat.toBinary(wat.append(")").toString(), "large.wat");
    Module scanned = Wasm.decode(bytes);
    assertTrue(scanned.code().stream().mapToLong(b -> b.codeEnd() - b.bodyStart()).sum()
        >= Validator.PARALLEL_BODY_BYTES);
    for (int threads : new int[] {1, 2, 3}) {
      Module loaded = Wasm.load(bytes, Features.ALL, threads);
      assertEquals(Set.of(0, 1, 2, 3), loaded.tablesWrittenByCode(), threads + " threads");
      assertEquals(scanned.firstExceptionInstruction(), loaded.firstExceptionInstruction(), threads + " threads");
    }
  }

  @Test
  void theUnscannedDecoderLeavesTheInstructionsUnread() {
    // Function 0's body is a lone 0xFF, no opcode: the scan finds it, the unscanned decode does not.
    byte[] bytes = new ModuleBytes().section(1, 0x01, 0x60, 0x00, 0x00).section(3, 0x01, 0x00)
        .section(10, 0x01, 0x03, 0x00, 0xFF, 0x0B).bytes();
    assertThrows(MalformedException.class, () -> Decoder.decode(bytes));
    Module unscanned = Decoder.decodeUnscanned(bytes, Features.ALL).withoutBodyFacts();
    assertEquals(1, unscanned.code().size());
    assertEquals(bytes.length, unscanned.code().getFirst().codeEnd());
  }

  /** Function bodies (after the count) of type [] -> []: each is its size, no locals, then code. */
  private static byte[] module(int[] code, int[]... moreSections) {
    ModuleBytes m = new ModuleBytes().section(1, 0x01, 0x60, 0x00, 0x00).section(3, 0x02, 0x00, 0x00)
        .section(5, 0x01, 0x00, 0x01).section(10, code);
    for (int[] section : moreSections) {
      m.raw(section);
    }
    return m.bytes();
  }

  /** What decoding then validating throws for {@code bytes}, and what {@link Wasm#load} throws. */
  private static void assertLoadFailsAsDecodeThenValidate(String expectedReason, byte[] bytes) {
    WasmException reference = assertThrows(WasmException.class, () -> Wasm.validate(Wasm.decode(bytes)));
    for (int threads : new int[] {1, 2}) {
      WasmException loaded = assertThrows(WasmException.class, () -> Wasm.load(bytes, Features.ALL, threads));
      assertEquals(reference.getClass(), loaded.getClass());
      assertEquals(reference.getMessage(), loaded.getMessage());
    }
    assertTrue(reference.getMessage().contains(expectedReason), reference.getMessage());
  }

  @Test
  void aMalformedBodyAfterAnInvalidOneIsTheError() {
    // Body 0 leaves an i32 on the stack (invalid); body 1 has opcode 0xFF (malformed). Validation
    // meets body 0 first; the spec decodes the whole module first.
    assertLoadFailsAsDecodeThenValidate("illegal opcode",
        module(ModuleBytes.cat(ModuleBytes.b(0x02), ModuleBytes.b(0x04, 0x00, 0x41, 0x00, 0x0B),
            ModuleBytes.b(0x03, 0x00, 0xFF, 0x0B))));
  }

  @Test
  void aMalformedBodyBeforeAMalformedSectionIsTheError() {
    // Body 1's 0xFF comes before the data section's bad memory index flag.
    assertLoadFailsAsDecodeThenValidate("illegal opcode",
        module(ModuleBytes.cat(ModuleBytes.b(0x02), ModuleBytes.b(0x02, 0x00, 0x0B),
            ModuleBytes.b(0x03, 0x00, 0xFF, 0x0B)), ModuleBytes.b(0x0B, 0x02, 0x01, 0x07)));
  }

  @Test
  void anInvalidBodyIsValidationsError() {
    assertLoadFailsAsDecodeThenValidate("type mismatch",
        module(ModuleBytes.cat(ModuleBytes.b(0x02), ModuleBytes.b(0x02, 0x00, 0x0B),
            ModuleBytes.b(0x04, 0x00, 0x41, 0x00, 0x0B))));
  }

  @Test
  void aMalformedBodyIsTheErrorWhateverTheModuleLevelRulesMeetFirst() {
    // A struct type, a tag of it (invalid: a tag's type is a function type), then a function whose
    // body is 0xFF: decoding ends at the body before validation sees the tag.
    byte[] bytes = hex("0061736d01000000 0106025f00600000 03020101 0d03010000 0a05010300ff0b");
    assertLoadFailsAsDecodeThenValidate("illegal opcode", bytes);
    // Without the body, the tag is the error (once a NullPointerException in validation).
    InvalidException e = assertThrows(InvalidException.class,
        () -> Wasm.load(hex("0061736d01000000 0103015f00 0d03010000")));
    assertTrue(e.getMessage().contains("is not a function type"), e.getMessage());
  }

  private static byte[] hex(String spaced) {
    String digits = spaced.replace(" ", "");
    byte[] out = new byte[digits.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(digits, 2 * i, 2 * i + 2, 16);
    }
    return out;
  }

  @Test
  void bytesAfterTheFinalEndAreTheScansError() {
    assertLoadFailsAsDecodeThenValidate("section size mismatch",
        module(ModuleBytes.cat(ModuleBytes.b(0x02), ModuleBytes.b(0x02, 0x00, 0x0B),
            ModuleBytes.b(0x03, 0x00, 0x0B, 0x01))));
  }

  @Test
  void codeNamingADataSegmentWithoutTheDataCountIsMalformed() {
    byte[] bytes = Wat.toBinary("""
        (module (memory 1) (data $d "x")
          (func (data.drop $d)))""", "drop.wat");
    // The text reader writes the data count section; the same module without it.
    byte[] withoutCount = withoutSection(bytes, 12);
    assertLoadFailsAsDecodeThenValidate("data count section required", withoutCount);
  }

  /** {@code bytes} without its section {@code id} (whose size is one byte of LEB128). */
  private static byte[] withoutSection(byte[] bytes, int id) {
    int at = 8;
    while (at < bytes.length) {
      int size = bytes[at + 1];
      assertTrue(size >= 0, "a one-byte section size");
      if (bytes[at] == id) {
        byte[] out = new byte[bytes.length - 2 - size];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(bytes, at + 2 + size, out, at, bytes.length - at - 2 - size);
        return out;
      }
      at += 2 + size;
    }
    throw new AssertionError("no section " + id);
  }
}
