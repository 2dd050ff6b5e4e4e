package dev.kiln.runtime;

import java.util.Objects;

/**
 * A global's type (WebAssembly 2.0 section 2.3.12).
 *
 * @param content the type of the value it holds
 * @param mutable whether {@code global.set} may change it
 */
public record GlobalType(ValType content, boolean mutable) implements ExternType {
  /** Checks that the value type is given. */
  public GlobalType {
    Objects.requireNonNull(content, "content");
  }

  @Override
  public ExternKind kind() {
    return ExternKind.GLOBAL;
  }
}
