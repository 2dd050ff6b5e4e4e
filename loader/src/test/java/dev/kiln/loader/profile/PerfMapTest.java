package dev.kiln.loader.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
