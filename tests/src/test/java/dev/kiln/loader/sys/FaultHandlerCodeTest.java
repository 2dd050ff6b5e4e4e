package dev.kiln.loader.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.codegen.disasm.CapstoneDisassembler;
import dev.kiln.codegen.disasm.DisassembledInstruction;
import dev.kiln.codegen.disasm.Isa;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fault handler's rows say what they are: Capstone reads each row's bytes, at the row's offset,
 * as exactly one instruction with the row's text (branch targets included), and the literal the
 * first row loads is where {@link FaultHandlerCode#assemble} puts the registry address.
 */
class FaultHandlerCodeTest {
  @Test
  void everyRowIsTheInstructionItsTextNames() {
    assumeTrue(CapstoneDisassembler.isAvailable(Isa.X86_64), CapstoneDisassembler.unavailableReason(Isa.X86_64));
    try (CapstoneDisassembler capstone = CapstoneDisassembler.open(Isa.X86_64)) {
      int offset = 0;
      for (FaultHandlerCode.Row row : FaultHandlerCode.X86_64) {
        List<DisassembledInstruction> read = capstone.disassemble(row.bytes(), offset);
        assertEquals(1, read.size(), row.text());
        assertEquals(row.text(), read.getFirst().text(), "at offset 0x" + Integer.toHexString(offset));
        assertEquals(row.bytes().length, read.getFirst().size(), row.text());
        offset += row.bytes().length;
      }
    }
  }

  @Test
  void theFirstRowLoadsTheLiteralAssembleAppends() {
    byte[] code = FaultHandlerCode.assemble(FaultHandlerCode.X86_64, 0x1122334455667788L);
    int literal = code.length - 8;
    assertArrayEquals(new byte[] {(byte) 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11},
        Arrays.copyOfRange(code, literal, code.length));
    // movq disp32(%rip), %r8: 7 bytes, the displacement counted from the next instruction.
    byte[] first = FaultHandlerCode.X86_64.getFirst().bytes();
    int displacement = (first[3] & 0xFF) | (first[4] & 0xFF) << 8 | (first[5] & 0xFF) << 16 | first[6] << 24;
    assertEquals(literal, first.length + displacement);
  }
}
