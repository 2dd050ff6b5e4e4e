package dev.kiln.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.FileType;
import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.abi.Rights;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** path_* and the sandbox: escapes through "..", absolute paths and symlinks; errnos. */
class PathFunctionsTest {
  @TempDir Path temp;
  private Path root;
  private Path outside;
  private Guest g;

  @BeforeEach
  void setUp() throws Exception {
    root = Files.createDirectory(temp.resolve("root"));
    outside = Files.writeString(temp.resolve("secret.txt"), "secret");
    Files.createDirectory(root.resolve("sub"));
    Files.writeString(root.resolve("sub/file.txt"), "inside");
    g = new Guest(root);
  }

  private int errnoOpen(String path, int oflags) {
    return g.open(path, oflags, Rights.REGULAR_FILE)[0];
  }

  @Test
  void dotDotCannotLeaveThePreopen() {
    assertEquals(Errno.NOTCAPABLE.code(), errnoOpen("../secret.txt", 0));
    assertEquals(Errno.NOTCAPABLE.code(), errnoOpen("sub/../../secret.txt", 0));
    assertEquals(Errno.NOTCAPABLE.code(), errnoOpen("./sub/./../..", 0));
    assertEquals(0, errnoOpen("sub/../sub/./file.txt", 0));
  }

  @Test
  void absolutePathsAreRefused() {
    assertEquals(Errno.NOTCAPABLE.code(), errnoOpen(outside.toString(), 0));
    assertEquals(Errno.NOTCAPABLE.code(), errnoOpen("/", 0));
  }

  @Test
  void symlinksCannotLeaveThePreopen() throws Exception {
    Files.createSymbolicLink(root.resolve("abs"), outside);
    Files.createSymbolicLink(root.resolve("up"), Path.of("../secret.txt"));
    Files.createSymbolicLink(root.resolve("updir"), Path.of(".."));
    assertEquals(Errno.NOTCAPABLE.code(), errnoOpen("abs", 0));
    assertEquals(Errno.NOTCAPABLE.code(), errnoOpen("up", 0));
    assertEquals(Errno.NOTCAPABLE.code(), errnoOpen("updir/secret.txt", 0));
    assertEquals(Errno.NOTCAPABLE.code(), errnoOpen("sub/../updir/root/sub/file.txt", 0));
  }

  @Test
  void symlinksInsideThePreopenAreFollowed() throws Exception {
    Files.createSymbolicLink(root.resolve("link"), Path.of("sub/file.txt"));
    Files.createSymbolicLink(root.resolve("sub/back"), Path.of("../sub"));
    int fd = g.openOk("link", 0, Rights.REGULAR_FILE);
    assertEquals("inside", g.read(fd, 100));
    int fd2 = g.openOk("sub/back/back/file.txt", 0, Rights.REGULAR_FILE);
    assertEquals("inside", g.read(fd2, 100));
  }

  @Test
  void finalSymlinkWithoutFollowIsLoopAndLoopsAreLoop() throws Exception {
    Files.createSymbolicLink(root.resolve("link"), Path.of("sub/file.txt"));
    int out = g.alloc(4);
    String p = "link";
    assertEquals(Errno.LOOP.code(), g.wasi.path().open(g.memory, 3, 0, g.string(p), 4, 0,
        Rights.REGULAR_FILE, 0, 0, out));
    Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
    Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
    assertEquals(Errno.LOOP.code(), errnoOpen("a", 0));
  }

  @Test
  void openErrnos() throws Exception {
    assertEquals(Errno.NOENT.code(), errnoOpen("missing", 0));
    assertEquals(Errno.NOENT.code(), errnoOpen("nodir/x", Layouts.OFLAG_CREAT));
    assertEquals(Errno.NOTDIR.code(), errnoOpen("sub/file.txt/x", 0));
    assertEquals(Errno.NOTDIR.code(), errnoOpen("sub/file.txt/", 0));
    assertEquals(Errno.NOTDIR.code(), errnoOpen("sub/file.txt", Layouts.OFLAG_DIRECTORY));
    assertEquals(Errno.EXIST.code(), errnoOpen("sub/file.txt", Layouts.OFLAG_CREAT | Layouts.OFLAG_EXCL));
    assertEquals(Errno.ISDIR.code(), errnoOpen("sub", 0)); // write rights on a directory
    assertEquals(Errno.NOENT.code(), errnoOpen("", 0));
    assertEquals(Errno.ILSEQ.code(), g.wasi.path().open(g.memory, 3, 0,
        g.bytes(new byte[] {(byte) 0xff}), 1, 0, 0, 0, 0, g.alloc(4)));
    assertEquals(Errno.NOTDIR.code(), g.wasi.path().open(g.memory, 1, 0, g.string("x"), 1, 0, 0, 0,
        0, g.alloc(4)));
    assertEquals(Errno.BADF.code(), g.wasi.path().open(g.memory, 99, 0, g.string("x"), 1, 0, 0, 0,
        0, g.alloc(4)));
  }

