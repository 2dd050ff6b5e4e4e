package dev.kiln.wast;

/** What running one command gave. */
public sealed interface Outcome {
  /**
   * The command did what the script asserts.
   *
   * @param note something worth a look that does not fail the case (shown with {@code -v}): today,
   *     Kiln's reason worded differently from the script's expected text; empty when none
   */
  record Passed(String note) implements Outcome {
    public static final Passed CLEAN = new Passed("");
  }

  /**
   * The command did not do what the script asserts.
   *
   * @param expected what the script asserts, in words
   * @param got what Kiln did instead
   */
  record Failed(String expected, String got) implements Outcome {}

  /**
   * The command was not checked (or only partly: see the reason).
   *
   * @param reason why: a should-fail case that failed as listed, a module Kiln did not run, a
   *     command this runner does not carry out
   */
  record Skipped(String reason) implements Outcome {}
}
