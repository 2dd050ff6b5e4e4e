package dev.kiln.tests.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.loader.sys.ThreadStack;
import dev.kiln.tests.support.ForkedJvm;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A guest recursing through the host (wasm -> host -> wasm) on small thread stacks, with raised
 * depth limits and alternating stores, never takes the JVM down and always ends in one clean trap
 * (red team 8 F2: on the emulator a StackOverflowError inside an FFM upcall aborted the JVM, exit
 * 134; two stores at the default limit overflowed a 1 MiB stack). Each target's scenarios run in a
 * child JVM ({@link HostReentryScenarios}), so a regression shows as its exit status.
 */
class HostReentryStackTest {
  private static final Pattern CLEAN_TRAP = Pattern.compile(
      "dev\\.kiln\\.runtime\\.Trap: (call stack exhausted|host call depth exceeded)( \\(through \\d+ host calls?\\))?");

  @ParameterizedTest
  @EnumSource(Target.class)
  void recursionThroughTheHostEndsInOneCleanTrapOnEveryStack(Target target) {
    LimitedCode.assumeRunnable(target);
    ForkedJvm.Outcome child = ForkedJvm.run(HostReentryScenarios.class,
        target == Target.AARCH64 ? "aarch64" : "x86_64");
    assertEquals(0, child.exit(), child.describe());
    List<String> lines = Arrays.asList(child.out().split("\n"));
    assertEquals("survived", lines.getLast(), child.describe());
    for (String line : lines.subList(0, lines.size() - 1)) {
      String outcome = line.substring(line.indexOf(": ") + 2);
      assertTrue(CLEAN_TRAP.matcher(outcome).matches(), line + "\n" + child.describe());
    }
    // EMBEDDING-SAFETY.md: at the default depth both targets stop with the depth trap on a 1 MiB
    // thread stack, however many stores the recursion alternates between (one level more than in
    // one store: the host call that finds 60 in progress is refused).
    for (String scenario : List.of("1MiB-2stores-default", "1MiB-8stores-default")) {
      assertTrue(child.out().contains(scenario
          + ": dev.kiln.runtime.Trap: host call depth exceeded (through 62 host calls)"), child.describe());
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aFailureDeepInTheRecursionIsOneLineWithItsDepth(Target target) throws Exception {
    LimitedCode.assumeRunnable(target);
    // Before: "host function failed: dev.kiln.runtime.Trap: host function failed: ..." once a level.
    assertEquals("host function failed: java.lang.IllegalStateException: the innermost host call"
        + " (through 200 host calls)", deepFailure(target, 200, false));
    // A host function that wraps what it caught adds no repetition either.
    assertEquals("host function failed: java.lang.IllegalStateException: the innermost host call",
        deepFailure(target, 200, true));
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aLevelOfReentryCostsLessThanHalfTheStackEachLevelIsGranted(Target target) throws Exception {
    LimitedCode.assumeRunnable(target);
    // ThreadStack.LEVEL is what the runtime requires free before it allows one more level; a level
    // that cost more would let the recursion run past the JVM's zones between two checks.
    long[] pointers = new long[51];
    deepRecursion(target, 50, lvl -> pointers[lvl] = ThreadStack.pointer());
    long costliest = 0;
    for (int lvl = 50; lvl > 0; lvl--) {
      costliest = Math.max(costliest, pointers[lvl] - pointers[lvl - 1]);
    }
    assertTrue(costliest > 0 && costliest <= ThreadStack.LEVEL / 2,
        "a level of wasm -> host -> wasm costs " + costliest + " bytes of the Java thread's stack");
  }

  /** The outermost message of a recursion {@code levels} deep whose innermost host call throws. */
  private static String deepFailure(Target target, int levels, boolean wrapping) throws Exception {
    return deepRecursion(target, levels, wrapping, lvl -> {
      if (lvl == 0) {
        throw new IllegalStateException("the innermost host call");
      }
    });
  }

  private static String deepRecursion(Target target, int levels, java.util.function.IntConsumer atEachLevel)
      throws Exception {
    return deepRecursion(target, levels, false, atEachLevel);
  }

  /**
   * Recursion {@code levels} host calls deep on a stack it fits on (the store's limits raised):
   * {@code atEachLevel} runs in each host call with its level (0 innermost); returns how the
   * outermost call ended.
   */
  private static String deepRecursion(Target target, int levels, boolean wrapping,
      java.util.function.IntConsumer atEachLevel) throws Exception {
    dev.kiln.runtime.Engine engine = target == Target.AARCH64
        ? dev.kiln.runtime.Engine.builder().target(dev.kiln.runtime.Target.AARCH64).build()
        : dev.kiln.runtime.Engine.create();
    dev.kiln.runtime.WasmModule module = dev.kiln.runtime.WasmModule.compile(engine,
        dev.kiln.wat.Wat.toBinary(HostReentryScenarios.GUEST, "reenter.wat"));
    try (dev.kiln.runtime.Store store = dev.kiln.runtime.Store.builder(engine).maxHostCallDepth(1000)
        .maxWasmStack(64L << 20).build()) {
      dev.kiln.runtime.Linker linker = new dev.kiln.runtime.Linker(store);
      dev.kiln.runtime.Func[] rec = new dev.kiln.runtime.Func[1];
      linker.func("env", "h", dev.kiln.runtime.FuncType.of(List.of(dev.kiln.runtime.ValType.I32),
          List.of(dev.kiln.runtime.ValType.I32)), (caller, a) -> {
            int lvl = a.get(0).asInt();
            atEachLevel.accept(lvl);
            if (lvl == 0) {
              return List.of(dev.kiln.runtime.Val.i32(0));
            }
            try {
              return rec[0].call(dev.kiln.runtime.Val.i32(lvl - 1), dev.kiln.runtime.Val.i32(0));
            } catch (dev.kiln.runtime.Trap trap) {
              throw wrapping ? new RuntimeException("level " + lvl + " failed", trap) : trap;
            }
          });
      rec[0] = linker.instantiate(module).func("rec");
      String[] message = new String[1];
      // A stack the recursion fits on: this test is about the message, not the stack.
      Thread thread = new Thread(null, () -> {
        try {
          rec[0].call(dev.kiln.runtime.Val.i32(levels), dev.kiln.runtime.Val.i32(0));
          message[0] = "returned";
        } catch (dev.kiln.runtime.Trap trap) {
          message[0] = trap.getMessage();
        }
      }, "deep", 64L << 20);
      thread.start();
      thread.join();
      return message[0];
    }
  }
}
