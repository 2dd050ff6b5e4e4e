package dev.kiln.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.GuestIovecs;
import dev.kiln.wasi.abi.GuestMemory;
import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.abi.Rights;
import dev.kiln.wasi.fs.PathResolution;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 11's attacks on the sandbox, each under both ways of resolving beneath a descriptor (the
 * kernel's openat2 RESOLVE_BENEATH and the component walk for kernels without it): the escape must
 * fail with the errno Node's WASI gives ({@link Errno#NOTCAPABLE}; Wasmtime 49 says PERM), and the
 * file outside the preopen must be neither read nor changed.
 */
class SandboxAttackTest {
  private static final String SECRET = "SECRET";

  @TempDir Path temp;
  private Path root;
  private Path secret;
  private Guest g;
  private int pathBuffer;
  private int out;
  private int readBuffer;
  private int readIovec;

  private void start(PathResolution how) throws Exception {
    root = Files.createDirectory(temp.resolve("root"));
    secret = Files.writeString(temp.resolve("secret.txt"), SECRET);
    Files.setLastModifiedTime(secret, FileTime.fromMillis(1_000_000_000_000L));
    Files.createDirectories(root.resolve("sub/deeper"));
    Files.writeString(root.resolve("sub/file.txt"), "inside");
    g = new Guest(root, "", WasiConfig.builder().pathResolution(how));
    pathBuffer = g.alloc(256);
    out = g.alloc(4);
    readBuffer = g.alloc(64);
    readIovec = g.iovec(readBuffer, 64);
  }

  private void assertOutsideUntouched() throws Exception {
    assertEquals(SECRET, Files.readString(secret));
    assertEquals(1_000_000_000_000L, Files.getLastModifiedTime(secret).toMillis());
    try (Stream<Path> above = Files.list(temp)) {
      assertEquals(Set.of("root", "secret.txt"),
          Set.copyOf(above.map(p -> p.getFileName().toString()).toList()));
    }
  }

  /**
   * path_open(dirfd, path) for reading, following links, then fd_read and fd_close; the errno's
   * name, or the content read. Uses fixed guest buffers: the race below calls it thousands of times.
   */
  private String openAndRead(int dirFd, String path) {
    byte[] utf8 = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    g.view.write(pathBuffer, utf8);
    int errno = g.wasi.path().open(g.memory, dirFd, Layouts.LOOKUP_SYMLINK_FOLLOW, pathBuffer,
        utf8.length, 0, Rights.FD_READ.bit(), 0, 0, out);
    if (errno != 0) {
      return Errno.of(errno).name();
    }
    int fd = g.view.i32(out);
    assertEquals(0, g.wasi.fd().read(g.memory, fd, readIovec, 1, out));
    String content = g.text(readBuffer, g.view.i32(out));
    assertEquals(0, g.wasi.fd().close(fd));
    return content;
  }

  private int openDirectory(int dirFd, String path) {
    int errno = g.wasi.path().open(g.memory, dirFd, Layouts.LOOKUP_SYMLINK_FOLLOW, g.string(path),
        Guest.len(path), Layouts.OFLAG_DIRECTORY, Rights.DIRECTORY, Rights.ALL, 0, out);
    assertEquals(0, errno, () -> "open " + path + ": " + Errno.of(errno));
    return g.view.i32(out);
  }

  private int symlink(String content, int dirFd, String name) {
    return g.wasi.path().symlink(g.memory, g.string(content), Guest.len(content), dirFd,
        g.string(name), Guest.len(name));
  }

  private int pathCall(int dirFd, String path, PathOp op) {
    return op.call(dirFd, g.string(path), Guest.len(path));
  }

  @FunctionalInterface
  private interface PathOp {
    int call(int fd, int ptr, int len);
  }

