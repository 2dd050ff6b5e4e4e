package dev.kiln.wast;

/**
 * The outcome of one command of one script.
 *
 * @param file the script as reported (a path with {@code /} separators)
 * @param line the command's line in the script
 * @param command the command's kind ({@code assert_invalid}, ...)
 * @param outcome passed, failed or skipped
 */
public record CaseResult(String file, int line, String command, Outcome outcome) {
  /** {@code file:line}, the name of a case in reports and in the should-fail list. */
  public String location() {
    return file + ":" + line;
  }
}
