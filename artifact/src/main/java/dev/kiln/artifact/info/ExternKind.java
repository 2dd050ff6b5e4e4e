package dev.kiln.artifact.info;

import java.util.Optional;

/**
 * What an import or export names, stored as its binary-format byte (WebAssembly 2.0 sections
 * 5.5.5 and 5.5.10: 0x00 func, 0x01 table, 0x02 mem, 0x03 global; WebAssembly 3.0's 0x04 tag).
 */
public enum ExternKind {
  FUNCTION(0),
  TABLE(1),
  MEMORY(2),
  GLOBAL(3),
  TAG(4);

  private final int code;

  ExternKind(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static Optional<ExternKind> ofCode(int code) {
    for (ExternKind k : values()) {
      if (k.code == code) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