  @ParameterizedTest
  @EnumSource(PathResolution.class)
  void aDirectorySwappedForASymlinkAfterItWasOpenedLeadsNowhere(PathResolution how) throws Exception {
    start(how);
    PathFunctions p = g.wasi.path();
    assertEquals(0, pathCall(Guest.PREOPEN, "d", (fd, s, n) -> p.createDirectory(g.memory, fd, s, n)));
    int d = openDirectory(Guest.PREOPEN, "d");
    assertEquals(0, pathCall(Guest.PREOPEN, "d", (fd, s, n) -> p.removeDirectory(g.memory, fd, s, n)));
    assertEquals(0, symlink("..", Guest.PREOPEN, "d")); // creating it is allowed; following is not
    assertEquals("NOENT", openAndRead(d, "secret.txt")); // the descriptor is the removed directory
    assertEquals("NOTCAPABLE", openAndRead(Guest.PREOPEN, "d/secret.txt"));
    assertEquals("NOTCAPABLE", openAndRead(d, "../secret.txt"));

    // Renamed by the host instead of removed: the descriptor follows the directory, not the name.
    int sub = openDirectory(Guest.PREOPEN, "sub");
    Files.move(root.resolve("sub"), root.resolve("moved"));
    Files.createSymbolicLink(root.resolve("sub"), Path.of(".."));
    assertEquals("inside", openAndRead(sub, "file.txt"));
    assertEquals("NOENT", openAndRead(sub, "secret.txt"));
    assertOutsideUntouched();
  }

  @ParameterizedTest
  @EnumSource(PathResolution.class)
  void symlinksOutAbsoluteOrRelativeAreNeverFollowed(PathResolution how) throws Exception {
    start(how);
    Files.createSymbolicLink(root.resolve("abs"), secret);
    Files.createSymbolicLink(root.resolve("absdir"), temp);
    Files.createSymbolicLink(root.resolve("sub/up"), Path.of("../../secret.txt"));
    assertEquals(0, symlink("../secret.txt", Guest.PREOPEN, "guest-up"));
    assertEquals(Errno.NOTCAPABLE.code(), symlink(secret.toString(), Guest.PREOPEN, "guest-abs"));
    for (String path : new String[] {"abs", "absdir/secret.txt", "sub/up", "guest-up",
        "sub/deeper/../up", "sub/../guest-up"}) {
      assertEquals("NOTCAPABLE", openAndRead(Guest.PREOPEN, path), path);
    }
    int stat = g.alloc(Layouts.FILESTAT_SIZE);
    PathFunctions p = g.wasi.path();
    assertEquals(Errno.NOTCAPABLE.code(), pathCall(Guest.PREOPEN, "guest-up",
        (fd, s, n) -> p.filestatGet(g.memory, fd, Layouts.LOOKUP_SYMLINK_FOLLOW, s, n, stat)));
    assertEquals(Errno.NOTCAPABLE.code(), pathCall(Guest.PREOPEN, "guest-up",
        (fd, s, n) -> p.filestatSetTimes(g.memory, fd, Layouts.LOOKUP_SYMLINK_FOLLOW, s, n, 0, 0,
            Layouts.FSTFLAG_MTIM_NOW)));
    // Without symlink_follow the link itself is the subject: allowed, and nothing outside changes.
    assertEquals(0, pathCall(Guest.PREOPEN, "guest-up",
        (fd, s, n) -> p.filestatSetTimes(g.memory, fd, 0, s, n, 0, 0, Layouts.FSTFLAG_MTIM_NOW)));
    assertOutsideUntouched();
  }

