package dev.kiln.wasi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.info.Limits;
import dev.kiln.artifact.info.MemoryType;
import dev.kiln.loader.memory.MemoryInstance;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.FileType;
import dev.kiln.wasi.abi.GuestMemory;
import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.abi.WasiException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WASI calls on a memory64 memory of 65,537 pages (4 GiB + 64 KiB), as an attacker shapes them:
 * pointer arguments are u32 (witx wasm32 ABI), so every record, buffer and array here starts below
 * 2^32 and ends above it. Each call must put every byte at its own address past 2^32, and none at
 * the bottom of memory, where i32 arithmetic on the pointer would wrap it (red-team finding F1). The
 * memory is reserved, not touched: only the pages a call writes are committed.
 */
class AboveFourGibTest {
  private static final long FOUR_GIB = 1L << 32;
  /** The low memory no call here names: a wrapped address would land in it. */
  private static final int LOW = 1 << 18;

  @TempDir Path dir;
  private NativeStore store;
  private MemorySegment memory;
  private GuestMemory view;
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private WasiPreview1 wasi;

  @BeforeEach
  void setUp() throws java.io.IOException {
    store = new NativeStore();
    MemoryInstance instance = MemoryInstance.createHost(store,
        new MemoryType(Limits.of(65_537), true, false));
    memory = instance.segment();
    view = new GuestMemory(memory);
    assertEquals(FOUR_GIB + 65_536, memory.byteSize());
    wasi = new WasiPreview1(WasiConfig.builder()
        .args(java.util.List.of("prog", "second"))
        .stdin(new ByteArrayInputStream("input crossing 4 GiB".getBytes(StandardCharsets.UTF_8)))
        .stdout(stdout).stderr(new ByteArrayOutputStream()).random(new SplittableRandom(7))
        .preopen(new Preopen(dir, ".")).build());
  }

  @AfterEach
  void tearDown() {
    wasi.close();
    store.close();
  }

  private static int u32(long address) {
    return (int) address;
  }

  // Checks and setup go straight to the segment (little-endian, as wasm memory is), not through
  // the GuestMemory under test.
  private static final ValueLayout.OfInt I32 =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong I64 =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfShort I16 =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private int u8(long at) {
    return Byte.toUnsignedInt(memory.get(ValueLayout.JAVA_BYTE, at));
  }

  private int u16(long at) {
    return Short.toUnsignedInt(memory.get(I16, at));
  }

  private int i32(long at) {
    return memory.get(I32, at);
  }

  private long i64(long at) {
    return memory.get(I64, at);
  }

  private void putU8(long at, int value) {
    memory.set(ValueLayout.JAVA_BYTE, at, (byte) value);
  }

  private void putI32(long at, int value) {
    memory.set(I32, at, value);
  }

  private void putI64(long at, long value) {
    memory.set(I64, at, value);
  }

  private void write(long at, byte[] bytes) {
    MemorySegment.copy(bytes, 0, memory, ValueLayout.JAVA_BYTE, at, bytes.length);
  }

