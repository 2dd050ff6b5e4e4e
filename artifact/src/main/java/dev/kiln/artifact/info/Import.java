package dev.kiln.artifact.info;

import java.util.Objects;

/** One import: the two-level name and what it brings in. */
public record Import(String module, String name, ImportDesc desc) {
  public Import {
    Objects.requireNonNull(module);
    Objects.requireNonNull(name);
    Objects.requireNonNull(desc);
  }
}
