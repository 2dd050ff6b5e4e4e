package dev.kiln.codegen.x64.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.FinishedCode;
import dev.kiln.codegen.Label;
import dev.kiln.disasm.DisassembledInstruction;
import dev.kiln.disasm.Isa;
import dev.kiln.codegen.testsupport.CapstoneOracle;
import dev.kiln.codegen.x64.asm.forms.FormTables;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven encoding test (Cranelift's cranelift/codegen/src/isa/aarch64/inst/emit_tests.rs):
 * every row's bytes must come out of the encoder and its text out of the printer, and Capstone
 * ({@link CapstoneOracle}) must decode the bytes to the same text, so a row cannot silently encode
 * something else. A form without a row fails {@link #everyFormHasARow()}.
 */
class EncodingRowsTest {
  static Stream<EncodingRow> rows() {
    return Stream.of(AluRows.ROWS, MovRows.ROWS, ShiftRows.ROWS, MulDivRows.ROWS, BitRows.ROWS,
        ControlRows.ROWS, SseRows.ROWS, VecRows.ROWS, VexRows.ROWS).flatMap(List::stream);
  }

  @ParameterizedTest
  @MethodSource("rows")
  void encodesAndPrints(EncodingRow row) {
    CodeBuffer buf = new CodeBuffer();
    Label label = buf.createLabel();
    assertEquals(EncodingRow.L, label);
    buf.bind(label);
    int length = X64Encoder.encode(row.inst(), buf);
    FinishedCode code = buf.finish();
    assertEquals(row.hex(), HexFormat.of().formatHex(code.code()), "bytes of " + row);
    assertEquals(row.hex().length() / 2, length, "reported length");
    assertEquals(row.text(), X64Printer.print(row.inst(), new PrintContext(0, length, l -> 0)), "text");
    List<DisassembledInstruction> decoded = CapstoneOracle.disassembler(Isa.X86_64).disassemble(code.code(), 0);
    assertEquals(1, decoded.size(), "Capstone decodes one instruction");
    assertEquals(row.text(), decoded.get(0).text(), "Capstone's text");
  }

  @Test
  void everyFormHasARow() {
    Set<Form> covered = new LinkedHashSet<>();
    rows().forEach(r -> covered.add(r.inst().form()));
    List<String> missing = new ArrayList<>();
    for (Form form : FormTables.all()) {
      if (!covered.contains(form)) {
        missing.add(form.getClass().getSimpleName() + "." + form.name());
      }
    }
    assertTrue(missing.isEmpty(), "forms without a golden row: " + missing);
    assertEquals(569, FormTables.all().size(), "form count changed: update this number and add rows");
  }

  @Test
  void formNamesAreUniqueAcrossFamilies() {
    Set<String> names = new LinkedHashSet<>();
    for (Form form : FormTables.all()) {
      assertTrue(names.add(form.name()), "duplicate form name " + form.name());
    }
  }
}
