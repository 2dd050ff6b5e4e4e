package dev.kiln.loader.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.loader.sys.StackEndSweeps;
import java.util.ArrayList;
import java.util.List;
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
    StackEndSweeps.inAChildJvm(StoreCodeRegionsTest.class);
  }

  /** The child JVM's sweep; exits 1 with the first broken invariant. */
  public static void main(String[] args) throws InterruptedException {
    StackEndSweeps.onASmallStack(StoreCodeRegionsTest::sweep);
  }

  private static void sweep() {
    int end = StackEndSweeps.stackEnd();
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
      boolean registered = StackEndSweeps.callAtDepth(depth, () -> regions.register(grown));
      if (registered) {
        expected.add(grown);
      }
      assertEquals(expected, regions.snapshot(), "after register at depth " + depth);
      CodeRegion first = expected.getFirst();
      boolean unregistered = StackEndSweeps.callAtDepth(depth, () -> regions.unregister(first));
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
}
