package dev.kiln.ir.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

class GoldenFileTest {
  @TempDir Path dir;

  @Test
  void mismatchFailsNamingTheBlessSwitch() throws IOException {
    Path file = dir.resolve("t.ir");
    Files.writeString(file, "test print\n; input\n; expect:\n; old line\n;\n; end\n");
    GoldenFile g = GoldenFile.read(file);
    assertEquals("old line\n\nend\n", g.expected());
    g.check("old line\n\nend\n");
    if (!GoldenFile.blessing()) {
      AssertionFailedError e = assertThrows(AssertionFailedError.class,
          () -> g.check("old line\n\nnew end\n"));
      assertTrue(e.getMessage().contains("-Dkiln.bless=true"), e.getMessage());
      assertTrue(e.getMessage().contains("output line 3"), e.getMessage());
    }
  }

  @Test
  void blessingRewritesOnlyTheExpectation() throws IOException {
    Path file = dir.resolve("t.ir");
    Files.writeString(file, "test print\nfunction %f() {\n; kept\n}\n; expect:\n; stale\n");
    String previous = System.getProperty("kiln.bless");
    System.setProperty("kiln.bless", "true");
    try {
      GoldenFile.read(file).check("fresh\n\nlines");
    } finally {
      if (previous == null) {
        System.clearProperty("kiln.bless");
      } else {
        System.setProperty("kiln.bless", previous);
      }
    }
    assertEquals("test print\nfunction %f() {\n; kept\n}\n; expect:\n; fresh\n;\n; lines\n",
        Files.readString(file));
    assertEquals("fresh\n\nlines\n", GoldenFile.read(file).expected());
  }
}
