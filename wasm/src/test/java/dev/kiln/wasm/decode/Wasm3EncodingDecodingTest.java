package dev.kiln.wasm.decode;

import static dev.kiln.wasm.decode.DecoderTest.assertMalformed;
import static dev.kiln.wasm.decode.ModuleBytes.b;
import static dev.kiln.wasm.decode.ModuleBytes.cat;
import static dev.kiln.wasm.decode.ModuleBytes.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wasm.Features;
import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.types.FuncType;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.ValType;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * WebAssembly 3.0's encodings decode under its rules and are malformed under WebAssembly 2.0's, and
 * the bytes around them (a malformed heap type, a malformed table prefix, an opcode no proposal of
 * 3.0 uses) stay malformed in both.
 */
class Wasm3EncodingDecodingTest {
  /** Type section with one function type {@code [] -> []}, and one function of it. */
  private static ModuleBytes oneFunction() {
    return new ModuleBytes().section(1, 0x01, 0x60, 0x00, 0x00).section(3, 0x01, 0x00);
  }

  private static byte[] withBody(int... code) {
    int[] body = cat(b(0x00), code, b(0x0B));
    return oneFunction().section(10, cat(b(0x01, body.length), body)).bytes();
  }

  /** One function with one local of {@code valueType}. */
  private static byte[] withLocal(int... valueType) {
    int[] body = cat(b(0x01, 0x01), valueType, b(0x0B));
    return oneFunction().section(10, cat(b(0x01, body.length), body)).bytes();
  }

  private static byte[] withResult(int... valueType) {
    return new ModuleBytes().section(1, cat(b(0x01, 0x60, 0x00, 0x01), valueType)).bytes();
  }

  /** Type 0 {@code [] -> []}, type 1 {@code (struct)}, and one function of type 0 with {@code code}. */
  private static byte[] withStructAndBody(int... code) {
    int[] body = cat(b(0x00), code, b(0x0B));
    return new ModuleBytes().section(1, 0x02, 0x60, 0x00, 0x00, 0x5F, 0x00).section(3, 0x01, 0x00)
        .section(10, cat(b(0x01, body.length), body)).bytes();
  }

  /** WebAssembly 3.0's GC encodings that Kiln decodes and validates. */
  static Stream<Arguments> gcDecoded() {
    return Stream.of(
        Arguments.of("struct.new_default", withStructAndBody(0xFB, 0x01, 0x01, 0x1A)),
        Arguments.of("array.len", withStructAndBody(0xD0, 0x6A, 0xFB, 0x0F, 0x1A)),
        Arguments.of("anyref", withResult(0x6E)),
        Arguments.of("(ref null i31)", withResult(0x63, 0x6C)),
        Arguments.of("struct", new ModuleBytes().section(1, 0x01, 0x5F, 0x00).bytes()),
        Arguments.of("array", new ModuleBytes().section(1, 0x01, 0x5E, 0x7F, 0x00).bytes()),
        Arguments.of("ref.eq", withBody(0xD0, 0x6D, 0xD0, 0x71, 0xD3, 0x1A)),
        Arguments.of("ref.i31 and i31.get_s", withBody(0x41, 0x07, 0xFB, 0x1C, 0xFB, 0x1D, 0x1A)),
        Arguments.of("select of anyref", withBody(0xD0, 0x6E, 0xD0, 0x6E, 0x41, 0x00, 0x1C, 0x01, 0x6E, 0x1A)),
        Arguments.of("ref.null any", withBody(0xD0, 0x6E, 0x1A)));
  }

  /**
   * An import of a GC reference type is accepted (the store checks every value of it), and so are
   * imports of a global, a function and a tag of exception reference types (the store checks every
   * write, argument and host result).
   */
  @Test
  void gcAndExnImportsLoad() {
    byte[] anyref = new ModuleBytes().section(2, 0x01, 0x01, 'm', 0x01, 'g', 0x03, 0x6E, 0x00).bytes();
    assertEquals(1, Wasm.load(anyref, Features.ALL).imports().size());
    byte[] exnGlobal = new ModuleBytes().section(2, 0x01, 0x01, 'm', 0x01, 'g', 0x03, 0x69, 0x00).bytes();
    assertEquals(1, Wasm.load(exnGlobal, Features.ALL).imports().size());
    byte[] exnFunction = new ModuleBytes().section(1, 0x01, 0x60, 0x00, 0x01, 0x69)
        .section(2, 0x01, 0x01, 'm', 0x01, 'f', 0x00, 0x00).bytes();
    assertEquals(1, Wasm.load(exnFunction, Features.ALL).imports().size());
    byte[] exnTag = new ModuleBytes().section(1, 0x01, 0x60, 0x01, 0x69, 0x00)
        .section(2, 0x01, 0x01, 'm', 0x01, 't', 0x04, 0x00, 0x00).bytes();
    assertEquals(1, Wasm.load(exnTag, Features.ALL).imports().size());
  }

