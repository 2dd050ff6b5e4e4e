package dev.kiln.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.FileType;
import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.abi.Rights;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FdFunctionsTest {
  @TempDir Path dir;

  private static final long RW = Rights.REGULAR_FILE;
  private static final long READ_ONLY = Rights.of(Rights.FD_READ, Rights.FD_SEEK, Rights.FD_TELL,
      Rights.FD_FILESTAT_GET);

  @Test
  void writeGathersIovecsToStdoutAndStderr() throws Exception {
    Guest g = new Guest(dir);
    int iovs = g.alloc(16);
    int a = g.string("hello, ");
    int b = g.string("world\n");
    g.view.putI32(iovs, a);
    g.view.putI32(iovs + 4, 7);
    g.view.putI32(iovs + 8, b);
    g.view.putI32(iovs + 12, 6);
    int n = g.alloc(4);
    assertEquals(0, g.wasi.fd().write(g.memory, 1, iovs, 2, n));
    assertEquals(13, g.view.i32(n));
    assertEquals("hello, world\n", g.stdout.toString());
    g.write(2, "oops");
    assertEquals("oops", g.stderr.toString());
  }

  @Test
  void streamWritesLargerThanAChunkArriveWholeAndInOrder() throws Exception {
    Guest g = new Guest(dir);
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() < 3 * FdFunctions.STREAM_CHUNK / 2; i++) {
      text.append(i).append(',');
    }
    assertEquals(text.length(), g.write(1, text.toString()));
    assertEquals(text.toString(), g.stdout.toString());
  }

  @Test
  void readFromStdinUntilEnd() throws Exception {
    Guest g = new Guest(dir, "abcdef", WasiConfig.builder());
    assertEquals("abcd", g.read(0, 4));
    assertEquals("ef", g.read(0, 4));
    assertEquals("", g.read(0, 4));
  }

  @Test
  void streamsHaveNoOffsetAndDirectionalRights() throws Exception {
    Guest g = new Guest(dir);
    int out = g.alloc(8);
    assertEquals(Errno.SPIPE.code(), g.wasi.fd().seek(g.memory, 1, 0, Layouts.WHENCE_SET, out));
    assertEquals(Errno.SPIPE.code(), g.wasi.fd().tell(g.memory, 0, out));
    int buf = g.alloc(4);
    assertEquals(Errno.NOTCAPABLE.code(), g.wasi.fd().read(g.memory, 1, g.iovec(buf, 4), 1, out));
    assertEquals(Errno.NOTCAPABLE.code(), g.wasi.fd().write(g.memory, 0, g.iovec(buf, 4), 1, out));
  }

  @Test
  void fileWriteSeekTellReadPreadPwrite() throws Exception {
    Guest g = new Guest(dir);
    int fd = g.openOk("data.txt", Layouts.OFLAG_CREAT, RW);
    assertEquals(4, fd, "lowest free number after the preopen");
    assertEquals(10, g.write(fd, "0123456789"));
    int pos = g.alloc(8);
    assertEquals(0, g.wasi.fd().tell(g.memory, fd, pos));
    assertEquals(10, g.view.i64(pos));
    assertEquals(0, g.wasi.fd().seek(g.memory, fd, -4, Layouts.WHENCE_END, pos));
    assertEquals(6, g.view.i64(pos));
    assertEquals("6789", g.read(fd, 100));
    assertEquals(0, g.wasi.fd().seek(g.memory, fd, 2, Layouts.WHENCE_SET, pos));
    assertEquals(0, g.wasi.fd().seek(g.memory, fd, 1, Layouts.WHENCE_CUR, pos));
    assertEquals(3, g.view.i64(pos));
    assertEquals(Errno.INVAL.code(), g.wasi.fd().seek(g.memory, fd, -1, Layouts.WHENCE_SET, pos));
    assertEquals(Errno.INVAL.code(), g.wasi.fd().seek(g.memory, fd, 0, 3, pos));

    int buf = g.alloc(3);
    int n = g.alloc(4);
    assertEquals(0, g.wasi.fd().pread(g.memory, fd, g.iovec(buf, 3), 1, 7, n));
    assertEquals("789", g.text(buf, g.view.i32(n)));
    int x = g.string("XY");
    assertEquals(0, g.wasi.fd().pwrite(g.memory, fd, g.iovec(x, 2), 1, 0, n));
    assertEquals(2, g.view.i32(n));
    assertEquals(0, g.wasi.fd().tell(g.memory, fd, pos));
    assertEquals(3, g.view.i64(pos), "pread/pwrite leave the offset alone");
    assertEquals("XY23456789", Files.readString(dir.resolve("data.txt")));
  }

  @Test
  void readOnlyFileRefusesWrites() throws Exception {
    Files.writeString(dir.resolve("ro.txt"), "content");
    Guest g = new Guest(dir);
    int fd = g.openOk("ro.txt", 0, READ_ONLY);
    assertEquals("content", g.read(fd, 100));
    int n = g.alloc(4);
    int b = g.string("x");
    assertEquals(Errno.NOTCAPABLE.code(), g.wasi.fd().write(g.memory, fd, g.iovec(b, 1), 1, n));
    assertEquals(Errno.NOTCAPABLE.code(), g.wasi.fdStatus().filestatSetSize(fd, 0));
  }

  @Test
  void appendFlagWritesAtTheEnd() throws Exception {
    Files.writeString(dir.resolve("log"), "first\n");
    Guest g = new Guest(dir);
    int fd = g.openOk("log", 0, RW);
    assertEquals(0, g.wasi.fdStatus().fdstatSetFlags(fd, Layouts.FDFLAG_APPEND));
    g.write(fd, "second\n");
    assertEquals("first\nsecond\n", Files.readString(dir.resolve("log")));
    assertEquals(Errno.INVAL.code(), g.wasi.fdStatus().fdstatSetFlags(fd, 64));
  }

  @Test
  void badDescriptorsCloseAndRenumber() throws Exception {
    Guest g = new Guest(dir);
    int n = g.alloc(4);
    int buf = g.alloc(4);
    assertEquals(Errno.BADF.code(), g.wasi.fd().read(g.memory, 9, g.iovec(buf, 4), 1, n));
    assertEquals(Errno.BADF.code(), g.wasi.fd().close(-1));
    int a = g.openOk("a", Layouts.OFLAG_CREAT, RW);
    int b = g.openOk("b", Layouts.OFLAG_CREAT, RW);
    g.write(a, "from a");
    assertEquals(0, g.wasi.fd().renumber(a, b));
    assertEquals(Errno.BADF.code(), g.wasi.fd().close(a));
    g.write(b, "!");
    assertEquals("from a!", Files.readString(dir.resolve("a")));
    assertEquals(Errno.BADF.code(), g.wasi.fd().renumber(b, 42));
    assertEquals(0, g.wasi.fd().close(b));
    assertEquals(Errno.BADF.code(), g.wasi.fd().close(b));
    assertEquals(a, g.openOk("a", 0, RW), "a closed number is reused");
  }

  @Test
  void directoriesAreNotByteStreams() throws Exception {
    Guest g = new Guest(dir);
    int n = g.alloc(8);
    int buf = g.alloc(4);
    assertEquals(Errno.ISDIR.code(), g.wasi.fd().read(g.memory, 3, g.iovec(buf, 4), 1, n));
    assertEquals(Errno.ISDIR.code(), g.wasi.fd().seek(g.memory, 3, 0, 0, n));
    assertEquals(Errno.ISDIR.code(), g.wasi.fd().advise(3, 0, 0, 0));
  }

  @Test
  void fdstatReportsTypeFlagsAndRights() throws Exception {
    Guest g = new Guest(dir);
    int st = g.alloc(Layouts.FDSTAT_SIZE);
    assertEquals(0, g.wasi.fdStatus().fdstatGet(g.memory, 1, st));
    assertEquals(FileType.CHARACTER_DEVICE.code(), g.view.u8(st));
    assertEquals(0, g.view.i64(st + 8) & Rights.FD_SEEK.bit());
    assertEquals(0, g.wasi.fdStatus().fdstatGet(g.memory, 3, st));
    assertEquals(FileType.DIRECTORY.code(), g.view.u8(st));
    assertEquals(Rights.DIRECTORY, g.view.i64(st + 8));
    assertEquals(Rights.ALL, g.view.i64(st + 16));
    int fd = g.openOk("f", Layouts.OFLAG_CREAT, READ_ONLY);
    assertEquals(0, g.wasi.fdStatus().fdstatGet(g.memory, fd, st));
    assertEquals(FileType.REGULAR_FILE.code(), g.view.u8(st));
    assertEquals(READ_ONLY, g.view.i64(st + 8));
    assertEquals(Errno.BADF.code(), g.wasi.fdStatus().fdstatGet(g.memory, 77, st));
  }

  @Test
  void setRightsOnlyRemoves() throws Exception {
    Guest g = new Guest(dir);
    int fd = g.openOk("f", Layouts.OFLAG_CREAT, READ_ONLY);
    assertEquals(Errno.NOTCAPABLE.code(), g.wasi.fdStatus().fdstatSetRights(fd, RW, 0));
    assertEquals(0, g.wasi.fdStatus().fdstatSetRights(fd, Rights.FD_SEEK.bit(), 0));
    int n = g.alloc(4);
    int buf = g.alloc(4);
    assertEquals(Errno.NOTCAPABLE.code(), g.wasi.fd().read(g.memory, fd, g.iovec(buf, 4), 1, n));
  }

  @Test
  void filestatSizeTimesAndAllocate() throws Exception {
    Guest g = new Guest(dir);
    int fd = g.openOk("f", Layouts.OFLAG_CREAT, RW);
    g.write(fd, "12345");
    int st = g.alloc(Layouts.FILESTAT_SIZE);
    assertEquals(0, g.wasi.fdStatus().filestatGet(g.memory, fd, st));
    assertEquals(FileType.REGULAR_FILE.code(), g.view.u8(st + Layouts.FILESTAT_FILETYPE));
    assertEquals(5, g.view.i64(st + Layouts.FILESTAT_SIZE_FIELD));
    assertEquals(1, g.view.i64(st + Layouts.FILESTAT_NLINK));
    assertEquals(Files.getAttribute(dir.resolve("f"), "unix:ino"), g.view.i64(st + Layouts.FILESTAT_INO));

    assertEquals(0, g.wasi.fdStatus().filestatSetSize(fd, 2));
    assertEquals("12", Files.readString(dir.resolve("f")));
    assertEquals(0, g.wasi.fdStatus().filestatSetSize(fd, 4));
    assertEquals("12\0\0", Files.readString(dir.resolve("f")));
    assertEquals(0, g.wasi.fd().allocate(fd, 10, 6));
    assertEquals(16, Files.size(dir.resolve("f")));
    assertEquals(0, g.wasi.fd().allocate(fd, 0, 1));
    assertEquals(16, Files.size(dir.resolve("f")), "allocate never shrinks");

    long mtime = 1_600_000_000_123_456_789L;
    assertEquals(0, g.wasi.fdStatus().filestatSetTimes(fd, 0, mtime, Layouts.FSTFLAG_MTIM));
    FileTime t = Files.getLastModifiedTime(dir.resolve("f"));
    assertEquals(mtime / 1000, t.to(TimeUnit.MICROSECONDS), "set to the microsecond at least");
    assertEquals(Errno.INVAL.code(), g.wasi.fdStatus().filestatSetTimes(fd, 0, 0,
        Layouts.FSTFLAG_ATIM | Layouts.FSTFLAG_ATIM_NOW));
    assertEquals(0, g.wasi.fd().sync(fd));
    assertEquals(0, g.wasi.fd().datasync(fd));
    assertEquals(0, g.wasi.fd().advise(fd, 0, 16, 2));
    assertEquals(Errno.INVAL.code(), g.wasi.fd().advise(fd, 0, 16, 6));
  }

  @Test
  void prestatNamesThePreopenAndEndsWithBadf() throws Exception {
    Guest g = new Guest(dir);
    int ps = g.alloc(8);
    assertEquals(0, g.wasi.fdStatus().prestatGet(g.memory, 3, ps));
    assertEquals(Layouts.PREOPENTYPE_DIR, g.view.u8(ps));
    assertEquals(1, g.view.i32(ps + 4));
    int name = g.alloc(4);
    assertEquals(0, g.wasi.fdStatus().prestatDirName(g.memory, 3, name, 1));
    assertEquals(".", g.text(name, 1));
    assertEquals(Errno.NAMETOOLONG.code(), g.wasi.fdStatus().prestatDirName(g.memory, 3, name, 0));
    assertEquals(Errno.BADF.code(), g.wasi.fdStatus().prestatGet(g.memory, 4, ps));
    assertEquals(Errno.BADF.code(), g.wasi.fdStatus().prestatGet(g.memory, 1, ps));
  }

  @Test
  void fdWriteOfManyBytesIsExact() throws Exception {
    Guest g = new Guest(dir);
    int fd = g.openOk("big", Layouts.OFLAG_CREAT | Layouts.OFLAG_TRUNC, RW);
    String text = "x".repeat(20_000);
    assertEquals(20_000, g.write(fd, text));
    assertEquals(text, new String(Files.readAllBytes(dir.resolve("big")), StandardCharsets.UTF_8));
  }
}
