package dev.kiln.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.Rights;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 35: a guest opening files in a loop must not take every host file descriptor of the
 * process. Its table holds at most {@link WasiConfig#maxOpenFiles()} descriptors, streams and
 * preopens counted, and an open past that is EMFILE, as open(2) at RLIMIT_NOFILE.
 */
class OpenDescriptorLimitTest {
  @TempDir Path dir;

  /** Opens "f" until the first failure; returns how many opens succeeded, and checks the errno. */
  private static int openUntilRefused(Guest g) {
    for (int opened = 0; ; opened++) {
      int[] r = g.open("f", 0, Rights.ALL);
      if (r[0] != 0) {
        assertEquals(Errno.MFILE.code(), r[0], "refused with EMFILE after " + opened);
        return opened;
      }
    }
  }

  @Test
  void theDefaultLimitIs1024DescriptorsStreamsAndPreopenIncluded() throws Exception {
    Files.writeString(dir.resolve("f"), "x");
    Guest g = new Guest(dir);
    assertEquals(WasiConfig.DEFAULT_MAX_OPEN_FILES - 4, openUntilRefused(g));
    assertEquals(1024, WasiConfig.DEFAULT_MAX_OPEN_FILES);
  }

  @Test
  void aClosedDescriptorMakesRoomAndRenumberFreesOne() throws Exception {
    Files.writeString(dir.resolve("f"), "x");
    Guest g = new Guest(dir, Guest.MEMORY_SIZE, InputStream.nullInputStream(),
        WasiConfig.builder().maxOpenFiles(6));
    assertEquals(2, openUntilRefused(g)); // fds 4 and 5
    assertEquals(0, g.wasi.fd().close(4));
    assertEquals(4, g.openOk("f", 0, Rights.ALL));
    assertEquals(Errno.MFILE.code(), g.open("f", 0, Rights.ALL)[0]);
    assertEquals(0, g.wasi.fd().renumber(5, 4)); // 4 closed, 5 moved onto it: one free
    assertEquals(5, g.openOk("f", 0, Rights.ALL));
    assertEquals(Errno.MFILE.code(), g.open("f", 0, Rights.ALL)[0]);
    assertEquals(6, g.wasi.context().fds().openCount());
  }

  @Test
  void theStreamsAndPreopensAreGivenWhateverTheLimit() throws Exception {
    Files.writeString(dir.resolve("f"), "x");
    Guest g = new Guest(dir, Guest.MEMORY_SIZE, InputStream.nullInputStream(),
        WasiConfig.builder().maxOpenFiles(1));
    assertEquals(0, g.wasi.fdStatus().prestatGet(g.memory, Guest.PREOPEN, g.alloc(8)));
    assertEquals(0, openUntilRefused(g));
  }

  @Test
  void aLimitBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> WasiConfig.builder().maxOpenFiles(0).build());
  }
}
