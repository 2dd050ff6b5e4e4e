package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code kiln objdump} as a machine without Debian's {@code libcapstone4} runs it: with {@code
 * -Dkiln.capstone=wasm} both targets' artifacts go through Capstone 5.0 compiled to WebAssembly and
 * run on Kiln ({@code cli.disasm}), whatever this machine has installed.
 */
class ObjdumpWasmCapstoneTest {
  private static final String PROPERTY = "kiln.capstone";

  @TempDir Path dir;
  private String saved;

  @BeforeEach
  void selectWasmCapstone() {
    saved = System.getProperty(PROPERTY);
    System.setProperty(PROPERTY, "wasm");
  }

  @AfterEach
  void restore() {
    if (saved == null) {
      System.clearProperty(PROPERTY);
    } else {
      System.setProperty(PROPERTY, saved);
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "x86_64  | <fac>: wasm[0]::function[1] | leal (%rdx, %rcx), %eax\t# wasm 0x33",
      "aarch64 | <fac>: wasm[0]::function[1] | add w0, w2, w3\t# wasm 0x33"})
  void disassemblesHelloOfEitherTarget(String target, String fac, String add) {
    Path cwasm = dir.resolve(target + ".cwasm");
    ArtifactCommandsTest.Run compile = ArtifactCommandsTest.kiln("compile", "--target", target,
        ArtifactCommandsTest.HELLO.toString(), "-o", cwasm.toString());
    assertEquals(0, compile.exit(), compile.err());
    ArtifactCommandsTest.Run objdump = ArtifactCommandsTest.kiln("objdump", cwasm.toString());
    assertEquals(0, objdump.exit(), objdump.err());
    assertTrue(objdump.out().contains(fac), objdump.out());
    assertTrue(objdump.out().contains(add), objdump.out());
    assertTrue(!objdump.out().contains("(bad)"), objdump.out());
  }
}
