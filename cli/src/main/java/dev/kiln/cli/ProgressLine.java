package dev.kiln.cli;

import dev.kiln.runtime.tools.ProgressListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The one-line compile progress display of {@code kiln compile} on a terminal's stderr:
 * {@code "kiln: compiling IN.wasm: 612/1217 functions (50%)"}, redrawn in place with a carriage
 * return at most every {@link #REDRAW_NANOS}, first drawn only once the compile has run for
 * {@link #DELAY_NANOS} (so small modules, which finish sooner, print nothing), and erased by
 * {@link #close()}. When stderr is not a terminal (a pipe, a file, a test), nothing is ever drawn:
 * a log must not fill with carriage returns.
 */
final class ProgressLine implements ProgressListener, AutoCloseable {
  static final long DELAY_NANOS = 500_000_000L;
  static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream err;
  private final String what;
  private final LongSupplier clock;
  private final long started;
  private long lastDrawn;
  private int drawnWidth;

  /**
   * A live line on {@code err} for a compile that begins now by {@code clock} (nanoseconds;
   * {@link System#nanoTime} but in tests, which step it themselves).
   */
  ProgressLine(PrintStream err, String what, LongSupplier clock) {
    this.err = err;
    // Drawn straight to the terminal (its carriage returns are the point), so the file's name is
    // escaped here as TerminalSafeWriter escapes every other line: names come from archives too
    // (red team 40 F2: an OSC title sequence in a file name).
    this.what = TerminalSafeWriter.escape(what);
    this.clock = clock;
    this.started = clock.getAsLong();
  }

  /** A progress line for compiling {@code what}: live when stderr is a terminal, else silent. */
  static ProgressListener forStderr(String what) {
    return stderrIsTerminal() ? new ProgressLine(System.err, what, System::nanoTime) : ProgressListener.NONE;
  }

  /** Erases the line of a live {@code progress}; nothing for any other. */
  static void finish(ProgressListener progress) {
    if (progress instanceof ProgressLine line) {
      line.close();
    }
  }

  @Override
  public synchronized void finished(int done, int total) {
    long now = clock.getAsLong();
    if (now - started < DELAY_NANOS || (lastDrawn != 0 && now - lastDrawn < REDRAW_NANOS && done < total)) {
      return;
    }
    lastDrawn = now;
    String line = String.format(Locale.ROOT, "kiln: compiling %s: %d/%d functions (%d%%)", what, done, total,
        100L * done / total);
    drawnWidth = Math.max(drawnWidth, line.length());
    err.print("\r" + line);
    err.flush();
  }

  @Override
  public synchronized void close() {
    if (drawnWidth > 0) {
      err.print("\r" + " ".repeat(drawnWidth) + "\r");
      err.flush();
      drawnWidth = 0;
    }
  }

  /**
   * Whether descriptor 2 is a terminal, as isatty(2) answers, read from what Linux's {@code
   * /proc/self/fd/2} links to: a terminal device ({@code /dev/pts/N}, {@code /dev/ttyX}, {@code
   * /dev/console}), or a pipe, socket or file (proc(5)). The JDK's {@code System.console()} looks at
   * stdin and stdout, not at stderr, which is where progress goes and which is often a terminal while
   * stdout is piped. isatty itself through the FFM API was the one downcall of a {@code kiln
   * compile}, whose first binding costs a cold JVM some 10-15 ms before the compile starts
   * (docs/history/performance-journal.md, "No downcall in kiln compile"). False when the link
   * cannot be read.
   */
  static boolean stderrIsTerminal() {
    try {
      return isTerminalDevice(Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString());
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  /** Whether {@code target}, what a descriptor's /proc link names, is a terminal device. */
  static boolean isTerminalDevice(String target) {
    return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
  }
}
