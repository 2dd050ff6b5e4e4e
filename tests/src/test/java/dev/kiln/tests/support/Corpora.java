package dev.kiln.tests.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the shared corpora are: {@code ../shared/corpora} beside the repository (as on developer
 * machines and in CI), or the folder named by {@code -Dkiln.corpora=DIR}.
 */
public final class Corpora {
  private Corpora() {}

  public static Path root() {
    String configured = System.getProperty("kiln.corpora");
    if (configured != null) {
      return Path.of(configured);
    }
    // Surefire runs in the module folder (repo/tests); the repository root is the nearest parent
    // holding the Maven Wrapper.
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    Path repo = dir == null ? Path.of("").toAbsolutePath() : dir;
    return repo.resolveSibling("shared").resolve("corpora");
  }

  public static Path sightglass() {
    return root().resolve("sightglass");
  }

  public static Path specTestsuite() {
    return root().resolve("spec-testsuite");
  }
}
