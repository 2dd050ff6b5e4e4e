package dev.kiln.wast;

import dev.kiln.wast.Outcome.Failed;
import dev.kiln.wast.Outcome.Passed;
import dev.kiln.wast.Outcome.Skipped;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prints a run: one line of counts per file, then its failures ({@code file:line: command:
 * expected ...; got ...}); with {@code verbose}, also reason-text notes and a count of skip
 * reasons. The caller prints the totals last with {@link #printTotals}, as exactly {@code N passed,
 * N failed, N skipped}, which scripts may parse.
 */
public final class ReportPrinter {
  private final PrintWriter out;
  private final boolean verbose;

  public ReportPrinter(PrintWriter out, boolean verbose) {
    this.out = out;
    this.verbose = verbose;
  }

  public void printFile(FileReport report) {
    out.println(report.file() + ": " + report.tally());
    Map<String, Integer> skipReasons = new LinkedHashMap<>();
    for (CaseResult r : report.results()) {
      switch (r.outcome()) {
        case Failed f -> out.println("  " + describeFailure(r, f));
        case Passed p when verbose && !p.note().isEmpty() ->
            out.println("  " + r.location() + ": " + r.command() + ": note: " + p.note());
        case Passed _ -> { }
        case Skipped s -> skipReasons.merge(r.command() + ": " + s.reason(), 1, Integer::sum);
      }
    }
    if (verbose) {
      skipReasons.forEach((reason, count) -> out.println("  skipped " + count + " x " + reason));
    }
    out.flush();
  }

  /** The last line of a run. */
  public void printTotals(Tally totals) {
    out.println(totals);
    out.flush();
  }

  /** {@code core/binary.wast:12: assert_malformed: expected malformed "..."; got ok}. */
  public static String describeFailure(CaseResult r, Failed f) {
    return r.location() + ": " + r.command() + ": expected " + f.expected() + "; got " + f.got();
  }
}
