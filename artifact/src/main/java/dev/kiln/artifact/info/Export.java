package dev.kiln.artifact.info;

import java.util.Objects;

/** One export (WebAssembly 2.0 section 2.5.10): a name and an index into the kind's index space. */
public record Export(String name, ExternKind kind, int index) {
  public Export {
    Objects.requireNonNull(name);
    Objects.requireNonNull(kind);
  }
}
