package dev.kiln.cli.disasm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.disasm.DisassembledInstruction;
import dev.kiln.disasm.Isa;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Capstone 5.0 as WebAssembly, run on Kiln: the texts and addresses it gives for known encodings of
 * both ISAs, where it stops on bytes that are no instruction, and that a function longer than one
 * cs_disasm call's bound comes back whole.
 */
class WasmCapstoneDisassemblerTest {
  private static List<String> texts(List<DisassembledInstruction> insns) {
    return insns.stream().map(i -> String.format("%x %s", i.address(), i.text())).toList();
  }

  @Test
  void decodesX86InAttSyntaxAtTheGivenAddress() {
    try (WasmCapstoneDisassembler capstone = WasmCapstoneDisassembler.open(Isa.X86_64)) {
      byte[] code = HexFormat.of().parseHex("4801c8" + "c3" + "e800000000" + "4883ec08" + "c5f9efc0");
      List<DisassembledInstruction> insns = capstone.disassemble(code, 0x1000);
      assertEquals(List.of("1000 addq %rcx, %rax", "1003 retq", "1004 callq 0x1009", "1009 subq $8, %rsp",
          "100d vpxor %xmm0, %xmm0, %xmm0"), texts(insns));
      assertEquals("e800000000", HexFormat.of().formatHex(insns.get(2).bytes()));
    }
  }

  @Test
  void decodesAArch64() {
    try (WasmCapstoneDisassembler capstone = WasmCapstoneDisassembler.open(Isa.AARCH64)) {
      // stp x29, x30, [sp, #-16]!; add w0, w2, w3; ret (little-endian words)
      byte[] code = HexFormat.of().parseHex("fd7bbfa9" + "4000030b" + "c0035fd6");
      assertEquals(List.of("0 stp x29, x30, [sp, #-0x10]!", "4 add w0, w2, w3", "8 ret"),
          texts(capstone.disassemble(code, 0)));
    }
  }

  @Test
  void stopsAtTheFirstByteThatIsNoInstruction() {
    try (WasmCapstoneDisassembler capstone = WasmCapstoneDisassembler.open(Isa.X86_64)) {
      // 0x06 (push %es) does not exist in 64-bit mode (SDM Vol. 2B, PUSH: "Invalid" for 64-bit mode).
      byte[] code = HexFormat.of().parseHex("90" + "06" + "90");
      assertEquals(List.of("0 nop"), texts(capstone.disassemble(code, 0)));
      assertEquals(List.of(), capstone.disassemble(new byte[0], 0));
    }
  }

  @Test
  void aFunctionLongerThanOneCallsBoundComesBackWhole() {
    try (WasmCapstoneDisassembler capstone = WasmCapstoneDisassembler.open(Isa.X86_64)) {
      byte[] code = new byte[10_001];
      Arrays.fill(code, (byte) 0x90);
      code[10_000] = (byte) 0xC3;
      List<DisassembledInstruction> insns = capstone.disassemble(code, 0x40);
      assertEquals(10_001, insns.size());
      assertEquals(0x40 + 9_999, insns.get(9_999).address());
      assertEquals("retq", insns.getLast().text());
    }
  }

  @Test
  void aClosedDisassemblerRefusesWork() {
    WasmCapstoneDisassembler capstone = WasmCapstoneDisassembler.open(Isa.X86_64);
    capstone.close();
    capstone.close();
    assertThrows(IllegalStateException.class, () -> capstone.disassemble(new byte[] {(byte) 0x90}, 0));
  }
}
