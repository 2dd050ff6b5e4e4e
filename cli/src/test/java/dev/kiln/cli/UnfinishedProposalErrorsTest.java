package dev.kiln.cli;

import static dev.kiln.cli.ArtifactCommandsTest.assertOneLineError;
import static dev.kiln.cli.ArtifactCommandsTest.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.kiln.cli.ArtifactCommandsTest.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kiln implements WebAssembly 3.0 and none of the proposals past it (the suite's {@code proposals/}:
 * threads' atomics, wide arithmetic, stack switching): a module that uses one is malformed where its
 * first encoding or keyword Kiln does not know is, and {@code kiln compile} and {@code kiln run} say
 * so in one line with that location and exit 1.
 */
class UnfinishedProposalErrorsTest {
  @TempDir Path dir;

  private static final byte[] HEADER = {0, 'a', 's', 'm', 1, 0, 0, 0};

  private static byte[] module(int... sections) {
    byte[] bytes = new byte[HEADER.length + sections.length];
    System.arraycopy(HEADER, 0, bytes, 0, HEADER.length);
    for (int i = 0; i < sections.length; i++) {
      bytes[HEADER.length + i] = (byte) sections[i];
    }
    return bytes;
  }

  static Stream<Arguments> binaries() {
    return Stream.of(
        // threads: a shared memory (limits flag 0x03, which Kiln decodes), then i32.atomic.load
        // (0xFE 0x10, memarg align 2 offset 0) in a [] -> [i32] function
        Arguments.of("threads.wasm", module(1, 5, 1, 0x60, 0, 1, 0x7F, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1,
            10, 10, 1, 8, 0, 0x41, 0, 0xFE, 0x10, 2, 0, 0x0B),
            "malformed: at 0x20: illegal opcode (0xfe: an atomic operator of the threads proposal, which Kiln does not implement)"),
        // wide arithmetic: i64.add128 (0xFC 19) in an [i64 x4] -> [i64 i64] function
        Arguments.of("wide.wasm", module(1, 10, 1, 0x60, 4, 0x7E, 0x7E, 0x7E, 0x7E, 2, 0x7E, 0x7E, 3, 2, 1, 0,
            10, 14, 1, 12, 0, 0x20, 0, 0x20, 1, 0x20, 2, 0x20, 3, 0xFC, 19, 0x0B),
            "malformed: at 0x25: illegal opcode"),
        // stack switching: a continuation type (0x5D) in the type section
        Arguments.of("cont.wasm", module(1, 5, 2, 0x60, 0, 0, 0x5D, 0), "malformed: at 0xe: malformed function type"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("binaries")
  void aBinaryModuleIsMalformedAtItsFirstUnknownEncoding(String name, byte[] bytes, String reason)
      throws IOException {
    Path wasm = dir.resolve(name);
    Files.write(wasm, bytes);
    assertMalformedInOneLine(wasm, "error: " + wasm + ": " + reason);
  }

  static Stream<Arguments> texts() {
    return Stream.of(
        Arguments.of("threads.wat", "(module (memory 1 1)\n  (func (result i32) (i32.atomic.load (i32.const 0))))",
            ":2:23: expected an instruction, found 'i32.atomic.load'"),
        Arguments.of("wide.wat", "(module (func (param i64 i64 i64 i64) (result i64 i64)\n"
            + "  (i64.add128 (local.get 0) (local.get 1) (local.get 2) (local.get 3))))",
            ":2:4: expected an instruction, found 'i64.add128'"),
        Arguments.of("cont.wat", "(module (type $f (func)) (type $c (cont $f)))",
            ":1:35: expected '(func', '(struct' or '(array', found '('"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("texts")
  void aTextModuleIsMalformedAtItsFirstUnknownKeyword(String name, String text, String reason) throws IOException {
    Path wat = dir.resolve(name);
    Files.writeString(wat, text, StandardCharsets.UTF_8);
    assertMalformedInOneLine(wat, "error: " + wat + reason);
  }

  private void assertMalformedInOneLine(Path module, String line) {
    Path out = dir.resolve("out.cwasm");
    Run compile = kiln("compile", module.toString(), "-o", out.toString());
    for (Run run : new Run[] {compile, kiln("run", module.toString())}) {
      assertOneLineError(run);
      assertEquals(line, run.err().strip());
      assertFalse(Files.exists(out));
    }
  }
}
