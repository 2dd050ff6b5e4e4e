package dev.kiln.tests.unicorn;

import dev.kiln.loader.runtime.ValRaw;
import dev.kiln.loader.sys.Protection;
import dev.kiln.loader.sys.VirtualMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Emulated code that tries to write its own code, then to run data, each printed as one line (how
 * it ended). Run in a child JVM by {@link EmulatedWriteXorExecuteTest}: with the host's pages mapped
 * RWX into the emulator, the write went through Unicorn's host pointer into an R-X host page and
 * the JVM died of the SIGSEGV, and the data ran.
 */
public final class EmulatedWriteXorExecute {
  private EmulatedWriteXorExecute() {}

  public static void main(String[] args) {
    try (EmulatedEntries emulator = new EmulatedEntries(); VirtualMemory data = VirtualMemory.reserve(1 << 16)) {
      MemorySegment values = emulator.values;

      // Increments the word at values[0], which is its own first instruction.
      long entry = emulator.code.place(UnicornExecutorTest.INCREMENT_AT);
      ValRaw.setI64(values, 0, entry);
      System.out.println("write own code: " + outcome(() -> emulator.call(entry)));

      // The instructions of STORE_42 copied into a data page (RW-), and called.
      data.protect(0, data.size(), Protection.READ_WRITE);
      byte[] bytes = Arm64Words.bytes(UnicornExecutorTest.STORE_42);
      MemorySegment.copy(bytes, 0, data.segment(), ValueLayout.JAVA_BYTE, 0, bytes.length);
      ValRaw.setI64(values, 0, 0);
      System.out.println("run data: " + outcome(() -> emulator.call(data.address())) + ", values[0] = "
          + ValRaw.getI32(values, 0));
    }
  }

  private static String outcome(Runnable call) {
    try {
      call.run();
      return "ran";
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }
}
