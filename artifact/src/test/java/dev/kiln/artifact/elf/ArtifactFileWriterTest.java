package dev.kiln.artifact.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactFileWriterTest {
  @TempDir
  Path dir;

  private static byte[] filled(int length, int value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> all = Files.list(dir)) {
      return all.map(Path::getFileName).sorted().toList();
    }
  }

  /**
   * A write past the compile budget bound to its thread stops and leaves nothing, neither the file
   * nor its temporary one (red team 29 F4: the cache wrote a 300 MB entry 10 s past {@code
   * --timeout}); an earlier file of the name stays as it was.
   */
  @Test
  void aWritePastTheCompileBudgetStopsAndLeavesNothing() throws IOException {
    Path file = dir.resolve("app.cwasm");
    ArtifactFileWriter.write(file, filled(10, 0x11));
    dev.kiln.deadline.CompileDeadline spent = dev.kiln.deadline.CompileDeadline.after(java.time.Duration.ZERO);
    dev.kiln.deadline.CompileTimeoutException stopped = assertThrows(dev.kiln.deadline.CompileTimeoutException.class,
        () -> spent.call(() -> {
          try {
            ArtifactFileWriter.write(file, filled(3 * ArtifactFileWriter.IO_SLICE_BYTES, 0x22));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          return null;
        }));
    assertEquals(dev.kiln.deadline.Phase.ASSEMBLY, stopped.phase());
    assertArrayEquals(filled(10, 0x11), Files.readAllBytes(file));
    assertEquals(List.of(Path.of("app.cwasm")), files(), "no temporary file is left");
  }

  /**
   * A mapping of the old file keeps the old bytes, also past the new file's end: rewriting in place
   * would have truncated the file under it (a read there is a SIGBUS, which the JVM reports as an
   * InternalError for a Java read, and which kills it for executed code).
   */
  @Test
  void aMappingOfTheOldFileKeepsItsBytesAfterTheFileIsReplaced() throws IOException {
    Path file = dir.resolve("app.cwasm");
    ArtifactFileWriter.write(file, filled(3 * 4096, 0x11));
    try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      MemorySegment old = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
      ArtifactFileWriter.write(file, filled(100, 0x22));
      assertEquals(0x11, old.get(ValueLayout.JAVA_BYTE, 3 * 4096 - 1), "the old mapping past the new end");
      assertEquals(0x11, old.get(ValueLayout.JAVA_BYTE, 0));
    }
    assertArrayEquals(filled(100, 0x22), Files.readAllBytes(file));
    assertEquals(List.of(Path.of("app.cwasm")), files(), "no temporary file is left");
  }

  @Test
  void aSymbolicLinkKeepsPointingAtTheReplacedFile() throws IOException {
    Path real = dir.resolve("real.cwasm");
    Path link = Files.createSymbolicLink(dir.resolve("link.cwasm"), real.getFileName());
    ArtifactFileWriter.write(real, filled(10, 1));
    ArtifactFileWriter.write(link, filled(20, 2));
    assertTrue(Files.isSymbolicLink(link));
    assertArrayEquals(filled(20, 2), Files.readAllBytes(real));
  }

  /**
   * Red-team finding: another user's link in a shared directory made {@code kiln compile -o}
   * replace the file it named (here a read-only file of this user's) by a rename, which needs no
   * write permission on that file.
   */
  @Test
  void aSymbolicLinkAnotherUserOwnsIsRefusedAndWhatItNamesIsLeftAsItWas() throws IOException {
    assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
        "needs root to give a link another owner");
    Path precious = Files.write(dir.resolve("precious"), filled(8, 7));
    Files.setPosixFilePermissions(precious, PosixFilePermissions.fromString("r--r--r--"));
    Path link = Files.createSymbolicLink(dir.resolve("out.cwasm"), precious);
    Files.setAttribute(link, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
    FileSystemException e = assertThrows(FileSystemException.class,
        () -> ArtifactFileWriter.write(link, filled(20, 2)));
    assertTrue(e.getReason().startsWith("a symbolic link owned by user 65534"), e.getReason());
    assertArrayEquals(filled(8, 7), Files.readAllBytes(precious));
    assertTrue(Files.isSymbolicLink(link));
    Files.setAttribute(link, "unix:uid", 0, LinkOption.NOFOLLOW_LINKS);
    ArtifactFileWriter.write(link, filled(20, 2));
    assertArrayEquals(filled(20, 2), Files.readAllBytes(precious), "this user's own link is followed");
  }

  /**
   * Red-team finding F4 (issue 35): the user's own link named another user's link, which named a
   * file of this user's; only the first link's owner was checked, and toRealPath() followed the rest.
   */
  @Test
  void aChainOfLinksThroughOneAnotherUserOwnsIsRefusedNamingThatLink() throws IOException {
    assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
        "needs root to give a link another owner");
    Path precious = Files.write(dir.resolve("precious"), filled(8, 7));
    Files.setPosixFilePermissions(precious, PosixFilePermissions.fromString("r--r--r--"));
    Path evil = Files.createSymbolicLink(dir.resolve("evil"), precious);
    Files.setAttribute(evil, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
    Path mine = Files.createSymbolicLink(dir.resolve("out.cwasm"), Path.of("evil"));
    FileSystemException e = assertThrows(FileSystemException.class,
        () -> ArtifactFileWriter.write(mine, filled(20, 2)));
    assertEquals(evil.toString(), e.getFile(), "the error names the other user's link");
    assertTrue(e.getReason().startsWith("a symbolic link owned by user 65534"), e.getReason());
    assertArrayEquals(filled(8, 7), Files.readAllBytes(precious));
  }

  /** The same through a directory component: {@code -o shared/out.cwasm} where shared is another user's link. */
  @Test
  void aDirectoryOnTheWayThatIsAnotherUsersLinkIsRefused() throws IOException {
    assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
        "needs root to give a link another owner");
    Path home = Files.createDirectory(dir.resolve("home"));
    Path precious = Files.write(home.resolve("out.cwasm"), filled(8, 7));
    Path shared = Files.createSymbolicLink(dir.resolve("shared"), home);
    Files.setAttribute(shared, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
    FileSystemException e = assertThrows(FileSystemException.class,
        () -> ArtifactFileWriter.write(dir.resolve("home/../shared/out.cwasm"), filled(20, 2)));
    assertEquals(shared.toString(), e.getFile());
    assertArrayEquals(filled(8, 7), Files.readAllBytes(precious));
    assertThrows(FileSystemException.class, () -> ArtifactFileWriter.checkWritable(shared.resolve("new.cwasm")));
  }

  /** Links of the user's own, relative to each one's directory and through a linked directory, are followed. */
  @Test
  void aChainOfOwnLinksIsFollowedToTheFileAtItsEnd() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("sub"));
    Path real = Files.write(sub.resolve("real.cwasm"), filled(10, 1));
    Files.createSymbolicLink(sub.resolve("second"), Path.of("real.cwasm"));
    Files.createSymbolicLink(dir.resolve("subdir"), Path.of("sub"));
    Path first = Files.createSymbolicLink(dir.resolve("first"), Path.of("subdir/./second"));
    ArtifactFileWriter.write(first, filled(20, 2));
    assertArrayEquals(filled(20, 2), Files.readAllBytes(real));
    assertTrue(Files.isSymbolicLink(first) && Files.isSymbolicLink(sub.resolve("second")));
    ArtifactFileWriter.write(dir.resolve("subdir/new.cwasm"), filled(5, 3));
    assertArrayEquals(filled(5, 3), Files.readAllBytes(sub.resolve("new.cwasm")), "a new file behind a linked directory");
  }

  /** A loop of links ends in one error naming the path given, as the kernel's ELOOP would. */
  @Test
  void aLoopOfLinksIsOneError() throws IOException {
    Path a = Files.createSymbolicLink(dir.resolve("a"), Path.of("b"));
    Files.createSymbolicLink(dir.resolve("b"), Path.of("a"));
    FileSystemException e = assertThrows(FileSystemException.class, () -> ArtifactFileWriter.write(a, filled(4, 1)));
    assertEquals(a.toString(), e.getFile());
    assertTrue(e.getReason().startsWith("more than 40 symbolic links"), e.getReason());
  }

  @Test
  void aMissingFolderIsReportedAsTheFolderNotTheTemporaryFile() {
    Path missing = dir.resolve("no-such-folder");
    NoSuchFileException e = assertThrows(NoSuchFileException.class,
        () -> ArtifactFileWriter.write(missing.resolve("app.cwasm"), filled(10, 3)));
    assertEquals(missing.toString(), e.getFile());
    assertTrue(e.getReason().contains("app.cwasm"), e.getReason());
  }

  @Test
  void aDirectoryOrAFileInPlaceOfTheFolderIsReportedByItsOwnPathAndNothingIsWritten() throws IOException {
    FileSystemException directory = assertThrows(FileSystemException.class,
        () -> ArtifactFileWriter.write(dir, filled(10, 3)));
    assertEquals(dir.toAbsolutePath().toString(), directory.getFile());
    assertEquals("is a directory", directory.getReason());
    assertThrows(FileSystemException.class, () -> ArtifactFileWriter.write(Path.of("/"), filled(10, 3)));
    Path file = Files.writeString(dir.resolve("file"), "x");
    FileSystemException notFolder = assertThrows(FileSystemException.class,
        () -> ArtifactFileWriter.write(file.resolve("app.cwasm"), filled(10, 3)));
    assertEquals(file.toString(), notFolder.getFile(), "the folder, not the temporary file in it");
    String ours = "." + dir.getFileName() + ".";
    try (Stream<Path> left = Files.list(dir.getParent())) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(ours)), "no temporary file beside it");
    }
  }

  @Test
  void aFailedWriteLeavesTheTargetAsItWasAndNoTemporaryFile() throws IOException {
    Path file = dir.resolve("app.cwasm");
    ArtifactFileWriter.write(file, filled(10, 3));
    Path directoryInTheWay = Files.createDirectories(dir.resolve("taken.cwasm").resolve("child"));
    assertThrows(IOException.class, () -> ArtifactFileWriter.write(directoryInTheWay.getParent(), filled(10, 4)));
    assertArrayEquals(filled(10, 3), Files.readAllBytes(file));
    assertEquals(List.of(Path.of("app.cwasm"), Path.of("taken.cwasm")), files());
  }
}
