package dev.kiln.tests.support;

import java.nio.file.Path;

/** Where the shared corpora are: the {@code kiln.corpora} property the root pom gives every test. */
public final class Corpora {
  private Corpora() {}

  public static Path root() {
    return Path.of(System.getProperty("kiln.corpora", "../../shared/corpora"));
  }

  public static Path sightglass() {
    return root().resolve("sightglass");
  }

  public static Path specTestsuite() {
    return root().resolve("spec-testsuite");
  }
}
