package dev.kiln.tests.hostcall;

import dev.kiln.wasi.WasiFunction;
import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.GuestIovecs;
import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.abi.Rights;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One sequence of adversarial WASI calls on one {@link FuzzGuest}, each checked as it returns:
 *
 * <ul>
 *   <li>it answered with an errno (a Java exception or a trap out of a host function is a bug);
 *   <li>nothing outside the guest's memory changed ({@link FuzzGuest#damageOutside});
 *   <li>every byte of the memory that changed lies in a range the call was allowed to write,
 *       computed from its arguments and the memory as it was before the call (the iovec buffers a
 *       read names, the struct an out-pointer names...): bytes the call itself wrote over its
 *       own arguments cannot widen that set;
 *   <li>a call that failed changed nothing.
 * </ul>
 *
 * <p>The calls are made to hurt: pointers at the ends of memory, past it and near 2^32; lengths of
 * 0, of the memory and of 2^32 - 1; iovec arrays of up to a thousand-odd entries, many pointing
 * back into the array itself; file contents made of forged iovec entries and pointers, so that a
 * read rewrites its own arguments while it runs. Everything comes from the sequence's seed, and a
 * guest with a fresh directory, so a failure replays from the seed it prints.
 */
final class HostCallFuzzer {
  /** The descriptor of file "data", opened when the sequence starts. */
  static final int DATA_FD = 4;
  /**
   * The most descriptors a fuzzed guest may hold: its three streams, the preopen, "data" and three
   * more, so path_open meets EMFILE often and fd_close (of 5 to 8) makes room again.
   */
  static final int MAX_OPEN_FILES = 8;
  private static final int PREOPEN_FD = 3;
  private static final ValueLayout.OfInt U32 =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong U64 =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final String[] NAMES = {"data", "sub", "sub/inner", "link", "missing", ".", "..",
      "../x", "/etc/passwd", "data/", "sub/../data", "new", "a\u00e9b", ""};
  /** The guest's arguments and environment, as the {@link dev.kiln.wasi.WasiConfig} gives them. */
  static final List<String> ARGS = List.of("fuzz", "--flag", "\u00fcnicode argument", "");
  static final List<String> ENV = List.of("A=1", "LONGER_NAME=some value here");

  private final FuzzGuest guest;
  private final Path dir;
  private final SplittableRandom random;
  private final long seed;
  private long calls;
  private FileChannel data;

  /** An allowed range of guest bytes, [start, start+length). */
  private record Range(long start, long length) {}

  /** One call: what it is, and where it may write. */
  private record FuzzedCall(WasiFunction function, long[] args, List<Range> writable) {
    @Override
    public String toString() {
      return function.importName() + Arrays.toString(args);
    }
  }

  HostCallFuzzer(FuzzGuest guest, Path dir, long seed) {
    this.guest = guest;
    this.dir = dir;
    this.seed = seed;
    this.random = new SplittableRandom(seed);
  }

  /** Prepares the directory the guest's preopen shows (before the guest is made). */
  static void populate(Path dir) throws IOException {
    Files.write(dir.resolve("data"), new byte[100]);
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/inner"), "inner");
    Files.createSymbolicLink(dir.resolve("link"), Path.of("sub/inner"));
  }

  /** Calls made so far. */
  long calls() {
    return calls;
  }

  /** Runs {@code count} calls; throws an AssertionError naming the seed at the first finding. */
  void run(int count) throws IOException {
    try (FileChannel channel = FileChannel.open(dir.resolve("data"), StandardOpenOption.WRITE)) {
      data = channel;
      run(count, guest.memory().byteSize());
    }
  }

  /**
   * Replaces the contents of the file the guest opened as {@value #DATA_FD}, through a handle on
   * the same file: the guest may have renamed or unlinked its name.
   */
  private void rewriteData(byte[] contents) throws IOException {
    data.truncate(0);
    data.write(ByteBuffer.wrap(contents), 0);
  }

