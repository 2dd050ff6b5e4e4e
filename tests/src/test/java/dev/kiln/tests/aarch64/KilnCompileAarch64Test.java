package dev.kiln.tests.aarch64;

import static dev.kiln.tests.support.KilnCommand.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import dev.kiln.loader.exec.Executors;
import dev.kiln.tests.support.KilnCommand;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln compile --target aarch64} on the bundled example writes an ELF64 file for EM_AARCH64
 * (System V gABI: e_ident[EI_CLASS] = ELFCLASS64, e_machine = 183, what {@code readelf -h} shows),
 * {@code kiln run} runs it on this host's AArch64 executor with the right results, and {@code kiln
 * objdump} disassembles it as AArch64.
 */
class KilnCompileAarch64Test {
  private static final Path HELLO = Path.of("../examples/hello.wasm");

  @TempDir
  Path dir;


  @Test
  void compileWritesAnAarch64Elf64AndRunRunsIt() throws IOException {
    Path out = dir.resolve("hello.cwasm");
    KilnCommand compile = kiln("compile", "--target", "aarch64", HELLO.toString(), "-o", out.toString());
    assertEquals(0, compile.exit(), compile.err());
    ByteBuffer elf = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0x7F, elf.get(0));
    assertEquals('E', elf.get(1));
    assertEquals(2, elf.get(4), "ELFCLASS64");
    assertEquals(1, elf.get(5), "little-endian");
    assertEquals(183, elf.getShort(18), "EM_AARCH64");
    assumeTrue(Executors.canRun(Target.AARCH64), "no AArch64 executor on this host (libunicorn2)");
    KilnCommand fac = kiln("run", out.toString(), "--invoke", "fac", "20");
    assertEquals(0, fac.exit(), fac.err());
    assertEquals("2432902008176640000", fac.out().strip());
    KilnCommand add = kiln("run", out.toString(), "--invoke", "add", "2147483647", "1");
    assertEquals(0, add.exit(), add.err());
    assertEquals("-2147483648", add.out().strip());
    KilnCommand objdump = kiln("objdump", out.toString());
    assertEquals(0, objdump.exit(), objdump.err());
    assertTrue(objdump.out().contains("stp x29, x30, [sp, #-0x10]!"), objdump.out());
    assertTrue(objdump.out().contains("add w0, w2, w3"), objdump.out());
  }
}
