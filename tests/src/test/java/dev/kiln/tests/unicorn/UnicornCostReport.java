package dev.kiln.tests.unicorn;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.emulator.UnicornExecutor;
import dev.kiln.loader.runtime.ValRaw;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A rough, JMH-free look at what the emulator costs, printed for the report and never asserted
 * (timed assertions are flaky on a shared machine): an entry (one {@code uc_emu_start} plus register
 * set-up, through {@link EntryInvoker}), a host call through the stub page, and straight-line
 * throughput on a counted loop. Each figure is the best of several rounds: the machine is shared
 * and the first rounds include the JIT compiling the Java side. The work is checked, so a loop that
 * did nothing would fail.
 */
class UnicornCostReport {
  private static final int ENTRIES = 20_000;
  private static final long LOOP_ITERATIONS = 100_000_000L;

  @Test
  void printEntryHostCallAndLoopCost() throws ReflectiveOperationException {
    try (EmulatedEntries emulator = new EmulatedEntries()) {
      Arm64Words code = emulator.code;
      UnicornExecutor executor = emulator.executor;
      MemorySegment values = emulator.values;
      MemorySegment store42 = MemorySegment.ofAddress(code.place(UnicornExecutorTest.STORE_42));
      MemorySegment callHost = MemorySegment.ofAddress(code.place(UnicornExecutorTest.CALL_HOST));
      MemorySegment countDown = MemorySegment.ofAddress(code.place(UnicornExecutorTest.COUNT_DOWN));
      MemorySegment host = executor.hostFunction(MethodHandles.lookup().findStatic(UnicornExecutorTest.class,
          "scaled", MethodType.methodType(long.class, long.class, double.class)),
          FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_DOUBLE), emulator.arena);

      double entryNs = Double.MAX_VALUE;
      for (int round = 0; round < 7; round++) {
        long start = System.nanoTime();
        for (int i = 0; i < ENTRIES; i++) {
          ValRaw.setI32(values, 0, 0);
          emulator.call(store42);
        }
        entryNs = Math.min(entryNs, (System.nanoTime() - start) / (double) ENTRIES);
        assertEquals(42, ValRaw.getI32(values, 0));
      }

      double hostCallNs = Double.MAX_VALUE;
      for (int round = 0; round < 7; round++) {
        long start = System.nanoTime();
        for (int i = 0; i < ENTRIES; i++) {
          ValRaw.setI64(values, 0, host.address());
          ValRaw.setI64(values, 1, i);
          ValRaw.setF64(values, 2, 1.0);
          emulator.call(callHost);
        }
        hostCallNs = Math.min(hostCallNs, (System.nanoTime() - start) / (double) ENTRIES);
        assertEquals(3L * (ENTRIES - 1) + 1, ValRaw.getI64(values, 0));
      }

      double seconds = Double.MAX_VALUE;
      for (int round = 0; round < 2; round++) {
        ValRaw.setI64(values, 0, LOOP_ITERATIONS);
        long start = System.nanoTime();
        emulator.call(countDown);
        seconds = Math.min(seconds, (System.nanoTime() - start) / 1e9);
      }
      double instructions = 2.0 * LOOP_ITERATIONS + 3;
      System.out.printf(Locale.ROOT, "unicorn: entry (uc_emu_start + set-up) %.2f us; entry with one host call %.2f us"
              + " (host call ~%.2f us); loop %.0f M instructions in %.3f s = %.2f G instructions/s;"
              + " lazy mappings %d%n", entryNs / 1e3, hostCallNs / 1e3, (hostCallNs - entryNs) / 1e3,
          instructions / 1e6, seconds, instructions / seconds / 1e9, executor.mappingFaults());
    }
  }
}