  private byte[] read(long at, int length) {
    byte[] out = new byte[length];
    MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, at, out, 0, length);
    return out;
  }

  private void assertLowMemoryUntouched() {
    byte[] low = new byte[LOW];
    MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, 0, low, 0, LOW);
    assertArrayEquals(new byte[LOW], low, "a call wrote to the bottom of memory");
  }

  @Test
  void fdstatRecordCrossing4GibLandsInPlace() {
    long stat = FOUR_GIB - 8;
    assertEquals(0, wasi.fdStatus().fdstatGet(memory, 1, u32(stat)));
    assertEquals(wasi.context().fds().get(1).fileType().code(), u8(stat + Layouts.FDSTAT_FILETYPE));
    assertEquals(wasi.context().fds().get(1).rightsBase(), i64(stat + Layouts.FDSTAT_RIGHTS_BASE));
    assertEquals(wasi.context().fds().get(1).rightsInheriting(),
        i64(stat + Layouts.FDSTAT_RIGHTS_INHERITING));
    assertLowMemoryUntouched();
  }

  @Test
  void writeReadsEveryChunkOfABufferCrossing4GibFromItsOwnAddress() {
    long buffer = FOUR_GIB - 0x3_0000;
    int length = 0x4_0000; // four 64 KiB stream chunks, the last past 2^32 up to the end of memory
    byte[] pattern = new byte[length];
    for (int i = 0; i < length; i++) {
      pattern[i] = (byte) ((i >>> 16) * 37 + i * 13 + 1);
    }
    write(buffer, pattern);
    long iovs = FOUR_GIB - 0x10_0000;
    putI32(iovs, u32(buffer));
    putI32(iovs + 4, length);
    long nwritten = iovs + 64;
    assertEquals(0, wasi.fd().write(memory, 1, u32(iovs), 1, u32(nwritten)));
    assertEquals(length, i32(nwritten));
    assertArrayEquals(pattern, stdout.toByteArray());
    assertLowMemoryUntouched();
  }

  @Test
  void readFillsABufferCrossing4Gib() {
    long buffer = FOUR_GIB - 6;
    long iovs = FOUR_GIB - 0x10_0000;
    putI32(iovs, u32(buffer));
    putI32(iovs + 4, 64);
    assertEquals(0, wasi.fd().read(memory, 0, u32(iovs), 1, u32(iovs + 64)));
    assertEquals(20, i32(iovs + 64));
    assertEquals("input crossing 4 GiB", new String(read(buffer, 20), StandardCharsets.UTF_8));
    assertLowMemoryUntouched();
  }

  @Test
  void pollEventsCrossing4GibLandInPlace() {
    long in = FOUR_GIB - 0x10_0000;
    putI64(in + Layouts.SUBSCRIPTION_USERDATA, 0x1122_3344_5566_7788L);
    putU8(in + Layouts.SUBSCRIPTION_TAG, Layouts.EVENTTYPE_CLOCK);
    putI32(in + Layouts.SUBSCRIPTION_CLOCK_ID, Layouts.CLOCK_MONOTONIC);
    putI64(in + Layouts.SUBSCRIPTION_CLOCK_TIMEOUT, 0);
    long out = FOUR_GIB - 8; // userdata below 2^32; error, type and the rest above it
    putI64(out + Layouts.EVENT_ERROR, -1);
    assertEquals(0, wasi.poll().pollOneoff(memory, u32(in), u32(out), 1, u32(in + 64)));
    assertEquals(1, i32(in + 64));
    assertEquals(0x1122_3344_5566_7788L, i64(out + Layouts.EVENT_USERDATA));
    assertEquals(0, u16(out + Layouts.EVENT_ERROR));
    assertEquals(Layouts.EVENTTYPE_CLOCK, u8(out + Layouts.EVENT_TYPE));
    assertLowMemoryUntouched();
  }

  @Test
  void prestatFilestatAndReaddirCrossing4GibLandInPlace() {
    long prestat = FOUR_GIB - 4;
    assertEquals(0, wasi.fdStatus().prestatGet(memory, 3, u32(prestat)));
    assertEquals(1, i32(prestat + Layouts.PRESTAT_DIR_NAME_LEN), "the name \".\"");

    long filestat = FOUR_GIB - 16; // filetype below 2^32, nlink and the times above it
    assertEquals(0, wasi.fdStatus().filestatGet(memory, 3, u32(filestat)));
    assertEquals(FileType.DIRECTORY.code(), u8(filestat + Layouts.FILESTAT_FILETYPE));
    assertEquals(true, i64(filestat + Layouts.FILESTAT_NLINK) >= 2, "a directory's links");
    assertEquals(true, i64(filestat + Layouts.FILESTAT_MTIM) > 0, "mtime written past 2^32");

    long pathStat = FOUR_GIB - 0x20_0000;
    write(pathStat, ".".getBytes(StandardCharsets.UTF_8));
    long buf = FOUR_GIB - 8;
    assertEquals(0, wasi.path().filestatGet(memory, 3, 0, u32(pathStat), 1, u32(buf)));
    assertEquals(true, i64(buf + Layouts.FILESTAT_CTIM) > 0, "ctime written past 2^32");

    long dirents = FOUR_GIB - 8; // the first dirent's d_namlen and name lie past 2^32
    long used = FOUR_GIB - 0x20_0000 + 64;
    assertEquals(0, wasi.fdStatus().readdir(memory, 3, u32(dirents), 256, 0, u32(used)));
    assertEquals(1, i32(dirents + Layouts.DIRENT_NAMLEN));
    assertEquals('.', u8(dirents + Layouts.DIRENT_SIZE));
    assertLowMemoryUntouched();
  }

  @Test
  void argvArrayCrossing4GibLandsInPlaceAndStringsPastItAreRefused() {
    long argv = FOUR_GIB - 4; // argv[0] below 2^32, argv[1] at 2^32
    long strings = FOUR_GIB - 0x10_0000;
    assertEquals(0, wasi.process().argsGet(memory, u32(argv), u32(strings)));
    assertEquals(u32(strings), i32(argv));
    assertEquals(u32(strings + 5), i32(FOUR_GIB));
    assertEquals("second", new String(read(strings + 5, 6), StandardCharsets.UTF_8));
    // A string buffer reaching past 2^32 holds strings no u32 pointer can name.
    long beyond = FOUR_GIB - 0x10_0000 - 64;
    assertEquals(Errno.FAULT.code(), wasi.process().argsGet(memory, u32(beyond), u32(FOUR_GIB - 8)));
    assertEquals(0, i64(beyond), "a refused call writes nothing");
    assertLowMemoryUntouched();
  }

  @Test
  void randomFillsABufferCrossing4GibChunkByChunk() {
    long buffer = FOUR_GIB - 0x1_0000;
    int length = 0x2_0000; // two 64 KiB chunks, the second past 2^32 up to the end of memory
    assertEquals(0, wasi.process().randomGet(memory, u32(buffer), length));
    byte[] tail = read(FOUR_GIB + 0x1_0000 - 64, 64);
    assertEquals(false, java.util.Arrays.equals(new byte[64], tail), "the last chunk is filled in place");
    assertLowMemoryUntouched();
  }

  @Test
  void aSignExtendedPointerIsRefusedNotWrapped() {
    int pointer = 0xFFFF_FFF8;
    // Java widens an int argument by sign extension: the accessor sees -8 and must refuse it.
    WasiException e = assertThrows(WasiException.class, () -> view.putI64(pointer, 1));
    assertEquals(Errno.FAULT, e.errno());
    view.putI64(GuestMemory.pointer(pointer), 1);
    assertEquals(1, i64(FOUR_GIB - 8));
    assertThrows(WasiException.class, () -> view.check(Long.MAX_VALUE, 2));
    assertThrows(WasiException.class, () -> view.check(memory.byteSize() - 4, 5));
    assertLowMemoryUntouched();
  }
}