  private void run(int count, long size) throws IOException {
    MemorySegment memory = guest.memory();
    if (random.nextBoolean()) {
      byte[] noise = new byte[(int) size];
      random.nextBytes(noise);
      MemorySegment.copy(noise, 0, memory, ValueLayout.JAVA_BYTE, 0, noise.length);
    }
    openData(size);
    for (int i = 0; i < count; i++) {
      FuzzedCall call = next(size);
      check(i, call);
    }
  }

  /** path_open("data") with every right at fd {@value #DATA_FD}, the file the reads rewrite. */
  private void openData(long size) {
    MemorySegment m = guest.memory();
    byte[] name = "data".getBytes();
    MemorySegment.copy(name, 0, m, ValueLayout.JAVA_BYTE, 0, name.length);
    int errno = guest.call(WasiFunction.PATH_OPEN,
        new long[] {PREOPEN_FD, 0, 0, name.length, 0, Rights.ALL, Rights.ALL, 0, 8});
    if (errno != 0 || m.get(U32, 8) != DATA_FD) {
      throw new AssertionError("seed " + seed + ": could not open data: errno " + errno);
    }
  }

  private void check(int index, FuzzedCall call) {
    MemorySegment memory = guest.memory();
    byte[] before = memory.toArray(ValueLayout.JAVA_BYTE);
    int errno;
    try {
      errno = guest.call(call.function(), call.args());
    } catch (Throwable t) {
      throw finding(index, call, "the host function failed instead of answering an errno: " + t, t);
    }
    calls++;
    if (errno < 0 || errno > Errno.NOTCAPABLE.code()) {
      throw finding(index, call, "errno " + errno + " is no WASI errno", null);
    }
    String outside = guest.damageOutside();
    if (outside != null) {
      throw finding(index, call, outside, null);
    }
    byte[] after = guest.memory().toArray(ValueLayout.JAVA_BYTE);
    for (int at = 0; at < before.length; at++) {
      if (before[at] != after[at]) {
        if (errno != 0) {
          throw finding(index, call, "failed with " + Errno.of(errno) + " but wrote guest byte " + at, null);
        }
        if (!allowed(call.writable(), at)) {
          throw finding(index, call, "wrote guest byte " + at + ", outside " + call.writable(), null);
        }
      }
    }
  }

  private static boolean allowed(List<Range> ranges, long at) {
    for (Range r : ranges) {
      if (at >= r.start() && at - r.start() < r.length()) {
        return true;
      }
    }
    return false;
  }

  private AssertionError finding(int index, FuzzedCall call, String what, Throwable cause) {
    return new AssertionError(guest.describe() + ", sequence seed " + seed + ", call " + index + " ("
        + call + "): " + what + "\nreplay: scripts/fuzz-hostcalls 60 " + seed, cause);
  }

  // ------------------------------------------------------------------ making calls

  private FuzzedCall next(long size) throws IOException {
    int pick = random.nextInt(100);
    if (pick < 30) {
      return read(size);
    }
    if (pick < 38) {
      return write(size);
    }
    if (pick < 46) {
      return poll(size);
    }
    if (pick < 54) {
      return strings(size);
    }
    if (pick < 70) {
      return pathCall(size);
    }
    return descriptorCall(size);
  }

