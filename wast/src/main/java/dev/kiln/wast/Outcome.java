package dev.kiln.wast;

import dev.kiln.wasm.MissingFeature;
import dev.kiln.wasm.UnsupportedException;
import java.util.Optional;

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
   * @param reason why, e.g. the part of Kiln it needs that does not exist yet
   * @param feature the WebAssembly 3.0 feature Kiln lacks that the command needs, when that is
   *     why; reports count skips by it
   */
  record Skipped(String reason, Optional<MissingFeature> feature) implements Outcome {
    /** A skip for a reason other than a missing feature. */
    public Skipped(String reason) {
      this(reason, Optional.empty());
    }

    /** A skip because a module needs {@code refusal}'s feature. */
    public static Skipped of(UnsupportedException refusal) {
      return new Skipped(refusal.reason(), Optional.of(refusal.feature()));
    }
  }
}
