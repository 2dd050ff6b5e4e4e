package dev.kiln.compiler.translate;

import java.nio.file.Path;

/** Where the translation tests write their reports: this module's build folder. */
final class BuildFolder {
  private BuildFolder() {}

  /** This module's build folder (target, or target-NAME with -Dkiln.buildDir). */
  static Path buildDir() {
    try {
      Path classes = Path.of(BuildFolder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return classes.getParent();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
