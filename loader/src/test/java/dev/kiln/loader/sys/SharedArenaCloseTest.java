package dev.kiln.loader.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 35: a shared arena's close that a {@code StackOverflowError} interrupts half way cannot be
 * finished (JDK 25's {@code SharedSession.justClose}: an overflow after its count swap and before
 * its state write makes every later close spin for ever; one after the state write leaves the
 * cleanups, here the {@code munmap}, never run), so it must not start without room to finish
 * ({@link SharedArenaClose}). A reservation with an arena of its own ({@link
 * VirtualMemory#reserve(long)}) is closed at every depth of a window at the end of a thread's stack,
 * then closed again at the top: that close must return (a hang is the child JVM's time limit
 * running out) and the pages must be gone from {@code /proc/self/maps}.
 */
class SharedArenaCloseTest {
  /** Reservations closed per depth; the window's depths times this is all the child does. */
  private static final int WINDOW = 3_000;

  /**
   * In a child JVM that only interprets (-Xint), where every call the JDK's close makes is a frame
   * the overflow can land in, on a thread with a small stack.
   */
  @Test
  void aReservationsCloseInterruptedAnywhereIsFinishedByTheNext() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path log = Files.createTempFile("shared-arena-close", ".log");
    try {
      Process child = new ProcessBuilder(java.toString(), "-Xint", "--enable-native-access=ALL-UNNAMED", "-cp",
          System.getProperty("java.class.path"), SharedArenaCloseTest.class.getName())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      boolean finished = child.waitFor(4, TimeUnit.MINUTES);
      if (!finished) {
        child.destroyForcibly().waitFor();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertTrue(finished, "the child JVM did not finish: a close spins on a half-closed arena\n" + output);
      assertEquals(0, child.exitValue(), output);
      assertTrue(output.contains("interrupted "), output);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** The child JVM's sweep; exits 1 with the first broken invariant. */
  public static void main(String[] args) throws InterruptedException {
    Throwable[] failure = new Throwable[1];
    Thread sweeper = new Thread(null, () -> {
      try {
        sweep();
      } catch (Throwable t) {
        failure[0] = t;
      }
    }, "sweeper", 256 * 1024);
    sweeper.start();
    sweeper.join();
    if (failure[0] != null) {
      failure[0].printStackTrace();
      System.exit(1);
    }
  }

  private static void sweep() throws IOException {
    // Linked and loaded at the top: the sweep is about the close, not about first uses.
    VirtualMemory.reserve(VirtualMemory.pageSize()).close();
    int end = 0;
    while (callAtDepth(end, () -> { })) {
      end += 64;
    }
    int interrupted = 0;
    int completed = 0;
    for (int depth = Math.max(0, end - WINDOW); depth <= end; depth++) {
      VirtualMemory pages = VirtualMemory.reserve(VirtualMemory.pageSize());
      long address = pages.address();
      boolean closed = callAtDepth(depth, pages::close);
      if (closed) {
        completed++;
        continue;
      }
      interrupted++;
      pages.close(); // must finish, not spin: the child's time limit is the test's
      // Checked right after the close that unmapped it, before anything else can map the range.
      if (mapped(address)) {
        throw new AssertionError("depth " + depth + ": the reservation is still mapped after a second close");
      }
    }
    if (interrupted == 0 || completed == 0) {
      throw new AssertionError("the window missed the stack's end: " + interrupted + " interrupted, "
          + completed + " completed");
    }
    System.out.println("interrupted " + interrupted + ", completed " + completed);
  }

  /** Whether {@code address} lies in a mapping of this process. */
  private static boolean mapped(long address) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
      String[] range = line.substring(0, line.indexOf(' ')).split("-");
      long start = HexFormat.fromHexDigitsToLong(range[0]);
      long end = HexFormat.fromHexDigitsToLong(range[1]);
      if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs {@code action} under {@code depth} frames; whether it completed (false: the stack overflowed
   * on the way down or inside it).
   */
  private static boolean callAtDepth(int depth, Runnable action) {
    try {
      return descend(depth, action);
    } catch (StackOverflowError e) {
      return false;
    }
  }

  private static boolean descend(int depth, Runnable action) {
    if (depth == 0) {
      action.run();
      return true;
    }
    return descend(depth - 1, action);
  }
}
