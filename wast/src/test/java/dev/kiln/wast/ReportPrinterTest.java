package dev.kiln.wast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.wast.Outcome.Failed;
import dev.kiln.wast.Outcome.Passed;
import dev.kiln.wast.Outcome.Skipped;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportPrinterTest {
  private static final FileReport REPORT = new FileReport("core/x.wast", List.of(
      new CaseResult("core/x.wast", 1, "module", Passed.CLEAN),
      new CaseResult("core/x.wast", 2, "assert_invalid", new Passed("expected \"a\", Kiln said \"b\"")),
      new CaseResult("core/x.wast", 3, "assert_malformed",
          new Failed("malformed \"unexpected end\"", "ok (decoded and validated)")),
      new CaseResult("core/x.wast", 4, "assert_return", new Skipped("needs the loader")),
      new CaseResult("core/x.wast", 5, "assert_return", new Skipped("needs the loader"))));

  private static String print(boolean verbose) {
    StringWriter text = new StringWriter();
    ReportPrinter printer = new ReportPrinter(new PrintWriter(text), verbose);
    printer.printFile(REPORT);
    printer.printTotals(REPORT.tally());
    return text.toString();
  }

  @Test
  void listsFailuresUnderTheFileAndEndsWithTheTotals() {
    assertEquals("""
        core/x.wast: 2 passed, 1 failed, 2 skipped
          core/x.wast:3: assert_malformed: expected malformed "unexpected end"; got ok (decoded and validated)
        2 passed, 1 failed, 2 skipped
        """, print(false));
  }

  @Test
  void verboseAddsNotesAndSkipReasons() {
    assertEquals("""
        core/x.wast: 2 passed, 1 failed, 2 skipped
          core/x.wast:2: assert_invalid: note: expected "a", Kiln said "b"
          core/x.wast:3: assert_malformed: expected malformed "unexpected end"; got ok (decoded and validated)
          skipped 2 x assert_return: needs the loader
        2 passed, 1 failed, 2 skipped
        """, print(true));
  }
}