  @ParameterizedTest
  @EnumSource(PathResolution.class)
  void symlinkLoopsAreLoop(PathResolution how) throws Exception {
    start(how);
    Files.createSymbolicLink(root.resolve("self"), Path.of("self"));
    Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
    Files.createSymbolicLink(root.resolve("b"), Path.of("sub/../a"));
    Files.createSymbolicLink(root.resolve("l0"), Path.of("sub/file.txt"));
    for (int i = 1; i <= 41; i++) { // one more link than Linux follows in one resolution
      Files.createSymbolicLink(root.resolve("l" + i), Path.of("l" + (i - 1)));
    }
    assertEquals("LOOP", openAndRead(Guest.PREOPEN, "self"));
    assertEquals("LOOP", openAndRead(Guest.PREOPEN, "a"));
    assertEquals("LOOP", openAndRead(Guest.PREOPEN, "l41"));
    assertEquals("inside", openAndRead(Guest.PREOPEN, "l39"));
  }

  @ParameterizedTest
  @EnumSource(PathResolution.class)
  void dotDotNeverClimbsAboveTheDescriptorItIsResolvedFrom(PathResolution how) throws Exception {
    start(how);
    int sub = openDirectory(Guest.PREOPEN, "sub");
    int deeper = openDirectory(sub, "deeper");
    assertEquals("inside", openAndRead(sub, "file.txt"));
    assertEquals("inside", openAndRead(sub, "deeper/../file.txt")); // ".." that stays beneath
    for (String path : new String[] {"../file.txt", "..", "../..",
        "./../deeper", "../../secret.txt", "../../../secret.txt"}) {
      assertEquals("NOTCAPABLE", openAndRead(deeper, path), path);
    }
    assertEquals("NOTCAPABLE", openAndRead(sub, "../sub/file.txt"));
    PathFunctions p = g.wasi.path();
    assertEquals(Errno.NOTCAPABLE.code(), pathCall(sub, "../../escaped",
        (fd, s, n) -> p.createDirectory(g.memory, fd, s, n)));
    assertEquals(Errno.NOTCAPABLE.code(), pathCall(deeper, "../file.txt",
        (fd, s, n) -> p.unlinkFile(g.memory, fd, s, n)));
    assertTrue(Files.exists(root.resolve("sub/file.txt")));
    assertOutsideUntouched();
  }

  @ParameterizedTest
  @EnumSource(PathResolution.class)
  void hardLinksCannotReachOutsideFiles(PathResolution how) throws Exception {
    start(how);
    PathFunctions p = g.wasi.path();
    String out = "../secret.txt";
    assertEquals(Errno.NOTCAPABLE.code(), p.link(g.memory, Guest.PREOPEN, 0, g.string(out),
        Guest.len(out), Guest.PREOPEN, g.string("stolen"), 6));
    Files.createSymbolicLink(root.resolve("up"), Path.of("../secret.txt"));
    // Following the source link is refused outright (linkat would follow it out of the sandbox).
    assertEquals(Errno.INVAL.code(), p.link(g.memory, Guest.PREOPEN,
        Layouts.LOOKUP_SYMLINK_FOLLOW, g.string("up"), 2, Guest.PREOPEN, g.string("stolen"), 6));
    // Not following, the new name is a second link to the symlink itself: still leads nowhere.
    assertEquals(0, p.link(g.memory, Guest.PREOPEN, 0, g.string("up"), 2, Guest.PREOPEN,
        g.string("up2"), 3));
    assertTrue(Files.isSymbolicLink(root.resolve("up2")));
    assertEquals("NOTCAPABLE", openAndRead(Guest.PREOPEN, "up2"));
    int sub = openDirectory(Guest.PREOPEN, "sub");
    String up = "../up";
    assertEquals(Errno.NOTCAPABLE.code(), p.link(g.memory, sub, 0, g.string(up), Guest.len(up),
        sub, g.string("x"), 1));
    assertOutsideUntouched();
  }