  @Test
  void openedDirectoryIsSandboxedToo() {
    int sub = g.openOk("sub", Layouts.OFLAG_DIRECTORY, Rights.DIRECTORY);
    int out = g.alloc(4);
    String p = "file.txt";
    assertEquals(0, g.wasi.path().open(g.memory, sub, 0, g.string(p), Guest.len(p), 0,
        Rights.REGULAR_FILE, 0, 0, out));
    assertEquals("inside", g.read(g.view.i32(out), 100));
    String up = "../../secret.txt";
    assertEquals(Errno.NOTCAPABLE.code(), g.wasi.path().open(g.memory, sub, 0, g.string(up),
        Guest.len(up), 0, Rights.REGULAR_FILE, 0, 0, out));
    String sibling = "../sub/file.txt"; // ".." never climbs above the descriptor resolved from
    assertEquals(Errno.NOTCAPABLE.code(), g.wasi.path().open(g.memory, sub, 0, g.string(sibling),
        Guest.len(sibling), 0, Rights.REGULAR_FILE, 0, 0, out));
  }

  @Test
  void rightsBeyondTheInheritingSetAreNotCapable() {
    int sub = g.openOk("sub", Layouts.OFLAG_DIRECTORY, Rights.DIRECTORY);
    assertEquals(0, g.wasi.fdStatus().fdstatSetRights(sub, Rights.DIRECTORY, Rights.FD_READ.bit()));
    int out = g.alloc(4);
    String p = "file.txt";
    assertEquals(Errno.NOTCAPABLE.code(), g.wasi.path().open(g.memory, sub, 0, g.string(p),
        Guest.len(p), 0, Rights.REGULAR_FILE, 0, 0, out));
    assertEquals(0, g.wasi.path().open(g.memory, sub, 0, g.string(p), Guest.len(p), 0,
        Rights.FD_READ.bit(), 0, 0, out));
  }

  @Test
  void truncAndCreate() throws Exception {
    int fd = g.openOk("sub/file.txt", Layouts.OFLAG_TRUNC, Rights.REGULAR_FILE);
    assertEquals(0L, Files.size(root.resolve("sub/file.txt")));
    g.write(fd, "new");
    g.openOk("fresh", Layouts.OFLAG_CREAT | Layouts.OFLAG_EXCL, Rights.REGULAR_FILE);
    assertTrue(Files.exists(root.resolve("fresh")));
  }

  private int call(String path, java.util.function.IntBinaryOperator op) {
    return op.applyAsInt(g.string(path), Guest.len(path));
  }

  @Test
  void createAndRemoveDirectories() throws Exception {
    var p = g.wasi.path();
    assertEquals(0, call("newdir", (a, n) -> p.createDirectory(g.memory, 3, a, n)));
    assertTrue(Files.isDirectory(root.resolve("newdir")));
    assertEquals(Errno.EXIST.code(), call("newdir", (a, n) -> p.createDirectory(g.memory, 3, a, n)));
    assertEquals(Errno.EXIST.code(), call(".", (a, n) -> p.createDirectory(g.memory, 3, a, n)));
    assertEquals(Errno.NOTCAPABLE.code(), call("../x", (a, n) -> p.createDirectory(g.memory, 3, a, n)));
    assertEquals(Errno.NOTEMPTY.code(), call("sub", (a, n) -> p.removeDirectory(g.memory, 3, a, n)));
    assertEquals(Errno.NOTDIR.code(), call("sub/file.txt", (a, n) -> p.removeDirectory(g.memory, 3, a, n)));
    assertEquals(Errno.INVAL.code(), call(".", (a, n) -> p.removeDirectory(g.memory, 3, a, n)));
    assertEquals(Errno.INVAL.code(), call("sub/..", (a, n) -> p.removeDirectory(g.memory, 3, a, n)));
    assertEquals(0, call("newdir/", (a, n) -> p.removeDirectory(g.memory, 3, a, n)));
    assertFalse(Files.exists(root.resolve("newdir")));
    assertEquals(Errno.NOENT.code(), call("newdir", (a, n) -> p.removeDirectory(g.memory, 3, a, n)));
    assertTrue(Files.isDirectory(root));
  }

  @Test
  void unlinkFiles() throws Exception {
    var p = g.wasi.path();
    Files.createSymbolicLink(root.resolve("link"), Path.of("sub"));
    assertEquals(Errno.ISDIR.code(), call("sub", (a, n) -> p.unlinkFile(g.memory, 3, a, n)));
    assertEquals(Errno.NOTDIR.code(), call("sub/file.txt/", (a, n) -> p.unlinkFile(g.memory, 3, a, n)));
    assertEquals(0, call("link", (a, n) -> p.unlinkFile(g.memory, 3, a, n)));
    assertTrue(Files.isDirectory(root.resolve("sub")), "the link, not its target, is removed");
    assertEquals(0, call("sub/file.txt", (a, n) -> p.unlinkFile(g.memory, 3, a, n)));
    assertEquals(Errno.NOENT.code(), call("sub/file.txt", (a, n) -> p.unlinkFile(g.memory, 3, a, n)));
  }

