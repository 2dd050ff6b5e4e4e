package dev.kiln.artifact.info;

import java.util.Objects;

/** A global the module defines: its type and initialiser. */
public record Global(GlobalType type, ConstExpr init) {
  public Global {
    Objects.requireNonNull(type);
    Objects.requireNonNull(init);
  }
}
