package dev.kiln.runtime;

import java.util.Objects;

/**
 * One import of a {@link WasmModule}: the two-level name a {@link Linker} resolves it by, and the
 * type the definition must match (WebAssembly 2.0 section 4.5.3, import matching).
 *
 * @param module the first name (e.g. {@code wasi_snapshot_preview1})
 * @param name the second name (e.g. {@code fd_write})
 * @param type the type the module declares for it
 */
public record ImportType(String module, String name, ExternType type) {
  /** Checks that nothing is missing. */
  public ImportType {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  /**
   * What kind of entity it imports.
   *
   * @return the kind of {@link #type()}
   */
  public ExternKind kind() {
    return type.kind();
  }

  // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
  @Override
  public boolean equals(Object o) {
    return o instanceof ImportType other && java.util.Objects.equals(module, other.module)
        && java.util.Objects.equals(name, other.name) && java.util.Objects.equals(type, other.type);
  }

  @Override
  public int hashCode() {
    int h = java.util.Objects.hashCode(module);
    h = 31 * h + java.util.Objects.hashCode(name);
    return 31 * h + java.util.Objects.hashCode(type);
  }

  @Override
  public String toString() {
    return "ImportType[module=" + module + ", name=" + name + ", type=" + type + "]";
  }
}
