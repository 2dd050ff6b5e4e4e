package dev.kiln.codegen.regalloc;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.IntFunction;

/**
 * The bytes the current thread allocates while an action runs ({@code
 * com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}), what the tests that bound the
 * allocator's allocation count: the same under any load, unlike a heap's size or a time.
 */
final class AllocatedBytes {
  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
  static final int ROUNDS = 8;

  private AllocatedBytes() {}

  /**
   * The fewest bytes {@code action} allocated in a few runs: the first links and compiles it, and
   * the JDK may allocate once on the way; what the action itself allocates is in every run.
   */
  static long fewest(Runnable action) {
    long fewest = Long.MAX_VALUE;
    for (int round = 0; round < ROUNDS; round++) {
      long before = THREADS.getCurrentThreadAllocatedBytes();
      action.run();
      fewest = Math.min(fewest, THREADS.getCurrentThreadAllocatedBytes() - before);
    }
    return fewest;
  }

  /** The fewest bytes {@link IntervalBuilder#build} allocates for {@code f} (on an x86-64-like machine). */
  static long ofIntervalBuild(RegAllocFunction f) {
    MachineEnv env = TestEnvs.x64Like();
    RegAllocator.Analysis a = RegAllocator.Analysis.of(f, env);
    LoopNest loops = LoopNest.compute(f, a.edges());
    return fewest(() -> IntervalBuilder.build(f, env, a.live(), a.operands(), a.edges(), loops, a.sites()));
  }

  /**
   * The bytes {@link IntervalBuilder#build} allocates per value: for the function of {@code 2 *
   * values} values less the same function's with {@code values}, divided by {@code values}, so the
   * function's own fixed cost drops out.
   */
  static long perValueOfIntervalBuild(IntFunction<RegAllocFunction> withValues, int values) {
    return (ofIntervalBuild(withValues.apply(2 * values)) - ofIntervalBuild(withValues.apply(values))) / values;
  }
}
