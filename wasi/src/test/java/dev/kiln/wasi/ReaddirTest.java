package dev.kiln.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