  /** fd_read / fd_pread, mostly of "data" rewritten with forged iovecs, over a hostile array. */
  private FuzzedCall read(long size) throws IOException {
    int fd = oneOf(DATA_FD, DATA_FD, DATA_FD, DATA_FD, 0, 1, PREOPEN_FD, 5, 77);
    boolean positioned = random.nextBoolean();
    if (fd == DATA_FD) {
      rewriteData(fileContents(size));
      if (!positioned) {
        // fd_read starts where the descriptor is: put it back at the start, as a call of its own,
        // before the read's arguments are laid out (it writes guest memory too).
        long ptr = pointer(size);
        check(-1, new FuzzedCall(WasiFunction.FD_SEEK, new long[] {fd, 0, Layouts.WHENCE_SET, ptr},
            List.of(new Range(ptr, 8))));
      }
    }
    int count = iovecCount();
    long array = arrayAt(size, count);
    writeIovecs(size, array, count);
    long nread = pointer(size);
    List<Range> writable = new ArrayList<>(iovecBuffers(size, array, count));
    writable.add(new Range(nread, 4));
    if (positioned) {
      long offset = oneOf(0L, 0L, 1L, 50L, 1L << 40, Long.MAX_VALUE, -1L);
      return new FuzzedCall(WasiFunction.FD_PREAD, new long[] {fd, array, count, offset, nread}, writable);
    }
    return new FuzzedCall(WasiFunction.FD_READ, new long[] {fd, array, count, nread}, writable);
  }

  private FuzzedCall write(long size) {
    int fd = oneOf(DATA_FD, 1, 2, 0, PREOPEN_FD);
    int count = iovecCount();
    long array = arrayAt(size, count);
    writeIovecs(size, array, count);
    long nwritten = pointer(size);
    List<Range> writable = List.of(new Range(nwritten, 4));
    if (random.nextBoolean()) {
      return new FuzzedCall(WasiFunction.FD_PWRITE,
          new long[] {fd, array, count, oneOf(0L, 7L, 1L << 20, -1L), nwritten}, writable);
    }
    return new FuzzedCall(WasiFunction.FD_WRITE, new long[] {fd, array, count, nwritten}, writable);
  }

  /**
   * poll_oneoff over subscriptions written where {@code in} points (clocks with timeouts of 0 up to
   * u64 max, reads and writes of good and bad descriptors, unknown types); the last one that fits
   * is a clock already due, so the call never sleeps.
   */
  private FuzzedCall poll(long size) {
    long n = oneOf(1L, 1L, 2L, 3L, 8L, 40L, 0L, 0x10001L, 0xFFFF_FFFFL);
    long in = pointer(size);
    long out = random.nextInt(4) == 0 ? in : pointer(size);
    long nevents = pointer(size);
    long fits = in < size ? (size - in) / Layouts.SUBSCRIPTION_SIZE : 0;
    long written = Math.min(n, fits);
    MemorySegment m = guest.memory();
    for (long i = 0; i < written; i++) {
      long at = in + i * Layouts.SUBSCRIPTION_SIZE;
      m.set(U64, at, random.nextLong());
      boolean last = i == written - 1;
      int type = last ? Layouts.EVENTTYPE_CLOCK : oneOf(0, 0, 1, 1, 2, 7);
      m.set(ValueLayout.JAVA_BYTE, at + 8, (byte) type);
      if (type == Layouts.EVENTTYPE_CLOCK) {
        boolean absolute = !last && random.nextBoolean();
        m.set(U32, at + Layouts.SUBSCRIPTION_CLOCK_ID, last ? Layouts.CLOCK_MONOTONIC : oneOf(0, 1, 2, 3, 9));
        m.set(U64, at + Layouts.SUBSCRIPTION_CLOCK_TIMEOUT, last ? 0
            : absolute ? oneOf(0L, 1L, -1L, Long.MIN_VALUE) : oneOf(0L, 1L, 1000L, -1L, Long.MIN_VALUE));
        m.set(U64, at + Layouts.SUBSCRIPTION_CLOCK_PRECISION, random.nextLong());
        m.set(ValueLayout.JAVA_SHORT_UNALIGNED, at + Layouts.SUBSCRIPTION_CLOCK_FLAGS,
            (short) (absolute ? Layouts.SUBCLOCKFLAG_ABSTIME : 0));
      } else {
        m.set(U32, at + Layouts.SUBSCRIPTION_FD, oneOf(0, 1, 2, DATA_FD, PREOPEN_FD, 99));
      }
    }
    return new FuzzedCall(WasiFunction.POLL_ONEOFF, new long[] {in, out, n, nevents},
        List.of(new Range(out, n * Layouts.EVENT_SIZE), new Range(nevents, 4)));
  }

