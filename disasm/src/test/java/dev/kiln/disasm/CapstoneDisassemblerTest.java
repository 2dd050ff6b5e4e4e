package dev.kiln.disasm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JNA binding of Capstone 4. Its x86-64 tests need Debian's {@code libcapstone4} (the bundled
 * library has no x86) and are skipped without it, as on CI: x86-64 decoding there is Capstone 5.0 as
 * WebAssembly (CapstoneOracle for the tests, cli.disasm for {@code kiln objdump}).
 */
class CapstoneDisassemblerTest {

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  private static Disassembler openX86() {
    assumeTrue(CapstoneDisassembler.isAvailable(Isa.X86_64),
        () -> "no system Capstone 4: " + CapstoneDisassembler.unavailableReason(Isa.X86_64));
    return CapstoneDisassembler.open(Isa.X86_64);
  }

  @Test
  void disassemblesX86InAttSyntax() {
    try (Disassembler d = openX86()) {
      // push %rbp; mov %rsp,%rbp; add $1,%eax; lea 8(%rax,%rcx,4),%rdx; call rel32 0; ret
      List<DisassembledInstruction> insns =
          d.disassemble(hex("554889e583c001488d548808e800000000c3"), 0x1000);
      assertEquals(List.of("pushq %rbp", "movq %rsp, %rbp", "addl $1, %eax",
              "leaq 8(%rax, %rcx, 4), %rdx", "callq 0x1011", "retq"),
          insns.stream().map(DisassembledInstruction::text).toList());
      assertEquals(0x1000, insns.get(0).address());
      assertEquals(0x1001, insns.get(1).address());
      assertEquals("488d548808", HexFormat.of().formatHex(insns.get(3).bytes()));
      assertEquals(Isa.X86_64, d.isa());
    }
  }

  @Test
  void disassemblesAarch64() {
    try (Disassembler d = CapstoneDisassembler.open(Isa.AARCH64)) {
      // add x1, x2, x3 (8b030041); ret (d65f03c0), in memory order
      List<DisassembledInstruction> insns = d.disassemble(hex("4100038bc0035fd6"), 0);
      assertEquals(List.of("add x1, x2, x3", "ret"),
          insns.stream().map(DisassembledInstruction::text).toList());
    }
  }

  @Test
  void stopsAtInvalidBytes() {
    try (Disassembler d = openX86()) {
      // nop, then 0x06 (push %es) is invalid in 64-bit mode.
      List<DisassembledInstruction> insns = d.disassemble(hex("9006"), 0);
      assertEquals(1, insns.size());
      assertEquals("nop", insns.get(0).text());
      assertEquals(List.of(), d.disassemble(new byte[0], 0));
    }
  }

  @Test
  void closedDisassemblerRejectsUse() {
    Disassembler d = openX86();
    d.close();
    d.close();
    assertThrows(IllegalStateException.class, () -> d.disassemble(hex("90"), 0));
  }

  /**
   * The library bundled in the binding's jar, as a machine without a system Capstone gets it: forced in
   * a fresh JVM (the choice is made once per process), where AArch64 decodes and x86-64 is refused in
   * one line naming what to install.
   */
  @Test
  void bundledLibraryDecodesAarch64AndNamesWhatX86Needs() throws IOException, InterruptedException {
    Process process = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-D" + CapstoneDisassembler.PROPERTY + "=bundled",
        "-cp", System.getProperty("java.class.path"), BundledProbe.class.getName())
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);
    assertEquals("""
        add x1, x2, x3
        ret
        x86-64: the Capstone in use (the copy bundled with com.github.zhkl0228:capstone) cannot \
        decode X86_64; install Capstone 4 (Debian/Ubuntu: apt-get install libcapstone4)
        """, output);
  }

  /** Runs in the forked JVM of the test above. */
  static final class BundledProbe {
    public static void main(String[] args) {
      try (Disassembler d = CapstoneDisassembler.open(Isa.AARCH64)) {
        d.disassemble(hex("4100038bc0035fd6"), 0).forEach(i -> System.out.println(i.text()));
      }
      System.out.println("x86-64: " + CapstoneDisassembler.unavailableReason(Isa.X86_64));
    }
  }
}