  @Test
  void renameReplacesAndReportsConflicts() throws Exception {
    var p = g.wasi.path();
    Files.writeString(root.resolve("a"), "A");
    Files.writeString(root.resolve("b"), "B");
    int a = g.string("a");
    int b = g.string("b");
    assertEquals(0, p.rename(g.memory, 3, a, 1, 3, b, 1));
    assertEquals("A", Files.readString(root.resolve("b")));
    assertFalse(Files.exists(root.resolve("a")));
    assertEquals(Errno.NOENT.code(), p.rename(g.memory, 3, a, 1, 3, b, 1));
    int sub = g.string("sub");
    assertEquals(Errno.ISDIR.code(), p.rename(g.memory, 3, b, 1, 3, sub, 3));
    assertEquals(Errno.NOTDIR.code(), p.rename(g.memory, 3, sub, 3, 3, b, 1));
    Files.createDirectory(root.resolve("empty"));
    int empty = g.string("empty");
    assertEquals(0, p.rename(g.memory, 3, empty, 5, 3, g.string("moved"), 5));
    assertTrue(Files.isDirectory(root.resolve("moved")));
    String escape = "../stolen";
    assertEquals(Errno.NOTCAPABLE.code(), p.rename(g.memory, 3, b, 1, 3, g.string(escape),
        Guest.len(escape)));
  }

  @Test
  void symlinkReadlinkAndLink() throws Exception {
    var p = g.wasi.path();
    String target = "sub/file.txt";
    String name = "ln";
    assertEquals(0, p.symlink(g.memory, g.string(target), Guest.len(target), 3, g.string(name), 2));
    assertEquals(Path.of(target), Files.readSymbolicLink(root.resolve("ln")));
    assertEquals(Errno.EXIST.code(),
        p.symlink(g.memory, g.string(target), Guest.len(target), 3, g.string(name), 2));
    String abs = "/etc/passwd";
    assertEquals(Errno.NOTCAPABLE.code(),
        p.symlink(g.memory, g.string(abs), Guest.len(abs), 3, g.string("x"), 1));

    int buf = g.alloc(64);
    int used = g.alloc(4);
    assertEquals(0, p.readlink(g.memory, 3, g.string(name), 2, buf, 64, used));
    assertEquals(target, g.text(buf, g.view.i32(used)));
    assertEquals(0, p.readlink(g.memory, 3, g.string(name), 2, buf, 3, used));
    assertEquals(3, g.view.i32(used), "cut to buf_len");
    assertEquals(Errno.INVAL.code(), p.readlink(g.memory, 3, g.string("sub"), 3, buf, 64, used));

    String hard = "hard";
    assertEquals(0, p.link(g.memory, 3, 0, g.string(target), Guest.len(target), 3,
        g.string(hard), 4));
    assertEquals("inside", Files.readString(root.resolve("hard")));
    assertEquals(Errno.PERM.code(), p.link(g.memory, 3, 0, g.string("sub"), 3, 3,
        g.string("h2"), 2));
  }

  @Test
  void pathFilestatFollowsOnlyWhenAsked() throws Exception {
    var p = g.wasi.path();
    Files.createSymbolicLink(root.resolve("ln"), Path.of("sub/file.txt"));
    int st = g.alloc(Layouts.FILESTAT_SIZE);
    assertEquals(0, p.filestatGet(g.memory, 3, 0, g.string("ln"), 2, st));
    assertEquals(FileType.SYMBOLIC_LINK.code(), g.view.u8(st + Layouts.FILESTAT_FILETYPE));
    assertEquals(0, p.filestatGet(g.memory, 3, Layouts.LOOKUP_SYMLINK_FOLLOW, g.string("ln"), 2, st));
    assertEquals(FileType.REGULAR_FILE.code(), g.view.u8(st + Layouts.FILESTAT_FILETYPE));
    assertEquals(6, g.view.i64(st + Layouts.FILESTAT_SIZE_FIELD));
    assertEquals(0, p.filestatGet(g.memory, 3, 0, g.string("."), 1, st));
    assertEquals(FileType.DIRECTORY.code(), g.view.u8(st + Layouts.FILESTAT_FILETYPE));
    assertEquals(Errno.NOENT.code(), p.filestatGet(g.memory, 3, 0, g.string("nope"), 4, st));

    long atim = 1_500_000_000_000_000_000L;
    assertEquals(0, p.filestatSetTimes(g.memory, 3, 0, g.string("sub/file.txt"), 12, atim, 0,
        Layouts.FSTFLAG_ATIM | Layouts.FSTFLAG_MTIM_NOW));
    assertEquals(0, p.filestatGet(g.memory, 3, 0, g.string("sub/file.txt"), 12, st));
    assertEquals(atim, g.view.i64(st + Layouts.FILESTAT_ATIM));
    assertTrue(g.view.i64(st + Layouts.FILESTAT_MTIM) > atim);
  }
}