  /** args/environ and their sizes, random_get, clocks. */
  private FuzzedCall strings(long size) {
    long a = pointer(size);
    long b = random.nextInt(4) == 0 ? a : pointer(size);
    return switch (random.nextInt(7)) {
      case 0 -> new FuzzedCall(WasiFunction.ARGS_GET, new long[] {a, b}, stringRanges(ARGS, a, b));
      case 1 -> new FuzzedCall(WasiFunction.ENVIRON_GET, new long[] {a, b}, stringRanges(ENV, a, b));
      case 2 -> new FuzzedCall(WasiFunction.ARGS_SIZES_GET, new long[] {a, b},
          List.of(new Range(a, 4), new Range(b, 4)));
      case 3 -> new FuzzedCall(WasiFunction.ENVIRON_SIZES_GET, new long[] {a, b},
          List.of(new Range(a, 4), new Range(b, 4)));
      case 4 -> {
        long length = length(size, a);
        yield new FuzzedCall(WasiFunction.RANDOM_GET, new long[] {a, length}, List.of(new Range(a, length)));
      }
      case 5 -> new FuzzedCall(WasiFunction.CLOCK_TIME_GET, new long[] {oneOf(0, 1, 2, 3, 4), random.nextLong(), a},
          List.of(new Range(a, 8)));
      default -> new FuzzedCall(WasiFunction.CLOCK_RES_GET, new long[] {oneOf(0, 1, 2, 3, 4), a},
          List.of(new Range(a, 8)));
    };
  }

  private static List<Range> stringRanges(List<String> strings, long pointers, long buffer) {
    long bytes = 0;
    for (String s : strings) {
      bytes += s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
    }
    return List.of(new Range(pointers, 4L * strings.size()), new Range(buffer, bytes));
  }

  /** The path_* calls, with names from {@link #NAMES} (or garbage) written at a hostile pointer. */
  private FuzzedCall pathCall(long size) {
    long path = pointer(size);
    long pathLength = placeName(size, path);
    long out = pointer(size);
    long flags = oneOf(0, 1, 0xFF);
    return switch (random.nextInt(8)) {
      case 0, 1 -> {
        // Rights and flags mostly reasonable, sometimes not: opened descriptors pile up from 5.
        long rights = random.nextInt(4) != 0 ? Rights.ALL : random.nextLong();
        yield new FuzzedCall(WasiFunction.PATH_OPEN, new long[] {PREOPEN_FD, flags, path, pathLength,
            oneOf(0, 1, 2, 8, 9, 15, 16), rights, rights, oneOf(0, 1, 4, 0x20), out}, List.of(new Range(out, 4)));
      }
      case 2 -> new FuzzedCall(WasiFunction.PATH_FILESTAT_GET, new long[] {PREOPEN_FD, flags, path, pathLength, out},
          List.of(new Range(out, Layouts.FILESTAT_SIZE)));
      case 3 -> {
        long buffer = pointer(size);
        long length = length(size, buffer);
        yield new FuzzedCall(WasiFunction.PATH_READLINK, new long[] {PREOPEN_FD, path, pathLength, buffer, length, out},
            List.of(new Range(buffer, length), new Range(out, 4)));
      }
      case 4 -> new FuzzedCall(WasiFunction.PATH_CREATE_DIRECTORY, new long[] {PREOPEN_FD, path, pathLength}, List.of());
      case 5 -> new FuzzedCall(WasiFunction.PATH_UNLINK_FILE, new long[] {PREOPEN_FD, path, pathLength}, List.of());
      case 6 -> new FuzzedCall(WasiFunction.PATH_SYMLINK, new long[] {path, pathLength, PREOPEN_FD, out, placeName(size, out)},
          List.of());
      default -> new FuzzedCall(WasiFunction.PATH_REMOVE_DIRECTORY, new long[] {PREOPEN_FD, path, pathLength}, List.of());
    };
  }

