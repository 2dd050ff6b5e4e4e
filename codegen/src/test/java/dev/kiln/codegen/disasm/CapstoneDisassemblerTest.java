package dev.kiln.codegen.disasm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CapstoneDisassemblerTest {

  @BeforeAll
  static void needsCapstone() {
    assumeTrue(CapstoneDisassembler.isAvailable(), () -> "Capstone not loadable: "
        + CapstoneDisassembler.unavailableReason());
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  @Test
  void disassemblesX86InAttSyntax() {
    try (Disassembler d = CapstoneDisassembler.open(Isa.X86_64)) {
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
    try (Disassembler d = CapstoneDisassembler.open(Isa.X86_64)) {
      // nop, then 0x06 (push %es) is invalid in 64-bit mode.
      List<DisassembledInstruction> insns = d.disassemble(hex("9006"), 0);
      assertEquals(1, insns.size());
      assertEquals("nop", insns.get(0).text());
      assertEquals(List.of(), d.disassemble(new byte[0], 0));
    }
  }

  @Test
  void closedDisassemblerRejectsUse() {
    Disassembler d = CapstoneDisassembler.open(Isa.X86_64);
    d.close();
    d.close();
    assertThrows(IllegalStateException.class, () -> d.disassemble(hex("90"), 0));
  }
}
