package dev.kiln.runtime;

import java.util.Objects;

/**
 * A global's type (WebAssembly 3.0 section 2.3.12).
 *
 * @param content the representation of the value it holds
 * @param mutable whether {@code global.set} may change it
 * @param precise the value's type as the module declares it (a reference's nullability and heap type)
 */
public record GlobalType(ValType content, boolean mutable, PreciseType precise) implements ExternType {
  /**
   * A global of a WebAssembly 2.0 type (a reference is the nullable top of its hierarchy).
   *
   * @param content the type of the value it holds
   * @param mutable whether {@code global.set} may change it
   */
  public GlobalType(ValType content, boolean mutable) {
    this(content, mutable, PreciseType.of(content));
  }

  /** Checks that the types are given and that {@code content} represents {@code precise}. */
  public GlobalType {
    Objects.requireNonNull(content, "content");
    if (Objects.requireNonNull(precise, "precise").kind() != content) {
      throw new IllegalArgumentException(precise + " is not represented by " + content);
    }
  }

  @Override
  public ExternKind kind() {
    return ExternKind.GLOBAL;
  }

  // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
  @Override
  public boolean equals(Object o) {
    return o instanceof GlobalType other && java.util.Objects.equals(content, other.content)
        && mutable == other.mutable && java.util.Objects.equals(precise, other.precise);
  }

  @Override
  public int hashCode() {
    int h = java.util.Objects.hashCode(content);
    h = 31 * h + Boolean.hashCode(mutable);
    return 31 * h + java.util.Objects.hashCode(precise);
  }

  @Override
  public String toString() {
    return "GlobalType[content=" + content + ", mutable=" + mutable + ", precise=" + precise + "]";
  }
}