  @ParameterizedTest
  @EnumSource(PathResolution.class)
  void renamesAcrossDescriptorsStayBeneathBoth(PathResolution how) throws Exception {
    start(how);
    PathFunctions p = g.wasi.path();
    int sub = openDirectory(Guest.PREOPEN, "sub");
    int deeper = openDirectory(sub, "deeper");
    assertEquals(0, p.rename(g.memory, sub, g.string("file.txt"), 8, deeper, g.string("f"), 1));
    assertEquals("inside", openAndRead(Guest.PREOPEN, "sub/deeper/f"));
    String up = "../x";
    assertEquals(Errno.NOTCAPABLE.code(), p.rename(g.memory, deeper, g.string("f"), 1, deeper,
        g.string(up), Guest.len(up)));
    String secretPath = "../secret.txt";
    assertEquals(Errno.NOTCAPABLE.code(), p.rename(g.memory, Guest.PREOPEN, g.string(secretPath),
        Guest.len(secretPath), sub, g.string("stolen"), 6));
    String upTwice = "../../moved";
    assertEquals(Errno.NOTCAPABLE.code(), p.rename(g.memory, Guest.PREOPEN, g.string("sub"), 3,
        deeper, g.string(upTwice), Guest.len(upTwice)));
    assertTrue(Files.exists(root.resolve("sub/deeper/f")));
    assertOutsideUntouched();
  }

  /**
   * Another thread keeps swapping a directory for a symlink to the preopen's parent while the guest
   * opens through it: every open reads the file inside, or fails, never the secret.
   */
  @ParameterizedTest
  @EnumSource(PathResolution.class)
  void aRaceSwappingADirectoryForASymlinkNeverLeaks(PathResolution how) throws Exception {
    start(how);
    Path swap = root.resolve("swap");
    Path parked = root.resolve("parked");
    Files.createDirectory(swap);
    Files.writeString(swap.resolve("secret.txt"), "inside");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Exception> swapFailure = new AtomicReference<>();
    Thread swapper = new Thread(() -> {
      try {
        while (!stop.get()) {
          Files.move(swap, parked, StandardCopyOption.ATOMIC_MOVE);
          Files.createSymbolicLink(swap, Path.of(".."));
          Thread.onSpinWait();
          Files.delete(swap);
          Files.move(parked, swap, StandardCopyOption.ATOMIC_MOVE);
        }
      } catch (IOException e) {
        swapFailure.set(e);
      }
    });
    Set<String> seen = ConcurrentHashMap.newKeySet();
    swapper.start();
    try {
      for (int i = 0; i < 3000; i++) {
        seen.add(openAndRead(Guest.PREOPEN, "swap/secret.txt"));
        seen.add(openAndRead(Guest.PREOPEN, "swap/../swap/secret.txt"));
      }
    } finally {
      stop.set(true);
      swapper.join();
    }
    assertFalse(seen.contains(SECRET), () -> "read the secret: " + seen);
    assertTrue(Set.of("inside", "NOENT", "NOTCAPABLE", "NOTDIR").containsAll(seen), seen::toString);
    if (swapFailure.get() != null) {
      throw swapFailure.get();
    }
    // Whether any open inside the race landed while the directory was in place is up to the
    // scheduler (on a busy two-core machine none may); with the directory back, both paths must
    // read the file, so the refusals above were the race's and not a resolver that refuses all.
    assertEquals("inside", openAndRead(Guest.PREOPEN, "swap/secret.txt"));
    assertEquals("inside", openAndRead(Guest.PREOPEN, "swap/../swap/secret.txt"));
    assertOutsideUntouched();
  }