  /** Descriptor status, seeking, the directory listing, prestats, sockets, closing. */
  private FuzzedCall descriptorCall(long size) {
    int fd = oneOf(DATA_FD, DATA_FD, PREOPEN_FD, 0, 1, 5, 6, 7, 1000, -1);
    long ptr = pointer(size);
    return switch (random.nextInt(9)) {
      case 0 -> new FuzzedCall(WasiFunction.FD_FDSTAT_GET, new long[] {fd, ptr}, List.of(new Range(ptr, Layouts.FDSTAT_SIZE)));
      case 1 -> new FuzzedCall(WasiFunction.FD_FILESTAT_GET, new long[] {fd, ptr}, List.of(new Range(ptr, Layouts.FILESTAT_SIZE)));
      case 2 -> new FuzzedCall(WasiFunction.FD_PRESTAT_GET, new long[] {fd, ptr}, List.of(new Range(ptr, Layouts.PRESTAT_SIZE)));
      case 3 -> {
        long length = length(size, ptr);
        yield new FuzzedCall(WasiFunction.FD_PRESTAT_DIR_NAME, new long[] {fd, ptr, length}, List.of(new Range(ptr, length)));
      }
      case 4 -> {
        long used = pointer(size);
        long length = length(size, ptr);
        yield new FuzzedCall(WasiFunction.FD_READDIR, new long[] {oneOf(PREOPEN_FD, fd), ptr, length,
            oneOf(0L, 1L, 2L, 3L, 4L, 1L << 40, -1L), used}, List.of(new Range(ptr, length), new Range(used, 4)));
      }
      case 5 -> new FuzzedCall(WasiFunction.FD_SEEK, new long[] {fd, oneOf(0L, 5L, -5L, Long.MAX_VALUE, Long.MIN_VALUE),
          oneOf(0, 1, 2, 3), ptr}, List.of(new Range(ptr, 8)));
      case 6 -> new FuzzedCall(WasiFunction.FD_TELL, new long[] {fd, ptr}, List.of(new Range(ptr, 8)));
      case 7 -> new FuzzedCall(WasiFunction.SOCK_RECV, new long[] {fd, ptr, iovecCount(), 0, pointer(size), pointer(size)},
          List.of());
      default -> new FuzzedCall(WasiFunction.FD_CLOSE, new long[] {oneOf(5, 6, 7, 8, 1000)}, List.of());
    };
  }

  // ------------------------------------------------------------------ hostile values

  /** A guest pointer: anywhere in memory, at its ends, past it, near 2^32 (an unsigned u32). */
  private long pointer(long size) {
    int pick = random.nextInt(100);
    if (pick < 60) {
      return random.nextLong(size);
    }
    if (pick < 75) {
      return Math.max(0, size - 1 - random.nextInt(64));
    }
    return oneOf(0L, size, size + 16, 0xFFFF_FFF0L, 0x8000_0000L, 0xFFFF_FFFFL, size - 4);
  }

  /** A length for a buffer at {@code at}: small, up to the end of memory, or far too long. */
  private long length(long size, long at) {
    int pick = random.nextInt(100);
    if (pick < 55) {
      return random.nextInt(65);
    }
    if (pick < 75) {
      return at < size ? random.nextLong(size - at + 1) : random.nextInt(65);
    }
    return oneOf(0L, size, size - at, size - at + 1, 0xFFFF_FFFFL, 0x8000_0000L) & 0xFFFF_FFFFL;
  }

  private int iovecCount() {
    int pick = random.nextInt(100);
    if (pick < 30) {
      return random.nextInt(5);
    }
    if (pick < 50) {
      return 5 + random.nextInt(60);
    }
    if (pick < 90) {
      return GuestIovecs.MAX_ENTRIES - 24 + random.nextInt(100);
    }
    return oneOf(0x2000_0000, -1, 17_000);
  }