  /**
   * Exception handling's encodings (WebAssembly 3.0 spec 5.3.4, 5.4.1, 5.5.5, 5.5.10): decoded in
   * 3.0, malformed in 2.0.
   */
  static Stream<Arguments> exceptionEncodings() {
    byte[] tag = new ModuleBytes().section(1, 0x01, 0x60, 0x00, 0x00).section(13, 0x01, 0x00, 0x00).bytes();
    return Stream.of(
        Arguments.of("exnref", withResult(0x69)),
        Arguments.of("(ref null noexn)", withResult(0x63, 0x74)),
        Arguments.of("tag section", tag),
        Arguments.of("tag import", new ModuleBytes().section(1, 0x01, 0x60, 0x00, 0x00)
            .section(2, cat(b(0x01), name("m"), name("t"), b(0x04, 0x00, 0x00))).bytes()),
        Arguments.of("try_table", withBody(0x1F, 0x40, 0x00, 0x0B)),
        Arguments.of("legacy try", withBody(0x06, 0x40, 0x0B)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"gcDecoded", "exceptionEncodings"})
  void decodesInWebAssembly3(String what, byte[] module) {
    Wasm.load(module, Features.ALL);
  }

  /** WebAssembly 2.0 has none of these encodings: there each is malformed, as the 2022 suite expects. */
  @ParameterizedTest(name = "{0}")
  @MethodSource({"gcDecoded", "exceptionEncodings"})
  void isMalformedInWebAssembly2(String what, byte[] module) {
    assertThrows(MalformedException.class, () -> Wasm.load(module, Features.STANDARD));
    assertThrows(MalformedException.class, () -> Wasm.load(module, Features.ALL.withWasm3(false)));
  }

  /** Typed function references decode: (ref 0) as a local, non-null and concrete; nofunc spelled as nullfuncref. */
  @Test
  void typedReferenceTypesDecode() {
    var m = Decoder.decode(withLocal(0x64, 0x00), Features.ALL);
    assertEquals(new RefType(false, new HeapType.Concrete(0)), m.code().getFirst().locals().getFirst().valueType());
    var r = Decoder.decode(withResult(0x73), Features.ALL);
    assertEquals(new RefType(true, HeapType.Abstract.NOFUNC), r.types().getFirst().resultTypes().getFirst());
    assertEquals(List.of(ValType.FUNCREF), r.types().getFirst().results());
  }

  @Test
  void funcrefAndExternrefSpelledOutAreTheSameTypes() {
    var m = Decoder.decode(new ModuleBytes().section(1, 0x01, 0x60, 0x01, 0x63, 0x70, 0x01, 0x63, 0x6F).bytes());
    assertEquals(new FuncType(List.of(ValType.FUNCREF), List.of(ValType.EXTERNREF)), m.types().getFirst());
  }

  @Test
  void bytesAroundTheFeaturesStayMalformed() {
    // a heap type byte no proposal defines, one-byte and multi-byte negative
    assertMalformed("malformed reference type", withResult(0x63, 0x68));
    assertMalformed("malformed reference type", withResult(0x64, 0x40));
    assertMalformed("malformed reference type", withResult(0x63, 0xFF, 0x7F));
    // 0x40 not followed by 0x00 is no table initialiser
    assertMalformed("malformed reference type", new ModuleBytes().section(4, 0x01, 0x40, 0x01, 0x70, 0x00, 0x00).bytes());
    // opcodes no proposal of WebAssembly 3.0 uses, next to those it does
    assertMalformed("illegal opcode", withBody(0x27));
    assertMalformed("illegal opcode", withBody(0xFD, 0x94, 0x02));
    assertMalformed("illegal opcode", withBody(0xD7));
  }

  @Test
  void tableLimitsAreU64InWebAssembly3AndTheRangeIsValidations() {
    // min 2^32: decodes (u64), then "table size" (spec 3.2.3)
    byte[] big = new ModuleBytes().section(4, 0x01, 0x70, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10).bytes();
    InvalidException e = assertThrows(InvalidException.class, () -> Wasm.load(big, Features.ALL));
    assertTrue(e.reason().startsWith("table size"), e.reason());
    // in WebAssembly 2.0 they are u32 and the flag byte a 1-bit integer
    assertMalformed("integer too large", big, Features.STANDARD);
    assertMalformed("integer too large", new ModuleBytes().section(4, 0x01, 0x70, 0x04, 0x00).bytes(), Features.STANDARD);
  }

  @Test
  void memopFlagsFrom128AreMalformedWithMultiMemory() {
    // i32.const 0; i32.load align flags 0x80 (then 0x100); drop
    for (int[] flags : new int[][] {{0x80, 0x01}, {0x80, 0x02}}) {
      int[] body = cat(b(0x00, 0x41, 0x00, 0x28), flags, b(0x00, 0x1A, 0x0B));
      byte[] module = oneFunction().section(5, 0x01, 0x00, 0x01).section(10, cat(b(0x01, body.length), body)).bytes();
      assertMalformed("malformed memop flags", module);
      // WebAssembly 2.0 reads the flags as the alignment, which is then too large
      InvalidException e = assertThrows(InvalidException.class, () -> Wasm.load(module, Features.STANDARD));
      assertTrue(e.reason().startsWith("alignment must not be larger than natural"), e.reason());
    }
  }
}
