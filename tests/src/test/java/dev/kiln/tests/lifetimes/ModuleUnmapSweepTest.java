package dev.kiln.tests.lifetimes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.loader.exec.HostTarget;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.tests.support.Artifacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 35: a module's unmap that a {@code StackOverflowError} interrupts is finished by the next
 * close. It marked the module unmapped before its steps (the guard registration, the pages' shared
 * arena), so a close interrupted after the mark left the module's pages mapped for good and every
 * later close did nothing. A loaded module is closed at every depth of a window at the end of a
 * thread's stack, then closed again at the top: that close must return and the module's code must
 * be gone from {@code /proc/self/maps}.
 */
class ModuleUnmapSweepTest {
  private static final String WAT = """
      (module
        (memory 1)
        (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))
      """;

  /**
   * The artifact is compiled here; the sweep runs in a child JVM that only interprets (-Xint), where
   * every call of the close is a frame the overflow can land in, on a thread with a small stack.
   */
  @Test
  void aModuleCloseInterruptedAnywhereIsFinishedByTheNext() throws Exception {
    Path artifact = Files.createTempFile("module-unmap-sweep", ".cwasm");
    Path log = Files.createTempFile("module-unmap-sweep", ".log");
    try {
      Files.write(artifact, Artifacts.fromWat(WAT, Artifacts.backend(HostTarget.current().orElseThrow())));
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      Process child = new ProcessBuilder(java.toString(), "-Xint", "--enable-native-access=ALL-UNNAMED", "-cp",
          System.getProperty("java.class.path"), ModuleUnmapSweepTest.class.getName(), artifact.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      boolean finished = child.waitFor(4, TimeUnit.MINUTES);
      if (!finished) {
        child.destroyForcibly().waitFor();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertTrue(finished, "the child JVM did not finish: a close does not return\n" + output);
      assertEquals(0, child.exitValue(), output);
      assertTrue(output.contains("interrupted "), output);
    } finally {
      Files.deleteIfExists(artifact);
      Files.deleteIfExists(log);
    }
  }

  /** The child JVM's sweep over the artifact at {@code args[0]}; exits 1 with the first broken invariant. */
  public static void main(String[] args) throws Exception {
    byte[] bytes = Files.readAllBytes(Path.of(args[0]));
    Throwable[] failure = new Throwable[1];
    Thread sweeper = new Thread(null, () -> {
      try {
        sweep(bytes);
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

  private static void sweep(byte[] bytes) throws IOException {
    // Loaded and closed once at the top: the sweep is about the close, not about first uses.
    LoadedModule.fromBytes(bytes, null).close();
    int end = 0;
    while (callAtDepth(end, () -> { })) {
      end += 64;
    }
    int interrupted = 0;
    int completed = 0;
    // Every depth: the close refuses to start well above the stack's end (ThreadStack.STEP over
    // ThreadStack.JVM_ZONES), so the window reaches from the top to the end.
    for (int depth = 0; depth <= end; depth++) {
      LoadedModule module = LoadedModule.fromBytes(bytes, null);
      long text = module.textAddress();
      if (callAtDepth(depth, module::close)) {
        completed++;
        continue;
      }
      interrupted++;
      module.close();
      // Checked right after the close that unmapped it, before anything else can map the range.
      if (mapped(text)) {
        throw new AssertionError("depth " + depth + ": the module's code is still mapped after a second close");
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
