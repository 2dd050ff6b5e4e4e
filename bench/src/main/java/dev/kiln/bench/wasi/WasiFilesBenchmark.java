package dev.kiln.bench.wasi;

import dev.kiln.bench.ScratchFolders;
import dev.kiln.wasi.Preopen;
import dev.kiln.wasi.WasiConfig;
import dev.kiln.wasi.WasiPreview1;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The host side of a guest that works with many files: the WASI calls themselves, made on a
 * native guest memory as a compiled guest's upcalls make them, so the cost of resolving paths
 * beneath a preopen (and of the I/O behind them) is measured without the wasm around it. Paths are
 * nested three directories deep, the case where resolution does per-component work.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class WasiFilesBenchmark {
  private static final int PREOPEN = 3;
  private static final long READ_RIGHTS = 0x2; // fd_read
  private static final long FILE_RIGHTS = 0x2 | 0x40; // fd_read, fd_write
  private static final int LOOKUP_FOLLOW = 1;
  private static final int OFLAG_CREAT = 1;
  private static final ValueLayout.OfInt I32 =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private Path dir;
  private WasiPreview1 wasi;
  private MemorySegment memory;
  // Guest addresses: strings, an out-parameter, an iovec over a 4 KiB buffer, a filestat.
  private final int nested = 1024;
  private int nestedLength;
  private final int scratch = 2048;
  private int scratchLength;
  private final int out = 16;
  private final int iovec = 64;
  private final int stat = 256;
  private final int buffer = 8192;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("kiln-wasi-bench");
    Files.createDirectories(dir.resolve("a/b/c"));
    Files.write(dir.resolve("a/b/c/file.txt"), new byte[4096]);
    wasi = new WasiPreview1(WasiConfig.builder().preopen(new Preopen(dir, ".")).build());
    memory = Arena.ofShared().allocate(1 << 16, 16);
    nestedLength = put(nested, "a/b/c/file.txt");
    scratchLength = put(scratch, "a/b/c/scratch.tmp");
    memory.set(I32, iovec, buffer);
    memory.set(I32, iovec + 4, 4096);
  }

  private int put(int at, String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    MemorySegment.copy(utf8, 0, memory, ValueLayout.JAVA_BYTE, at, utf8.length);
    return utf8.length;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    wasi.close();
    ScratchFolders.delete(dir);
  }

  private static void ok(int errno) {
    if (errno != 0) {
      throw new IllegalStateException("WASI errno " + errno);
    }
  }

  /** path_open of a nested file, fd_read of 4 KiB, fd_close. */
  @Benchmark
  public int openReadClose() {
    ok(wasi.path().open(memory, PREOPEN, LOOKUP_FOLLOW, nested, nestedLength, 0, READ_RIGHTS, 0, 0,
        out));
    int fd = memory.get(I32, out);
    ok(wasi.fd().read(memory, fd, iovec, 1, out));
    int n = memory.get(I32, out);
    ok(wasi.fd().close(fd));
    return n;
  }

  /** path_filestat_get of a nested file, following links. */
  @Benchmark
  public long statNested() {
    ok(wasi.path().filestatGet(memory, PREOPEN, LOOKUP_FOLLOW, nested, nestedLength, stat));
    return memory.get(ValueLayout.JAVA_LONG_UNALIGNED, stat + 32);
  }

  /** path_open(O_CREAT) of a new nested file, fd_close, path_unlink_file. */
  @Benchmark
  public void createCloseUnlink() {
    ok(wasi.path().open(memory, PREOPEN, LOOKUP_FOLLOW, scratch, scratchLength, OFLAG_CREAT,
        FILE_RIGHTS, 0, 0, out));
    ok(wasi.fd().close(memory.get(I32, out)));
    ok(wasi.path().unlinkFile(memory, PREOPEN, scratch, scratchLength));
  }
}
