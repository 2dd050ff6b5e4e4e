package dev.kiln.disasm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled Capstone library is unpacked into a temporary folder that is gone when the process ends. */
class BundledCapstoneTest {
  /** Run in a child JVM: unpacks the library and prints where to, then exits. */
  public static void main(String[] args) {
    Path library = BundledCapstone.extract();
    System.out.println(library == null ? "none" : library);
  }

  @Test
  void theUnpackedLibraryAndItsFolderAreRemovedAtExit(@TempDir Path tmp) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
        BundledCapstoneTest.class.getName()).redirectErrorStream(true).start();
    String out = new String(child.getInputStream().readAllBytes()).strip();
    assertEquals(0, child.waitFor(), out);
    if (out.equals("none")) {
      return; // a host the jar bundles no library for: nothing unpacked
    }
    assertTrue(Path.of(out).startsWith(tmp), out);
    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(List.of(), left.toList(), "left behind in the temporary folder");
    }
  }
}
