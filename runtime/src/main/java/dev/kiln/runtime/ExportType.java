package dev.kiln.runtime;

import java.util.Objects;

/**
 * One export of a {@link WasmModule} or an {@link Instance}, with its type.
 *
 * @param name the export name
 * @param type the exported entity's type
 */
public record ExportType(String name, ExternType type) {
  /** Checks that nothing is missing. */
  public ExportType {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  /**
   * What kind of entity it exports.
   *
   * @return the kind of {@link #type()}
   */
  public ExternKind kind() {
    return type.kind();
  }

  // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
  @Override
  public boolean equals(Object o) {
    return o instanceof ExportType other && java.util.Objects.equals(name, other.name)
        && java.util.Objects.equals(type, other.type);
  }

  @Override
  public int hashCode() {
    int h = java.util.Objects.hashCode(name);
    return 31 * h + java.util.Objects.hashCode(type);
  }

  @Override
  public String toString() {
    return "ExportType[name=" + name + ", type=" + type + "]";
  }
}
