package dev.kiln.loader.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.codegen.x64.abi.ArrayToWasmTrampoline;
import dev.kiln.disasm.DisassembledInstruction;
import dev.kiln.disasm.Disassembler;
import dev.kiln.disasm.Isa;
import dev.kiln.codegen.testsupport.CapstoneOracle;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The machine code the loader writes out itself says what it is: Capstone (the tests' oracle,
 * {@link CapstoneOracle}) reads each row's bytes, at the row's offset, as exactly one instruction
 * with the row's text (branch targets included), and the literal the code reads is where {@link
 * CodeRow#assemble} puts it: the fault handler's registry address ({@link FaultHandlerCode}), the
 * variadic function's address ({@link VariadicEntry}).
 */
class CodeRowsTest {
  private static final long LITERAL = 0x1122334455667788L;

  private static void assertEveryRowIsTheInstructionItsTextNames(List<CodeRow> rows) {
    Disassembler capstone = CapstoneOracle.disassembler(Isa.X86_64);
    int offset = 0;
    for (CodeRow row : rows) {
      List<DisassembledInstruction> read = capstone.disassemble(row.bytes(), offset);
      assertEquals(1, read.size(), row.text());
      assertEquals(row.text(), read.getFirst().text(), "at offset 0x" + Integer.toHexString(offset));
      assertEquals(row.bytes().length, read.getFirst().size(), row.text());
      offset += row.bytes().length;
    }
  }

  /** The 8 bytes after the rows are the literal, little-endian, and the row at {@code rowIndex} reads it. */
  private static void assertRowReadsTheLiteral(List<CodeRow> rows, int rowIndex) {
    byte[] code = CodeRow.assemble(rows, LITERAL);
    int literal = code.length - 8;
    assertArrayEquals(new byte[] {(byte) 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11},
        Arrays.copyOfRange(code, literal, code.length));
    int end = rows.subList(0, rowIndex + 1).stream().mapToInt(r -> r.bytes().length).sum();
    // A RIP-relative operand's disp32 is the row's last four bytes, counted from the next instruction.
    byte[] row = rows.get(rowIndex).bytes();
    int n = row.length;
    int displacement = (row[n - 4] & 0xFF) | (row[n - 3] & 0xFF) << 8 | (row[n - 2] & 0xFF) << 16 | row[n - 1] << 24;
    assertEquals(literal, end + displacement);
  }

  @Test
  void theFaultHandlersRowsAreTheInstructionsTheirTextNames() {
    assertEveryRowIsTheInstructionItsTextNames(FaultHandlerCode.X86_64);
  }

  @Test
  void theFaultHandlersFirstRowLoadsItsRegistry() {
    assertRowReadsTheLiteral(FaultHandlerCode.X86_64, 0);
  }

  /**
   * The handler's null path reads the entry's store context where the x86-64 array-to-wasm entry
   * keeps it, compares that store's {@code entry_fp}, and bounds the null pages where its constant
   * says: the rows name each number that lives in another module.
   */
  @Test
  void theFaultHandlersNullPathReadsTheEntryFrameWhereTheEntryWritesIt() {
    assertEquals(ArrayToWasmTrampoline.STORE_CONTEXT_FROM_FP, FaultHandlerCode.ENTRY_STORE_CONTEXT_FROM_FP);
    List<String> texts = FaultHandlerCode.X86_64.stream().map(CodeRow::text).toList();
    assertTrue(texts.contains("leaq -0x" + Integer.toHexString(-FaultHandlerCode.ENTRY_STORE_CONTEXT_FROM_FP)
        + "(%r9), %rdi"), texts.toString());
    assertTrue(texts.contains("cmpq 0x" + Integer.toHexString(StoreLayout.ENTRY_FP) + "(%rsi), %r9"), texts.toString());
    assertTrue(texts.contains("cmpq $0x" + Long.toHexString(WasmFaults.NULL_PAGES_END) + ", %rcx"),
        texts.toString());
  }

  @Test
  void theVariadicEntrysRowsAreTheInstructionsTheirTextNames() {
    assertEveryRowIsTheInstructionItsTextNames(VariadicEntry.X86_64);
  }

  @Test
  void theVariadicEntryJumpsToTheFunction() {
    assertRowReadsTheLiteral(VariadicEntry.X86_64, VariadicEntry.X86_64.size() - 1);
  }
}
