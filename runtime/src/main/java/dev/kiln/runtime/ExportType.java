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
}
