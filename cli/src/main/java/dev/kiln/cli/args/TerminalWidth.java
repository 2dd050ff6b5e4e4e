package dev.kiln.cli.args;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.OptionalInt;

/**
 * How wide help text may be on standard output: the terminal's columns when it is a terminal (the
 * {@code COLUMNS} variable if the shell exported it, else the kernel's window size), {@link
 * #DEFAULT} when it is a pipe or file, so that what tests and scripts read does not depend on the
 * window it ran in. Asked only when help is printed.
 */
public final class TerminalWidth {
  /** The width when there is no terminal to ask: the classic 80 columns. */
  public static final int DEFAULT = 80;
  /** Narrower than this, descriptions beside option names would be a word per line. */
  static final int MIN = 40;
  /** Wider lines than this are hard to follow back to their start (the typographic measure). */
  static final int MAX = 120;
  /** TIOCGWINSZ, ioctl_tty(2): the same number on Linux's x86-64 and AArch64 (asm-generic/ioctls.h). */
  private static final long TIOCGWINSZ = 0x5413;

  private TerminalWidth() {}

  /** The width for help printed on standard output. */
  public static int ofStandardOutput() {
    var console = System.console();
    if (console == null || !console.isTerminal()) {
      return DEFAULT;
    }
    String columns = System.getenv("COLUMNS");
    int width = DEFAULT;
    if (columns != null && columns.matches("\\d{1,4}")) {
      width = Integer.parseInt(columns);
    } else if (System.getProperty("os.name", "").equals("Linux")) {
      width = windowColumns().orElse(DEFAULT);
    }
    return Math.clamp(width, MIN, MAX);
  }

  /** ioctl(1, TIOCGWINSZ)'s ws_col (struct winsize: rows, columns, x and y pixels, four shorts). */
  private static OptionalInt windowColumns() {
    try (Arena arena = Arena.ofConfined()) {
      Linker linker = Linker.nativeLinker();
      MethodHandle ioctl = linker.downcallHandle(linker.defaultLookup().find("ioctl").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
          Linker.Option.firstVariadicArg(2));
      MemorySegment size = arena.allocate(8, 2);
      int status = (int) ioctl.invokeExact(1, TIOCGWINSZ, size);
      int columns = Short.toUnsignedInt(size.get(ValueLayout.JAVA_SHORT, 2));
      return status == 0 && columns > 0 ? OptionalInt.of(columns) : OptionalInt.empty();
    } catch (Throwable e) {
      // No native access or no ioctl: help is still readable at the default width.
      return OptionalInt.empty();
    }
  }
}
