package dev.kiln.wasm.validate;

import static dev.kiln.wasm.decode.ModuleBytes.b;
import static dev.kiln.wasm.decode.ModuleBytes.cat;
import static dev.kiln.wasm.decode.ModuleBytes.name;
import static dev.kiln.wasm.decode.ModuleBytes.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.wasm.Features;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.WasmException;
import dev.kiln.wasm.decode.Decoder;
import dev.kiln.wasm.decode.ModuleBytes;
import dev.kiln.wasm.module.Module;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every module-level error names the offset of the entry that causes it (issue 35 finding 7: an
 * unknown type index, a memory minimum too large, a duplicate export and a bad start function had
 * none). One hand-built module per kind of error; each marks the byte its error must name, counted
 * from the bytes as they are appended, never taken from the decoder under test.
 */
class ModuleErrorOffsetsTest {
  /** Type 0: [] -> []; type 1: [i32] -> []. */
  private static final int[] TYPES = b(0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7F, 0x00);
  /** A code section of one empty body. */
  private static final int[] ONE_EMPTY_BODY = b(0x01, 0x02, 0x00, 0x0B);

  /** A module being built, and the offset its error must name once {@link #mark} is called. */
  private static final class Built {
    final ModuleBytes bytes = new ModuleBytes();
    int marked = -1;

    Built section(int id, int... content) {
      bytes.section(id, content);
      return this;
    }

    /** A section whose content starts with the marked byte (at {@code delta} into the content). */
    Built markedSection(int id, int delta, int... content) {
      marked = bytes.size() + 1 + u32(content.length).length + delta;
      return section(id, content);
    }

    /**
     * A section of a vector of {@code entries}; entry {@code which} is marked, {@code delta} bytes
     * into it (0: its first byte).
     */
    Built entries(int id, int which, int delta, int[]... entries) {
      int[] content = cat(u32(entries.length), cat(entries));
      int at = bytes.size() + 1 + u32(content.length).length + u32(entries.length).length + delta;
      for (int i = 0; i < which; i++) {
        at += entries[i].length;
      }
      marked = at;
      return section(id, content);
    }
  }

