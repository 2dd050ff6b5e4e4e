package dev.kiln.loader.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The perf map's name in {@code /tmp} is another local user's to take first: what they plant there
 * is refused, not opened (red team 27 F3), and the map Kiln makes is the user's alone.
 */
class PerfMapTest {
  @TempDir
  Path dir;

  /** Another user's link planted at the predictable /tmp/perf-PID.map name must not be followed. */
  @Test
  void aSymbolicLinkAtTheMapsNameIsRefusedAndItsTargetLeftAlone() throws IOException {
    Path victim = Files.writeString(dir.resolve("victim"), "precious\n");
    Path planted = Files.createSymbolicLink(dir.resolve("perf-1.map"), victim);
    assertThrows(IOException.class, () -> PerfMap.open(planted).close());
    assertEquals("precious\n", Files.readString(victim));
  }

  @Test
  void aMapIsCreatedAndThenAppendedTo() throws IOException {
    Path map = dir.resolve("perf-2.map");
    for (String line : new String[] {"1 2 a\n", "3 4 b\n"}) {
      try (FileChannel channel = PerfMap.open(map)) {
        channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
      }
    }
    assertEquals("1 2 a\n3 4 b\n", Files.readString(map));
  }

  /** A FIFO planted at the name: its open would block until a reader came, for ever. */
  @Test
  void aFifoAtTheMapsNameIsRefusedWithoutBlocking() throws Exception {
    Path fifo = dir.resolve("perf-3.map");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertEquals(0, mkfifo.waitFor());
    UntrustedFileException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> assertThrows(UntrustedFileException.class, () -> PerfMap.open(fifo).close()));
    assertEquals("a FIFO, not a regular file", e.reason());
  }

  /** Another user's file, which everyone may write: appending to it would hand them the code's addresses. */
  @Test
  void anotherUsersFileAtTheMapsNameIsRefusedAndLeftAlone() throws IOException {
    Path planted = Files.writeString(dir.resolve("perf-4.map"), "theirs\n");
    Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rw-rw-rw-"));
    UserPrincipal nobody = planted.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    try {
      Files.setOwner(planted, nobody);
    } catch (IOException e) {
      assumeTrue(false, "cannot give a file to nobody here (not root): " + e);
    }
    int nobodysId = (Integer) Files.getAttribute(planted, "unix:uid");
    int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    UntrustedFileException e = assertThrows(UntrustedFileException.class, () -> PerfMap.open(planted).close());
    assertEquals("owned by user " + nobodysId + ", not by this user (" + me + ")", e.reason());
    assertEquals("theirs\n", Files.readString(planted));
  }

  /** The user's own file that others may write: what is appended could be interleaved with theirs. */
  @Test
  void anOwnFileOthersCanWriteIsRefused() throws IOException {
    Path shared = Files.writeString(dir.resolve("perf-5.map"), "");
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-rw-rw-"));
    UntrustedFileException e = assertThrows(UntrustedFileException.class, () -> PerfMap.open(shared).close());
    assertEquals("writable by group or others (mode 0666)", e.reason());
  }

  /** Another user's hard link to a file of ours (red team 29 F3): appending would write that file. */
  @Test
  void aHardLinkToAnOwnFileIsRefusedAndTheFileLeftAlone() throws IOException {
    Path own = Files.writeString(dir.resolve("profile-of-mine"), "mine\n");
    Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rw-------"));
    Path linked = Files.createLink(dir.resolve("perf-7.map"), own);
    UntrustedFileException e = assertThrows(UntrustedFileException.class, () -> PerfMap.open(linked).close());
    assertEquals("a file with 2 names (a hard link to another file)", e.reason());
    assertEquals("mine\n", Files.readString(own));
  }

  @Test
  void aNewMapIsTheUsersAlone() throws IOException {
    Path map = dir.resolve("perf-6.map");
    PerfMap.open(map).close();
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(map)));
  }

  /** A directory anyone may rename files in: what was checked could be swapped before the open. */
  @Test
  void aDirectoryOthersCanReplaceFilesInIsRefused() throws IOException {
    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    UntrustedFileException e = assertThrows(UntrustedFileException.class,
        () -> PerfMap.open(open.resolve("perf-7.map")).close());
    assertEquals("writable by group or others without the sticky bit (mode 0777), who could replace what is in it",
        e.reason());
  }
}
