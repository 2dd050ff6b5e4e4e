package dev.kiln.tests.hostcall;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.Target;
import dev.kiln.wasi.WasiConfig;
import dev.kiln.wasi.WasiFunction;
import dev.kiln.wasi.abi.Layouts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Compiled guests with a memory64 memory of 65,537 pages (4 GiB + 64 KiB) call WASI through the
 * real host-call path (x86-64 natively, AArch64 on the emulator) with u32 pointers whose records,
 * buffers and arrays start below 2^32 and end above it (red-team finding F1). Every byte must land
 * at its own address past 2^32 and none at the bottom of memory, where a pointer added to in i32
 * arithmetic wraps.
 */
class AboveFourGibHostCallTest {
  private static final long FOUR_GIB = 1L << 32;
  private static final long PAGES = 65_537;
  private static final int LOW = 1 << 18;
  private static final ValueLayout.OfInt I32 =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong I64 =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  @ParameterizedTest
  @EnumSource(Target.class)
  void writersAndReadersUseTheAddressPast4Gib(Target target) throws IOException {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    WasiConfig config = WasiConfig.builder().args(List.of("prog", "second"))
        .stdout(stdout).stderr(new ByteArrayOutputStream()).build();
    try (CompiledGuest guest = new CompiledGuest(target, true, PAGES, config)) {
      MemorySegment memory = guest.memory();
      assertEquals(FOUR_GIB + 65_536, memory.byteSize());

      // fd_fdstat_get: filetype and flags below 2^32, both rights fields above it.
      long stat = FOUR_GIB - 8;
      memory.set(I64, stat + Layouts.FDSTAT_RIGHTS_BASE, -1);
      assertEquals(0, guest.call(WasiFunction.FD_FDSTAT_GET, new long[] {1, stat}));
      assertEquals(false, memory.get(I64, stat + Layouts.FDSTAT_RIGHTS_BASE) == -1,
          "rights_base written at 2^32");
      assertLowMemoryUntouched(memory);

      // fd_write of one buffer of four 64 KiB chunks, the last past 2^32.
      long buffer = FOUR_GIB - 0x3_0000;
      byte[] pattern = new byte[0x4_0000];
      for (int i = 0; i < pattern.length; i++) {
        pattern[i] = (byte) ((i >>> 16) * 37 + i * 13 + 1);
      }
      MemorySegment.copy(pattern, 0, memory, ValueLayout.JAVA_BYTE, buffer, pattern.length);
      long iovs = FOUR_GIB - 0x10_0000;
      memory.set(I32, iovs, (int) buffer);
      memory.set(I32, iovs + 4, pattern.length);
      assertEquals(0, guest.call(WasiFunction.FD_WRITE, new long[] {1, iovs, 1, iovs + 64}));
      assertArrayEquals(pattern, stdout.toByteArray(), "every chunk read from its own address");
      assertLowMemoryUntouched(memory);

      // poll_oneoff: one clock subscription due at once, its event crossing 2^32.
      long in = FOUR_GIB - 0x20_0000;
      memory.set(I64, in + Layouts.SUBSCRIPTION_USERDATA, 0x1122_3344_5566_7788L);
      memory.set(ValueLayout.JAVA_BYTE, in + Layouts.SUBSCRIPTION_TAG, (byte) Layouts.EVENTTYPE_CLOCK);
      memory.set(I32, in + Layouts.SUBSCRIPTION_CLOCK_ID, Layouts.CLOCK_MONOTONIC);
      long event = FOUR_GIB - 8;
      memory.set(I64, event + Layouts.EVENT_ERROR, -1);
      assertEquals(0, guest.call(WasiFunction.POLL_ONEOFF, new long[] {in, event, 1, in + 64}));
      assertEquals(0x1122_3344_5566_7788L, memory.get(I64, event + Layouts.EVENT_USERDATA));
      assertEquals(Layouts.EVENTTYPE_CLOCK, memory.get(ValueLayout.JAVA_BYTE, event + Layouts.EVENT_TYPE));
      assertEquals(0, memory.get(ValueLayout.JAVA_SHORT_UNALIGNED, event + Layouts.EVENT_ERROR));
      assertLowMemoryUntouched(memory);

      // args_get: argv[0] below 2^32, argv[1] at 2^32.
      long argv = FOUR_GIB - 4;
      long strings = FOUR_GIB - 0x30_0000;
      assertEquals(0, guest.call(WasiFunction.ARGS_GET, new long[] {argv, strings}));
      assertEquals((int) strings, memory.get(I32, argv));
      assertEquals((int) strings + 5, memory.get(I32, FOUR_GIB));
      byte[] second = new byte[6];
      MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, strings + 5, second, 0, 6);
      assertEquals("second", new String(second, StandardCharsets.UTF_8));
      assertLowMemoryUntouched(memory);
    }
  }

  private static void assertLowMemoryUntouched(MemorySegment memory) {
    byte[] low = new byte[LOW];
    MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, 0, low, 0, LOW);
    assertArrayEquals(new byte[LOW], low, "a call wrote to the bottom of memory");
  }
}
