package dev.kiln.tests.x64;

import static dev.kiln.tests.x64.HandAssembledModule.at;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.loader.runtime.EntryInvoker;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.ValRaw;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;

/**
 * A rough, JMH-free look at what an entry and a trap cost, printed for the report and never asserted
 * (timed assertions are flaky on a shared machine; the benchmarks own the real numbers). Two levels:
 * the bare downcall of the trampoline (native entry, trap stub, unwind) and the loader's {@link
 * EntryInvoker} on top (store bookkeeping, and a {@link TrapException} thrown and caught). The work itself is
 * checked, so the loops cannot be optimised into nothing.
 */
class X64CallCostReport {
  private static final int ROUNDS = 200_000;
  private static final MethodHandle RAW = Linker.nativeLinker().downcallHandle(
      FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));

  private interface Loop {
    long run(int divisor) throws Throwable;
  }

  @Test
  void printCallAndTrapCost() throws Throwable {
    try (HandAssembledModule module = new HandAssembledModule(); Arena arena = Arena.ofConfined();
        NativeStore store = new NativeStore()) {
      EntryInvoker invoker = new EntryInvoker(store);
      MemorySegment vmctx = X64EntryAndTrapTest.vmctxFor(arena, store);
      MemorySegment values = ValRaw.allocate(arena, 2);
      MemorySegment divide = at(module.divS);

      Loop raw = divisor -> {
        long sum = 0;
        for (int i = 0; i < ROUNDS; i++) {
          ValRaw.setI32(values, 0, i);
          ValRaw.setI32(values, 1, divisor);
          boolean ok = (boolean) RAW.invokeExact(divide, vmctx, vmctx, values, 2L);
          sum += ok ? ValRaw.getI32(values, 0) : -1;
        }
        return sum;
      };
      Loop full = divisor -> {
        long sum = 0;
        for (int i = 0; i < ROUNDS; i++) {
          ValRaw.setI32(values, 0, i);
          ValRaw.setI32(values, 1, divisor);
          try {
            invoker.invoke(divide, vmctx, vmctx, values, 2);
            sum += ValRaw.getI32(values, 0);
          } catch (TrapException t) {
            sum += t.code() == TrapCode.INTEGER_DIVISION_BY_ZERO ? -1 : 0;
          }
        }
        return sum;
      };
      long expected = 0;
      for (int i = 0; i < ROUNDS; i++) {
        expected += i / 3;
      }
      // A raw trap still needs the store's floor, which EntryInvoker set on the calls above.
      ValRaw.setI32(values, 0, 7);
      ValRaw.setI32(values, 1, 3);
      invoker.invoke(divide, vmctx, vmctx, values, 2);
      for (int warmup = 0; warmup < 2; warmup++) {
        best(raw, 3, expected);
        best(raw, 0, -ROUNDS);
        best(full, 3, expected);
        best(full, 0, -ROUNDS);
      }
      double rawCall = best(raw, 3, expected);
      double rawTrap = best(raw, 0, -ROUNDS);
      double fullCall = best(full, 3, expected);
      double fullTrap = best(full, 0, -ROUNDS);
      System.out.printf("x86-64 entry, ns per call (best of 5 x %d): bare downcall: call %.1f, trap %.1f"
          + " (+%.1f); EntryInvoker: call %.1f, trap %.1f (+%.1f)%n", ROUNDS, rawCall, rawTrap,
          rawTrap - rawCall, fullCall, fullTrap, fullTrap - fullCall);
    }
  }

  private static double best(Loop loop, int divisor, long expected) throws Throwable {
    long best = Long.MAX_VALUE;
    for (int trial = 0; trial < 5; trial++) {
      long start = System.nanoTime();
      long sum = loop.run(divisor);
      best = Math.min(best, System.nanoTime() - start);
      assertEquals(expected, sum);
    }
    return best / (double) ROUNDS;
  }
}
