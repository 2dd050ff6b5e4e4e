package dev.kiln.cli.args;

/**
 * A command line that does not fit its command's table: an unknown option, a missing or malformed
 * value, a missing parameter. The message is one line naming what is wrong; callers print it and
 * exit with {@link #EXIT_STATUS}.
 */
public final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The exit status of a usage error (as picocli and BSD's sysexits EX_USAGE family use 2 for it). */
  public static final int EXIT_STATUS = 2;

  public UsageException(String message) {
    super(message, null, false, false);
  }
}