  @ParameterizedTest
  @EnumSource(PathResolution.class)
  void hugeIovecArraysAreErrnosNotHostFailures(PathResolution how) throws Exception {
    start(how);
    Files.write(root.resolve("big"), new byte[40_000]);
    assertEquals(0, g.wasi.path().open(g.memory, Guest.PREOPEN, 0, g.string("big"), 3, 0,
        Rights.FD_READ.bit() | Rights.FD_SEEK.bit(), 0, 0, out));
    int fd = g.view.i32(out);
    FdFunctions f = g.wasi.fd();
    int n = g.alloc(4);
    // An array longer than the memory, and one whose entries reach past it.
    assertEquals(Errno.FAULT.code(), f.read(g.memory, fd, 0, 0x7fff_ffff, n));
    assertEquals(Errno.FAULT.code(), f.read(g.memory, fd, 0, -1, n));
    assertEquals(Errno.FAULT.code(), f.read(g.memory, fd, g.iovec(0, Guest.MEMORY_SIZE + 1), 1, n));
    assertEquals(Errno.FAULT.code(), f.write(g.memory, 1, g.iovec(16, -16), 1, n));
    // A 17,000-entry array: the first 1,024 (IOV_MAX) one-byte entries are filled, a short read,
    // and nothing the others point at is touched; no more than 1,024 entries are ever taken.
    int entries = 17_000;
    int array = g.alloc(entries * Layouts.IOVEC_SIZE);
    int buffer = g.alloc(entries);
    for (int i = 0; i < entries; i++) {
      g.view.putI32(array + i * 8, buffer + i);
      g.view.putI32(array + i * 8 + 4, 1);
      g.view.putU8(buffer + i, 0x5A);
    }
    assertEquals(0, f.read(g.memory, fd, array, entries, n));
    assertEquals(GuestIovecs.MAX_ENTRIES, g.view.i32(n));
    assertEquals(0, g.view.u8(buffer + GuestIovecs.MAX_ENTRIES - 1));
    assertEquals(0x5A, g.view.u8(buffer + GuestIovecs.MAX_ENTRIES));
    // Entries adding up past what the u32 result can count: INVAL, as POSIX's SSIZE_MAX rule
    // (a memory of 8 MiB: 513 entries of it are just over 4 GiB).
    MemorySegment large = Arena.ofAuto().allocate(8 << 20, 8);
    GuestMemory view = new GuestMemory(large);
    int whole = 513;
    for (int i = 0; i < whole; i++) {
      view.putI32(i * 8, 0);
      view.putI32(i * 8 + 4, 8 << 20);
    }
    assertEquals(Errno.INVAL.code(), f.pread(large, fd, 0, whole, 0, n));
    assertEquals(Errno.INVAL.code(), f.write(large, 1, 0, whole, n));
    assertEquals("", g.stdout.toString());
  }

  @ParameterizedTest
  @EnumSource(PathResolution.class)
  void aPathAsLongAsTheMemoryIsRefusedBeforeItIsCopied(PathResolution how) throws Exception {
    start(how);
    assertEquals(Errno.NAMETOOLONG.code(), g.wasi.path().open(g.memory, Guest.PREOPEN, 0, 0,
        Guest.MEMORY_SIZE, 0, Rights.FD_READ.bit(), 0, 0, out));
    assertEquals(Errno.NAMETOOLONG.code(), g.wasi.path().symlink(g.memory, 0, -1, Guest.PREOPEN,
        g.string("x"), 1));
  }

  @ParameterizedTest
  @EnumSource(PathResolution.class)
  void aPreopensListingDoesNotShowItsParent(PathResolution how) throws Exception {
    start(how);
    int buf = g.alloc(4096);
    int used = g.alloc(4);
    assertEquals(0, g.wasi.fdStatus().readdir(g.memory, Guest.PREOPEN, buf, 4096, 0, used));
    // The entries come in the kernel's order: find "." and "..".
    java.util.Map<String, Long> inodes = new java.util.HashMap<>();
    for (int at = 0; at + Layouts.DIRENT_SIZE <= g.view.i32(used); ) {
      int namlen = g.view.i32(buf + at + Layouts.DIRENT_NAMLEN);
      inodes.put(g.text(buf + at + Layouts.DIRENT_SIZE, namlen), g.view.i64(buf + at + Layouts.DIRENT_INO));
      at += Layouts.DIRENT_SIZE + namlen;
    }
    assertEquals(inodes.get("."), inodes.get(".."));
    assertEquals(true, inodes.get("..") != null);
  }
}