  record Case(String name, String reason, Supplier<Built> module, Features features) {
    Case(String name, String reason, Supplier<Built> module) {
      this(name, reason, module, Features.ALL);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    int[] memoryInitBody = b(0x0C, 0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x08, 0x00, 0x00, 0x0B);
    return Stream.of(
        new Case("import of an unknown type", "unknown type 0",
            () -> new Built().entries(2, 0, 0, cat(name("m"), name("f"), b(0x00, 0x00)))),
        new Case("imported table limits", "size minimum must not be greater than maximum",
            () -> new Built().entries(2, 1, 0, cat(name("m"), name("g"), b(0x03, 0x7F, 0x00)),
                cat(name("m"), name("t"), b(0x01, 0x70, 0x01, 0x03, 0x02)))),
        new Case("imported memory too large", "memory size must be at most 65536 pages (4GiB)",
            () -> new Built().entries(2, 0, 0, cat(name("m"), name("mem"), b(0x02, 0x00, 0x81, 0x80, 0x04)))),
        new Case("function of an unknown type", "unknown type 5",
            () -> new Built().section(1, TYPES).entries(3, 1, 0, b(0x00), b(0x05))
                .section(10, 0x02, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x0B)),
        new Case("table minimum over maximum", "size minimum must not be greater than maximum",
            () -> new Built().entries(4, 1, 0, b(0x70, 0x00, 0x00), b(0x70, 0x01, 0x03, 0x02))),
        new Case("memory minimum too large", "memory size must be at most 65536 pages (4GiB)",
            () -> new Built().entries(5, 0, 0, b(0x00, 0x81, 0x80, 0x04))),
        new Case("memory maximum too large", "memory size must be at most 65536 pages (4GiB)",
            () -> new Built().entries(5, 0, 0, b(0x01, 0x00, 0x81, 0x80, 0x04))),
        new Case("memory64 minimum too large", "memory size must be at most 2^48 pages (256 TiB)",
            () -> new Built().entries(5, 0, 0, b(0x04, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01))),
        new Case("shared memory without maximum", "shared memory must have maximum",
            () -> new Built().entries(5, 0, 0, b(0x02, 0x01))),
        new Case("a second memory", "multiple memories",
            () -> new Built().entries(5, 1, 0, b(0x00, 0x00), b(0x00, 0x01)), Features.STANDARD),
        new Case("a memory after an imported one", "multiple memories",
            () -> new Built().section(2, cat(b(0x01), name("m"), name("mem"), b(0x02, 0x00, 0x00)))
                .entries(5, 0, 0, b(0x00, 0x00)), Features.STANDARD),
        new Case("global initialiser of another type", "type mismatch",
            () -> new Built().entries(6, 1, 4, b(0x7F, 0x00, 0x41, 0x00, 0x0B), b(0x7F, 0x00, 0x42, 0x00, 0x0B))),
        new Case("export of an unknown function", "unknown function 0",
            () -> new Built().entries(7, 0, 0, cat(name("f"), b(0x00, 0x00)))),
        new Case("export of an unknown global", "unknown global 3",
            () -> new Built().section(5, 0x01, 0x00, 0x00)
                .entries(7, 1, 0, cat(name("m"), b(0x02, 0x00)), cat(name("g"), b(0x03, 0x03)))),
        new Case("duplicate export name", "duplicate export name",
            () -> new Built().section(5, 0x01, 0x00, 0x00)
                .entries(7, 1, 0, cat(name("a"), b(0x02, 0x00)), cat(name("a"), b(0x02, 0x00)))),
        new Case("start function unknown", "unknown function 1",
            () -> new Built().section(1, TYPES).section(3, 0x01, 0x00).markedSection(8, 0, 0x01)
                .section(10, ONE_EMPTY_BODY)),
        new Case("start function with a parameter", "start function",
            () -> new Built().section(1, TYPES).section(3, 0x01, 0x01).markedSection(8, 0, 0x00)
                .section(10, ONE_EMPTY_BODY)),
        new Case("element segment into an unknown table", "unknown table 0",
            () -> new Built().entries(9, 0, 0, b(0x00, 0x41, 0x00, 0x0B, 0x00))),
        new Case("element segment of an unknown function", "unknown function 7",
            () -> new Built().section(4, 0x01, 0x70, 0x00, 0x01).entries(9, 1, 0, b(0x00, 0x41, 0x00, 0x0B, 0x00),
                b(0x00, 0x41, 0x00, 0x0B, 0x01, 0x07))),
        new Case("element segment into a table of another type", "type mismatch",
            () -> new Built().section(4, 0x01, 0x6F, 0x00, 0x01).entries(9, 0, 0, b(0x00, 0x41, 0x00, 0x0B, 0x00))),
        new Case("data segment into an unknown memory", "unknown memory 0",
            () -> new Built().entries(11, 0, 0, b(0x00, 0x41, 0x00, 0x0B, 0x00))),
        new Case("data count and data disagree", "data count and data section have inconsistent lengths",
            () -> new Built().markedSection(12, 0, 0x02).section(11, 0x01, 0x01, 0x00)),
        new Case("memory.init without a data count", "data count section required",
            () -> new Built().section(1, TYPES).section(3, 0x01, 0x00)
                // the body's size and local count, then three i32.const before memory.init
                .entries(10, 0, 2 + 6, memoryInitBody).section(11, 0x01, 0x01, 0x00)),
        new Case("functions without code", "function and code section have inconsistent lengths",
            () -> new Built().section(1, TYPES).markedSection(3, 0, 0x02, 0x00, 0x00)),
        new Case("code without functions", "function and code section have inconsistent lengths",
            () -> new Built().markedSection(10, 0, ONE_EMPTY_BODY)));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void theErrorNamesTheOffsetOfItsEntry(Case c) {
    Built built = c.module().get();
    WasmException e = assertThrows(WasmException.class, () -> {
      Module m = Decoder.decode(built.bytes.bytes(), c.features());
      Validator.validate(m, c.features());
    });
    assertEquals(c.reason(), e.reason(), e.getMessage());
    assertEquals(built.marked, e.offset(), e.getMessage());
    String at = "at 0x" + Integer.toHexString(built.marked);
    // The function-body errors' format: "at 0x2a: reason", or "at 0x2a (function 0): reason".
    assertEquals(e.functionIndex() < 0 ? at + ": " + c.reason() : at + " (function " + e.functionIndex() + "): "
        + c.reason(), e.getMessage());
  }

  /** The cases whose modules are wrong with every feature on, as {@link Wasm#load} reads them. */
  static Stream<Case> casesUnderEveryFeature() {
    return cases().filter(c -> c.features() == Features.ALL);
  }

  @ParameterizedTest
  @MethodSource("casesUnderEveryFeature")
  void wasmLoadReportsTheSameOffset(Case c) {
    Built built = c.module().get();
    WasmException e = assertThrows(WasmException.class, () -> Wasm.load(built.bytes.bytes()));
    assertEquals(built.marked, e.offset(), e.getMessage());
  }

  @Test
  void theStartFunctionErrorNamesItsSectionAndTheFunction() {
    Built built = cases().filter(c -> c.reason().equals("start function")).findFirst().orElseThrow().module().get();
    WasmException e = assertThrows(WasmException.class, () -> Wasm.load(built.bytes.bytes()));
    assertEquals("at 0x" + Integer.toHexString(built.marked) + " (function 0): start function", e.getMessage());
  }
}
