package dev.kiln.tests.hostcall;

import dev.kiln.wasi.WasiConfig;
import dev.kiln.wasi.WasiFunction;
import dev.kiln.wasi.WasiPreview1;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The WASI functions called straight from Java over a native memory that sits between two canary
 * regions of known bytes, inside one allocation: host memory a call could reach past either end of
 * the guest's memory, which no call may change. The strongest check of where the host writes, on no
 * particular target (the functions are Java; the targets differ only in how they are called).
 */
final class CanaryGuest implements FuzzGuest {
  static final int CANARY = 64 * 1024;
  private static final byte CANARY_BYTE = (byte) 0xC5;

  private final Arena arena = Arena.ofConfined();
  private final MemorySegment before;
  private final MemorySegment memory;
  private final MemorySegment after;
  private final WasiPreview1 wasi;

  CanaryGuest(int memorySize, WasiConfig config) throws IOException {
    MemorySegment block = arena.allocate(CANARY + memorySize + CANARY, 4096);
    before = block.asSlice(0, CANARY);
    memory = block.asSlice(CANARY, memorySize);
    after = block.asSlice(CANARY + memorySize, CANARY);
    before.fill(CANARY_BYTE);
    after.fill(CANARY_BYTE);
    wasi = new WasiPreview1(config);
  }

  @Override
  public MemorySegment memory() {
    return memory;
  }

  @Override
  public int call(WasiFunction function, long[] args) {
    return function.invoke(wasi, memory, args);
  }

  @Override
  public String damageOutside() {
    for (MemorySegment canary : new MemorySegment[] {before, after}) {
      for (long i = 0; i < canary.byteSize(); i++) {
        if (canary.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i) != CANARY_BYTE) {
          return "host byte " + (canary == before ? "-" + (CANARY - i) + " before" : "+" + i + " after")
              + " the guest memory was written";
        }
      }
    }
    return null;
  }

  @Override
  public String describe() {
    return "WASI functions from Java, memory between canaries";
  }

  @Override
  public void close() {
    wasi.close();
    arena.close();
  }
}
