package dev.kiln.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.FileType;
import dev.kiln.wasi.abi.Layouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReaddirTest {
  @TempDir Path dir;

  private record Dirent(long next, long ino, String name, int type) {}

  /** Parses whole dirents from a buffer the way wasi-libc's readdir does. */
  private static List<Dirent> parse(Guest g, int buf, int used) {
    List<Dirent> out = new ArrayList<>();
    int at = 0;
    while (at + Layouts.DIRENT_SIZE <= used) {
      int base = buf + at;
      int namlen = g.view.i32(base + Layouts.DIRENT_NAMLEN);
      if (at + Layouts.DIRENT_SIZE + namlen > used) {
        break;
      }
      out.add(new Dirent(g.view.i64(base), g.view.i64(base + Layouts.DIRENT_INO),
          g.text(base + Layouts.DIRENT_SIZE, namlen), g.view.u8(base + Layouts.DIRENT_TYPE)));
      at += Layouts.DIRENT_SIZE + namlen;
    }
    return out;
  }

  @Test
  void listsDotDotDotThenSortedEntriesWithTypesAndCookies() throws Exception {
    Files.writeString(dir.resolve("b.txt"), "b");
    Files.createDirectory(dir.resolve("a"));
    Files.createSymbolicLink(dir.resolve("c"), Path.of("b.txt"));
    Guest g = new Guest(dir);
    int buf = g.alloc(1024);
    int used = g.alloc(4);
    assertEquals(0, g.wasi.fdStatus().readdir(g.memory, 3, buf, 1024, 0, used));
    List<Dirent> all = parse(g, buf, g.view.i32(used));
    assertEquals(List.of(".", "..", "a", "b.txt", "c"), all.stream().map(Dirent::name).toList());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), all.stream().map(Dirent::next).toList());
    assertEquals(FileType.DIRECTORY.code(), all.get(2).type());
    assertEquals(FileType.REGULAR_FILE.code(), all.get(3).type());
    assertEquals(FileType.SYMBOLIC_LINK.code(), all.get(4).type());
    assertEquals(Files.getAttribute(dir.resolve("b.txt"), "unix:ino"), all.get(3).ino());
    assertEquals(5 * Layouts.DIRENT_SIZE + 1 + 2 + 1 + 5 + 1, g.view.i32(used));

    // Resume from the cookie of "a": the rest, from "b.txt".
    assertEquals(0, g.wasi.fdStatus().readdir(g.memory, 3, buf, 1024, 3, used));
    assertEquals(List.of("b.txt", "c"), parse(g, buf, g.view.i32(used)).stream().map(Dirent::name).toList());
    assertEquals(0, g.wasi.fdStatus().readdir(g.memory, 3, buf, 1024, 5, used));
    assertEquals(0, g.view.i32(used));
  }

  @Test
  void aSmallBufferIsFilledCompletelyAndReadingResumesFromTheLastWholeEntry() throws Exception {
    for (int i = 0; i < 20; i++) {
      Files.writeString(dir.resolve("file" + (char) ('a' + i)), "");
    }
    Guest g = new Guest(dir);
    int buf = g.alloc(100);
    int used = g.alloc(4);
    List<String> names = new ArrayList<>();
    long cookie = 0;
    for (int calls = 0; calls < 100; calls++) {
      assertEquals(0, g.wasi.fdStatus().readdir(g.memory, 3, buf, 100, cookie, used));
      int n = g.view.i32(used);
      List<Dirent> got = parse(g, buf, n);
      got.forEach(d -> names.add(d.name()));
      if (n < 100) {
        break;
      }
      assertEquals(100, n, "a full buffer means more entries");
      cookie = got.getLast().next();
    }
    assertEquals(22, names.size());
    assertEquals("filea", names.get(2));
    assertEquals("filet", names.getLast());
  }

  @Test
  void readdirNeedsADirectory() throws Exception {
    Guest g = new Guest(dir);
    int buf = g.alloc(64);
    assertEquals(Errno.NOTDIR.code(), g.wasi.fdStatus().readdir(g.memory, 1, buf, 64, 0, buf));
    assertEquals(Errno.BADF.code(), g.wasi.fdStatus().readdir(g.memory, 8, buf, 64, 0, buf));
  }

  /** Pages through the directory open as {@code fd} with a buffer of {@code size}; returns the names. */
  private static List<String> page(Guest g, int fd, int size) {
    int buf = g.alloc(size);
    int used = g.alloc(4);
    List<String> names = new ArrayList<>();
    long cookie = 0;
    while (true) {
      assertEquals(0, g.wasi.fdStatus().readdir(g.memory, fd, buf, size, cookie, used));
      int n = g.view.i32(used);
      List<Dirent> got = parse(g, buf, n);
      got.forEach(d -> names.add(d.name()));
      if (n < size) {
        return names;
      }
      cookie = got.getLast().next();
    }
  }

  /**
   * Issue 35: paging through a directory of N entries lists it once (N entries read from the
   * kernel), not once per call; it used to cost N per call, here some 250 calls.
   */
  @Test
  void pagingThroughADirectoryListsItOnce() throws Exception {
    int files = 2000;
    for (int i = 0; i < files; i++) {
      Files.createFile(dir.resolve(String.format("entry%05d", i)));
    }
    Guest g = new Guest(dir);
    List<String> names = page(g, 3, 300);
    assertEquals(files + 2, names.size());
    assertEquals("entry01999", names.getLast());
    assertEquals(files + 2, g.wasi.context().directorySnapshots().entriesListed());
    // Cookie 0 again lists the directory as it is now (rewinddir), new entries included.
    Files.createFile(dir.resolve("zz-new"));
    assertEquals("zz-new", page(g, 3, 300).getLast());
    assertEquals(2L * (files + 2) + 1, g.wasi.context().directorySnapshots().entriesListed());
  }

  /**
   * A descriptor whose kept listing was dropped (more directories read since than are kept) lists
   * its directory again at its next cookie and goes on where it was.
   */
  @Test
  void aDroppedListingIsTakenAgainAndPagingGoesOn() throws Exception {
    int dirs = dev.kiln.wasi.fs.DirectorySnapshots.MAX_KEPT + 1;
    for (int d = 0; d < dirs; d++) {
      Path sub = Files.createDirectory(dir.resolve("d" + d));
      for (int i = 0; i < 30; i++) {
        Files.createFile(sub.resolve("f" + i));
      }
    }
    Guest g = new Guest(dir);
    int[] fds = new int[dirs];
    int buf = g.alloc(200);
    int used = g.alloc(4);
    long[] cookies = new long[dirs];
    for (int d = 0; d < dirs; d++) {
      fds[d] = g.openOk("d" + d, Layouts.OFLAG_DIRECTORY, dev.kiln.wasi.abi.Rights.FD_READDIR.bit());
      assertEquals(0, g.wasi.fdStatus().readdir(g.memory, fds[d], buf, 200, 0, used));
      cookies[d] = parse(g, buf, g.view.i32(used)).getLast().next();
    }
    long listed = g.wasi.context().directorySnapshots().entriesListed();
    assertEquals(0, g.wasi.fdStatus().readdir(g.memory, fds[0], buf, 200, cookies[0], used));
    assertEquals(listed + 32, g.wasi.context().directorySnapshots().entriesListed(), "d0's listing was dropped");
    assertEquals(0, g.wasi.fdStatus().readdir(g.memory, fds[dirs - 1], buf, 200, cookies[dirs - 1], used));
    assertEquals(listed + 32, g.wasi.context().directorySnapshots().entriesListed(), "the last one's was kept");
  }

  /** A call over many entries with room for them all asks the deadline between slices of them. */
  @Test
  void aLargeBufferOverManyEntriesEndsAtTheDeadline() throws Exception {
    for (int i = 0; i < 2 * FdStatusFunctions.DIRENTS_PER_CHECK; i++) {
      Files.createFile(dir.resolve("n" + i));
    }
    Guest g = new Guest(dir);
    int size = 100_000;
    int buf = g.alloc(size);
    int used = g.alloc(4);
    assertEquals(0, g.wasi.fdStatus().readdir(g.memory, 3, buf, 64, 0, used)); // takes the listing
    CountingLimit limit = new CountingLimit(0);
    g.wasi.context().waitLimit(limit);
    assertThrows(CountingLimit.Reached.class,
        () -> g.wasi.fdStatus().readdir(g.memory, 3, buf, size, 1, used));
    assertEquals(1, limit.checks);
  }

  /** Listing a directory asks the deadline between getdents64 buffers. */
  @Test
  void listingAHugeDirectoryEndsAtTheDeadline() throws Exception {
    for (int i = 0; i < 3000; i++) {
      Files.createFile(dir.resolve(String.format("a-rather-long-name-for-entry-%05d", i)));
    }
    Guest g = new Guest(dir);
    int buf = g.alloc(64);
    CountingLimit limit = new CountingLimit(0);
    g.wasi.context().waitLimit(limit);
    assertThrows(CountingLimit.Reached.class, () -> g.wasi.fdStatus().readdir(g.memory, 3, buf, 64, 0, buf + 32));
    assertEquals(0, g.wasi.context().directorySnapshots().entriesListed());
  }
}
