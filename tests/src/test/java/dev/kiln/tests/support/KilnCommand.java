package dev.kiln.tests.support;

import dev.kiln.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One {@code kiln} command run in this JVM through the command line's entry point, as the tests of
 * commands on crafted artifacts and cross-target runs make them: its exit status and what it printed.
 */
public record KilnCommand(int exit, String out, String err) {
  /** Runs {@code kiln args...}. */
  public static KilnCommand kiln(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new KilnCommand(exit, out.toString(), err.toString());
  }
}
