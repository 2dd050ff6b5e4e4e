package dev.kiln.loader.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * What the loader's sweeps of an operation over the end of a thread's stack share: a child JVM that
 * only interprets (-Xint), where every call the operation makes is a frame an overflow can land in
 * (compiled, they are inlined into few frames whose entries are the only places it can); a thread
 * with a small stack there; and a call made under a given number of frames.
 */
public final class StackEndSweeps {
  private StackEndSweeps() {}

  /** What the child runs on its small stack. */
  public interface Sweep {
    void run() throws Exception;
  }

  /**
   * Runs {@code main}'s {@code main} in a child JVM and fails unless it exits 0 within 4 minutes
   * (a close that spins shows as that limit); returns its output.
   */
  public static String inAChildJvm(Class<?> main) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path log = Files.createTempFile("stack-end-sweep", ".log");
    try {
      Process child = new ProcessBuilder(java.toString(), "-Xint", "--enable-native-access=ALL-UNNAMED", "-cp",
          System.getProperty("java.class.path"), main.getName())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      boolean finished = child.waitFor(4, TimeUnit.MINUTES);
      if (!finished) {
        child.destroyForcibly().waitFor();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertTrue(finished, "the child JVM did not finish\n" + output);
      assertEquals(0, child.exitValue(), output);
      return output;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** The child's main: {@code sweep} on a thread with a 256 KiB stack; exits 1 with what it threw. */
  public static void onASmallStack(Sweep sweep) throws InterruptedException {
    Throwable[] failure = new Throwable[1];
    Thread sweeper = new Thread(null, () -> {
      try {
        sweep.run();
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

  /** The depth, to 64 levels, at which an empty call under that many frames overflows. */
  public static int stackEnd() {
    int end = 0;
    while (callAtDepth(end, () -> { })) {
      end += 64;
    }
    return end;
  }

  /**
   * Runs {@code action} under {@code depth} frames; whether it completed (false: the stack overflowed
   * on the way down or inside it).
   */
  public static boolean callAtDepth(int depth, Runnable action) {
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

  /** Whether {@code address} lies in a mapping of this process. */
  public static boolean mapped(long address) throws IOException {
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
}
