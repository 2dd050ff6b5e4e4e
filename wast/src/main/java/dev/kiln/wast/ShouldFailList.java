package dev.kiln.wast;

import dev.kiln.wast.Outcome.Failed;
import dev.kiln.wast.Outcome.Passed;
import dev.kiln.wast.Outcome.Skipped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Cases known to fail, each with a reason: one {@code file.wast:LINE  reason} per line, {@code #}
 * starts a comment. A file is named by its path's tail ({@code core/binary.wast} or {@code
 * memory64/binary.wast}), so the list works whatever folder the suite is in.
 *
 * <p>A listed case that fails counts as skipped (its reason is shown). A listed case that passes is a
 * failure, and so is an entry naming a line of a run file where no command starts: the list cannot
 * go stale (Wasmtime's {@code tests/wast.rs} treats a should-fail test that passes the same way).
 */
public final class ShouldFailList {
  /** The list the suite has when nothing is known to fail. */
  public static final ShouldFailList EMPTY = new ShouldFailList(List.of());

  /**
   * One entry.
   *
   * @param file the script's path tail, with {@code /} separators
   * @param line the command's line
   * @param reason why it fails, shown in reports
   */
  public record Entry(String file, int line, String reason) {
    boolean matches(String reportedFile) {
      String normalized = reportedFile.replace('\\', '/');
      return normalized.equals(file) || normalized.endsWith("/" + file);
    }

    @Override
    public String toString() {
      return file + ":" + line + "  " + reason;
    }
  }

  private final List<Entry> entries;

  private ShouldFailList(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  public List<Entry> entries() {
    return entries;
  }

  /** Reads a list file. */
  public static ShouldFailList read(Path file) throws IOException {
    return parse(Files.readAllLines(file), file.toString());
  }

  /**
   * Parses list lines.
   *
   * @param origin names the list in error messages
   * @throws IllegalArgumentException naming the line, for an entry without a line number or reason
   */
  public static ShouldFailList parse(List<String> lines, String origin) {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i);
      int hash = text.indexOf('#');
      String content = (hash >= 0 ? text.substring(0, hash) : text).strip();
      if (content.isEmpty()) {
        continue;
      }
      String[] parts = content.split("\\s+", 2);
      int colon = parts[0].lastIndexOf(':');
      String where = origin + ":" + (i + 1);
      if (colon <= 0 || parts.length < 2) {
        throw new IllegalArgumentException(where + ": expected 'file.wast:LINE  reason', got '" + content + "'");
      }
      int line;
      try {
        line = Integer.parseInt(parts[0].substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(where + ": '" + parts[0] + "' has no line number", e);
      }
      entries.add(new Entry(parts[0].substring(0, colon), line, parts[1].strip()));
    }
    return new ShouldFailList(entries);
  }

  /** The entries for a reported file. */
  public List<Entry> entriesFor(String reportedFile) {
    return entries.stream().filter(e -> e.matches(reportedFile)).toList();
  }

  /**
   * Applies the list to one file's results: listed failures become skips, listed passes become
   * failures, and entries that name no command of this file are added as failures.
   */
  public FileReport apply(FileReport report) {
    List<Entry> listed = entriesFor(report.file());
    if (listed.isEmpty()) {
      return report;
    }
    Set<Entry> used = new HashSet<>();
    List<CaseResult> results = new ArrayList<>(report.results().size());
    for (CaseResult r : report.results()) {
      Entry entry = listed.stream().filter(e -> e.line() == r.line()).findFirst().orElse(null);
      if (entry == null) {
        results.add(r);
        continue;
      }
      used.add(entry);
      Outcome listedOutcome = switch (r.outcome()) {
        case Failed f -> new Skipped("should-fail (" + entry.reason() + "): got " + f.got());
        case Passed _ -> new Failed("a failure (listed in should-fail: " + entry.reason() + ")",
            "passed: remove it from should-fail.txt");
        case Skipped s -> s;
      };
      results.add(new CaseResult(r.file(), r.line(), r.command(), listedOutcome));
    }
    for (Entry e : listed) {
      if (!used.contains(e)) {
        results.add(new CaseResult(report.file(), e.line(), "should-fail entry",
            new Failed("a command at this line", "none: the entry is stale, fix or remove it")));
      }
    }
    return new FileReport(report.file(), results);
  }
}
