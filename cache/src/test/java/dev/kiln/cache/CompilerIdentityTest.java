package dev.kiln.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.compat.CompatHeader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compiler's identity changes with its version and with any file of its modules, and only then. */
class CompilerIdentityTest {
  private static final List<Class<?>> PRODUCERS = List.of(ModuleCache.class, CompatHeader.class);

  @Test
  void theSameBuildIsTheSameIdentityAndAnotherVersionAnother() {
    String identity = CompilerIdentity.of("dev", PRODUCERS);
    assertTrue(identity.matches("kiln dev build [0-9a-f]{32}"), identity);
    assertEquals(identity, CompilerIdentity.of("dev", PRODUCERS));
    assertNotEquals(identity, CompilerIdentity.of("0.2.0", PRODUCERS));
    assertNotEquals(identity, CompilerIdentity.of("dev", List.of(ModuleCache.class)));
  }

  @Test
  void aRebuiltFileOfAModuleIsANewIdentity() throws IOException, URISyntaxException {
    // This test's own classes: a directory (target/test-classes) or a jar, either way a file to touch.
    Path location = Path.of(CompilerIdentityTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path file = Files.isDirectory(location)
        ? location.resolve(CompilerIdentityTest.class.getName().replace('.', '/') + ".class")
        : location;
    List<Class<?>> producers = List.of(CompilerIdentityTest.class);
    FileTime original = Files.getLastModifiedTime(file);
    String before = CompilerIdentity.of("dev", producers);
    try {
      Files.setLastModifiedTime(file, FileTime.fromMillis(original.toMillis() + 2000));
      assertNotEquals(before, CompilerIdentity.of("dev", producers));
    } finally {
      Files.setLastModifiedTime(file, original);
    }
    assertEquals(before, CompilerIdentity.of("dev", producers));
  }
}
