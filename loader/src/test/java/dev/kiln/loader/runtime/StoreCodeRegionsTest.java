package dev.kiln.loader.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Red team 23 F2: a throwable inside {@link StoreCodeRegions#register} or {@link
 * StoreCodeRegions#unregister} must leave the regions as they were or as they will be, never half
 * changed. A StackOverflowError is made to land at every frame of both, by calling them at every
 * depth of a window at the end of the stack; after each attempt the regions must be usable and
 * agree with what completed.
 */
class StoreCodeRegionsTest {
  /** A region of its own identity (a non-capturing lambda would be one object for all). */
  private static final class Region implements CodeRegion {
    @Override
    public List<WasmFrame> framesAt(long pc) {
      return List.of();
    }
  }

  /**
   * In a child JVM that only interprets (-Xint), where every call made inside {@code register} and
   * {@code unregister} is a frame the overflow can land in (compiled, they are inlined into one
   * frame whose entry is the only place it can), on a thread with a small stack.
   */
  @Test
  void aThrowableAtAnyFrameLeavesTheRegionsWhole() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-Xint", "-cp", System.getProperty("java.class.path"),
        StoreCodeRegionsTest.class.getName()).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(5, TimeUnit.MINUTES), "the child JVM did not finish");
    assertEquals(0, child.exitValue(), output);
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

  private static void sweep() {
    int end = 0;
    while (callAtDepth(end, () -> { })) {
      end += 64;
    }
    // Frames shrink once the JIT compiles the recursion: a wide window still reaches the end.
    int window = 3_000;
    for (int depth = Math.max(0, end - window); depth <= end; depth++) {
      StoreCodeRegions regions = new StoreCodeRegions();
      List<CodeRegion> expected = new ArrayList<>();
      // Two registered: the next one grows the arrays (length 2), where the two copies were made
      // one after the other.
      for (int i = 0; i < 2; i++) {
        CodeRegion r = new Region();
        regions.register(r);
        expected.add(r);
      }
      CodeRegion grown = new Region();
      boolean registered = callAtDepth(depth, () -> regions.register(grown));
      if (registered) {
        expected.add(grown);
      }
      assertEquals(expected, regions.snapshot(), "after register at depth " + depth);
      CodeRegion first = expected.getFirst();
      boolean unregistered = callAtDepth(depth, () -> regions.unregister(first));
      if (unregistered) {
        expected.removeFirst();
      }
      assertEquals(expected, regions.snapshot(), "after unregister at depth " + depth);
      // Usable afterwards: every region can be registered again and taken out.
      CodeRegion later = new Region();
      regions.register(later);
      expected.add(later);
      assertEquals(expected, regions.snapshot(), "a later register after depth " + depth);
      for (CodeRegion r : List.copyOf(expected)) {
        regions.unregister(r);
      }
      assertEquals(List.of(), regions.snapshot(), "all taken out after depth " + depth);
    }
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
