package dev.kiln.wasi;

import dev.kiln.wasi.fs.WaitLimit;

/**
 * A deadline for tests that counts instead of timing: it lets {@code allowed} checks pass, then
 * says the deadline has passed ({@link #reached()}) or throws {@link Reached} ({@link #check()}).
 * Both kinds of question count as one check.
 */
final class CountingLimit implements WaitLimit {
  private final int allowed;
  int checks;

  CountingLimit(int allowed) {
    this.allowed = allowed;
  }

  @Override
  public boolean applies() {
    return true;
  }

  @Override
  public boolean reached() {
    return ++checks > allowed;
  }

  @Override
  public void check() {
    if (reached()) {
      throw new Reached();
    }
  }

  /** What {@link #check()} ends a call with, in place of the store's interrupt trap. */
  static final class Reached extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Reached() {
      super("deadline reached", null, false, false);
    }
  }
}
