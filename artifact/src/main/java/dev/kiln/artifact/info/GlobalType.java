package dev.kiln.artifact.info;

import java.util.Objects;

/** A global type (WebAssembly 2.0 section 2.3.10): value type and mutability. */
public record GlobalType(ValType type, boolean mutable) {
  public GlobalType {
    Objects.requireNonNull(type);
  }
}
