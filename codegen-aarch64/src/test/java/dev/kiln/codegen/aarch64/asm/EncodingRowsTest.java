package dev.kiln.codegen.aarch64.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.CodeBuffer;
import dev.kiln.disasm.CapstoneDisassembler;
import dev.kiln.disasm.DisassembledInstruction;
import dev.kiln.disasm.Disassembler;
import dev.kiln.disasm.Isa;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every golden row three ways: our encoder gives LLVM's bytes, our printer gives the row's text,
 * and Capstone decodes the bytes to that text. And every form of the table has a row: the backend
 * can only emit {@link Form}s, so a form without a row fails here.
 */
class EncodingRowsTest {
  @Test
  void encoderMatchesTheAssemblersBytes() {
    List<String> failures = new ArrayList<>();
    for (EncodingRow r : A64Rows.ALL) {
      CodeBuffer buf = new CodeBuffer();
      A64Encoder.encode(r.inst(), buf);
      String hex = HexFormat.of().formatHex(buf.finish().code());
      if (!hex.equals(r.hex())) {
        failures.add(r + ": encoded " + hex + ", expected " + r.hex());
      }
    }
    assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
  }

  @Test
  void printerMatchesTheRowText() {
    List<String> failures = new ArrayList<>();
    for (EncodingRow r : A64Rows.ALL) {
      String printed = A64Printer.print(r.inst(), 0);
      if (!printed.equals(r.text())) {
        failures.add(r + ": printed '" + printed + "'");
      }
    }
    assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
  }

  @Test
  void capstoneDecodesTheRowBytesToTheRowText() {
    List<String> failures = new ArrayList<>();
    try (Disassembler capstone = CapstoneDisassembler.open(Isa.AARCH64)) {
      for (EncodingRow r : A64Rows.ALL) {
        List<DisassembledInstruction> d = capstone.disassemble(HexFormat.of().parseHex(r.hex()), 0);
        String text = d.size() == 1 ? d.get(0).text() : "<" + d.size() + " instructions>";
        if (!text.equals(r.text())) {
          failures.add(r + ": Capstone says '" + text + "'");
        }
      }
    }
    assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
  }

  @Test
  void everyFormHasARow() {
    Set<Form> missing = EnumSet.allOf(Form.class);
    for (EncodingRow r : A64Rows.ALL) {
      missing.remove(r.inst().form());
    }
    assertEquals(Set.of(), missing, "forms the backend can emit without a golden row");
  }
}
