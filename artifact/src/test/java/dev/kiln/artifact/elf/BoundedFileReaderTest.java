package dev.kiln.artifact.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.seal.SigningKey;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Red-team findings: {@code kiln run --verify-key FIFO} waited for ever and {@code --verify-key
 * /dev/zero} (or {@code kiln compile /dev/zero}) filled the heap, since the whole file was read
 * whatever it was. Each case here would hang or run out of memory without the checks.
 */
class BoundedFileReaderTest {
  @TempDir Path dir;

  @Test
  void aFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
    Path fifo = dir.resolve("key");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertTrue(mkfifo.waitFor() == 0, "mkfifo");
    FileSystemException e = assertThrows(FileSystemException.class, () -> SigningKey.read(fifo));
    assertTrue(e.getReason().contains("not a regular file"), e.getReason());
  }

  /** An artifact is read by its reader, not this one, and so is checked the same way (red team 104 F1). */
  @Test
  void anArtifactThatIsAFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
    Path fifo = dir.resolve("a.cwasm");
    assertTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
    try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
      FileSystemException e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
          () -> assertThrows(FileSystemException.class, () -> CwasmFile.read(fifo, arena)));
      assertTrue(e.getReason().contains("not a regular file, so not read as a .cwasm"), e.getReason());
    }
  }

  /** A kernel interface is a regular file of no data, whose read may wait for good (/proc/kmsg). */
  @Test
  void aFileOfTheKernelsIsRefused() {
    FileSystemException e = assertThrows(FileSystemException.class,
        () -> BoundedFileReader.read(Path.of("/proc/self/status"), Integer.MAX_VALUE - 8, "a module"));
    assertTrue(e.getReason().contains("a kernel interface (proc file system)"), e.getReason());
  }

  @Test
  void aDeviceIsRefused() {
    FileSystemException e = assertThrows(FileSystemException.class,
        () -> BoundedFileReader.read(Path.of("/dev/zero"), Integer.MAX_VALUE - 8, "a module"));
    assertTrue(e.getReason().contains("a device, FIFO or socket"), e.getReason());
  }

  @Test
  void aFileLargerThanTheBoundIsRefusedAndOneWithinItIsRead() throws IOException {
    Path big = Files.write(dir.resolve("big.key"), new byte[SigningKey.MAX_FILE_BYTES + 1]);
    FileSystemException e = assertThrows(FileSystemException.class, () -> SigningKey.read(big));
    assertTrue(e.getReason().startsWith("larger than the " + SigningKey.MAX_FILE_BYTES), e.getReason());
    byte[] exact = new byte[100];
    exact[99] = 9;
    assertArrayEquals(exact, BoundedFileReader.read(Files.write(dir.resolve("m"), exact), 100, "a module"));
  }
}