  /** Where an array of {@code count} iovecs goes: mostly where it fits. */
  private long arrayAt(long size, int count) {
    long bytes = Integer.toUnsignedLong(count) * Layouts.IOVEC_SIZE;
    if (bytes < size && random.nextInt(10) != 0) {
      return random.nextLong(size - bytes + 1) & ~3L;
    }
    return pointer(size);
  }

  /**
   * Fills the entries of the array that lie in memory: a quarter point back into the array itself
   * (a read then writes over entries it has not used yet), most name small buffers, and in some
   * arrays a few are wild (one wild entry fails the whole call, so most arrays have none).
   */
  private void writeIovecs(long size, long array, int count) {
    MemorySegment m = guest.memory();
    int wildPerMille = oneOf(0, 0, 0, 1, 100);
    long entries = Math.min(Integer.toUnsignedLong(count), 20_000);
    for (long i = 0; i < entries; i++) {
      long at = array + i * Layouts.IOVEC_SIZE;
      if (at + Layouts.IOVEC_SIZE > size) {
        return;
      }
      long buffer;
      long length;
      if (random.nextInt(1000) < wildPerMille) {
        buffer = pointer(size);
        length = length(size, buffer);
      } else if (random.nextInt(4) == 0) {
        buffer = array + Layouts.IOVEC_SIZE * random.nextLong(Integer.toUnsignedLong(count) + 2);
        length = Layouts.IOVEC_SIZE * (1 + random.nextInt(3));
      } else {
        length = random.nextInt(16);
        buffer = random.nextLong(size - length);
      }
      m.set(U32, at, (int) buffer);
      m.set(U32, at + 4, (int) length);
    }
  }

  /** The buffers the iovec array names as it is now, before the call: where a read may write. */
  private List<Range> iovecBuffers(long size, long array, int count) {
    List<Range> out = new ArrayList<>();
    long bytes = Integer.toUnsignedLong(count) * Layouts.IOVEC_SIZE;
    if (array + bytes > size) {
      return out; // the array is not in memory: the call must fail and write nothing
    }
    MemorySegment m = guest.memory();
    for (long i = 0; i < Integer.toUnsignedLong(count); i++) {
      long at = array + i * Layouts.IOVEC_SIZE;
      out.add(new Range(Integer.toUnsignedLong(m.get(U32, at)), Integer.toUnsignedLong(m.get(U32, at + 4))));
    }
    return out;
  }

  /** File bytes made of forged iovec entries and pointers, with noise between them. */
  private byte[] fileContents(long size) {
    int length = random.nextBoolean() ? random.nextInt(64) : 1024 + random.nextInt(20_000);
    ByteBuffer out = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (out.remaining() >= 8) {
      int pick = random.nextInt(10);
      if (pick < 4) {
        long buffer = pointer(size);
        out.putInt((int) buffer).putInt((int) (random.nextBoolean() ? random.nextInt(256) : length(size, buffer)));
      } else if (pick < 6) {
        out.putInt((int) pointer(size)).putInt(random.nextInt());
      } else {
        out.putLong(random.nextLong());
      }
    }
    return out.array();
  }

  /** Writes one of {@link #NAMES} (or noise) at {@code at} if it fits; returns the length to pass. */
  private long placeName(long size, long at) {
    byte[] name = random.nextInt(10) == 0 ? randomBytes(random.nextInt(12))
        : NAMES[random.nextInt(NAMES.length)].getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (at + name.length <= size) {
      MemorySegment.copy(name, 0, guest.memory(), ValueLayout.JAVA_BYTE, at, name.length);
    }
    return random.nextInt(10) == 0 ? length(size, at) : name.length;
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private int oneOf(int... choices) {
    return choices[random.nextInt(choices.length)];
  }

  private long oneOf(long... choices) {
    return choices[random.nextInt(choices.length)];
  }
}
