package dev.kiln.tests.upcall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.loader.exec.GuardedUpcall;
import dev.kiln.loader.exec.UpcallShape;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.test.whitebox.WhiteBox;
import org.junit.jupiter.api.Test;

/**
 * Red team 29 F1, made deterministic: an upcall whose C2-compiled body is deoptimised while the
 * heap is full, so that the body's scalar-replaced object cannot be reallocated. HotSpot then
 * throws an {@code OutOfMemoryError} and pops the body's physical frame without running its
 * handlers ({@link GuardedUpcall} says why). A child JVM runs it with the WhiteBox API (the
 * deoptimisation of every compiled frame on the stack, from a hook the body calls after filling
 * the heap), batch compilation and no on-stack replacement (so the driver's loop stays
 * interpreted): through {@link GuardedUpcall} the call answers the failure value and the JVM goes
 * on; with the handler in the body's own method, as every upcall target had it, the JVM aborts.
 */
class UpcallReallocationFailureTest {
  /** The failure value of the guarded upcall. */
  private static final long FAILED = -1;
  /** What the unguarded target's own handler would answer, had it run. */
  private static final long CAUGHT = -2;
  /** Calls before the failing one: enough for the body's C2 compilation, which -Xbatch waits for. */
  private static final int WARM_UP_CALLS = 20_000;

  private static volatile boolean armed;
  /** The child's: made before the heap fills (the surefire JVM has no WhiteBox natives). */
  private static WhiteBox whiteBox;
  private static List<Object> hoard = new ArrayList<>();

  @Test
  void aGuardedUpcallAnswersItsFailureValueAndTheJvmGoesOn() throws Exception {
    ChildRun run = runChild("guarded");
    assertEquals(0, run.exitCode(), run.output());
    assertTrue(run.output().contains("answer " + FAILED + "\n"), run.output());
    // The guard's handler is a frame of its own: C2 could not inline the body into it.
    assertTrue(run.output().matches("(?s).*GuardedUpcall::enter.*invokeBasic\\(JJJJJ\\)J.*receiver not constant.*"),
        run.output());
  }

  /** The control: without the guard, the same failure ends the JVM (what the finding saw). */
  @Test
  void aHandlerInTheTargetsOwnMethodIsSkippedAndTheJvmAborts() throws Exception {
    ChildRun run = runChild("unguarded");
    assertNotEquals(0, run.exitCode(), run.output());
    assertTrue(run.output().contains("failed reallocation of scalar replaced objects"), run.output());
    assertTrue(run.output().contains("Unrecoverable uncaught exception"), run.output());
  }

  private record ChildRun(int exitCode, String output) {}

  private static ChildRun runChild(String mode) throws IOException, InterruptedException {
    Path whiteBox = Files.createTempDirectory("whitebox");
    Path log = Files.createTempFile("upcall-realloc", ".log");
    try {
      // WhiteBox alone on the boot class path: the test's other classes must stay the app loader's
      Path classFile = Path.of(WhiteBox.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .resolve("jdk/test/whitebox/WhiteBox.class");
      Path copy = whiteBox.resolve("jdk/test/whitebox/WhiteBox.class");
      Files.createDirectories(copy.getParent());
      Files.copy(classFile, copy);
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      Process child = new ProcessBuilder(java.toString(), "-Xbootclasspath/a:" + whiteBox,
          "-XX:+UnlockDiagnosticVMOptions", "-XX:+WhiteBoxAPI", "-Xmx32m", "-Xbatch", "-XX:-UseOnStackReplacement",
          "-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=" + whiteBox.resolve("hs_err.log"),
          "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline," + UpcallReallocationFailureTest.class.getName()
          + "::deoptimiseWithTheHeapFull", "-XX:+PrintCompilation", "-XX:+PrintInlining",
          "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
          UpcallReallocationFailureTest.class.getName(), mode)
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!child.waitFor(2, TimeUnit.MINUTES)) {
        child.destroyForcibly().waitFor();
      }
      return new ChildRun(child.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    } finally {
      Files.deleteIfExists(log);
      try (var files = Files.walk(whiteBox)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The child: {@code guarded} or {@code unguarded}; prints the failing call's answer. */
  public static void main(String[] args) throws Throwable {
    whiteBox = new WhiteBox();
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    MemorySegment stub = args[0].equals("guarded")
        ? GuardedUpcall.of(lookup.findStatic(UpcallReallocationFailureTest.class, "body", UpcallShape.TYPE), FAILED)
            .stub(Arena.global())
        : Linker.nativeLinker().upcallStub(lookup.findStatic(UpcallReallocationFailureTest.class, "catchingBody",
            UpcallShape.TYPE), UpcallShape.DESCRIPTOR, Arena.global());
    MethodHandle call = Linker.nativeLinker().downcallHandle(stub, UpcallShape.DESCRIPTOR);
    long sum = 0;
    for (int i = 0; i < WARM_UP_CALLS; i++) {
      sum += (long) call.invokeExact((long) i, 0L, 0L, 0L, 0L);
    }
    armed = true;
    long answer = (long) call.invokeExact(5L, 0L, 0L, 0L, 0L);
    hoard = null;
    System.out.println("warm-up sum " + sum);
    System.out.println("answer " + answer);
  }

  /** A pair escape analysis replaces by scalars in the body's compiled frame. */
  private record Pair(long first, long second) {}

  @SuppressWarnings("unused") // the upcall's body
  private static long body(long x, long unused1, long unused2, long unused3, long unused4) {
    Pair pair = new Pair(x, x + 1);
    deoptimiseWithTheHeapFull();
    return pair.first() + pair.second();
  }

  /** The body with the handler every upcall target had before the guard. */
  @SuppressWarnings("unused") // the unguarded upcall's target
  private static long catchingBody(long x, long unused1, long unused2, long unused3, long unused4) {
    try {
      return body(x, unused1, unused2, unused3, unused4);
    } catch (Throwable t) {
      return CAUGHT;
    }
  }

  /**
   * Once armed: fills the heap down to its last bytes and marks the compiled frames for
   * deoptimisation, done when the body's frame is returned to. Never inlined (the child's
   * CompileCommand), so the body's compiled code calls it rather than trapping on a branch never
   * taken, which would deoptimise before the heap is full.
   */
  private static void deoptimiseWithTheHeapFull() {
    if (armed) {
      for (int size = 1 << 20; size > 0; ) {
        try {
          hoard.add(new long[size]);
        } catch (OutOfMemoryError full) {
          size >>= 1;
        }
      }
      whiteBox.deoptimizeFrames(false);
    }
  }
}
