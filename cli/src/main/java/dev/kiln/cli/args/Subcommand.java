package dev.kiln.cli.args;

import java.io.PrintWriter;

/** A command of a command line made of several ({@code kiln run}, {@code kiln compile}, ...). */
public interface Subcommand {
  /** Its table of options and parameters. */
  CommandSpec spec();

  /**
   * Does the command's work with the values of its command line and returns the exit status. An
   * exception is for the caller to turn into one line (a user's mistake) or a bug report.
   */
  int run(ParsedArgs args, PrintWriter out, PrintWriter err) throws Exception;
}
