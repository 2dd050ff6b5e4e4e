package dev.kiln.artifact.info;

import java.util.Optional;

/**
 * How a data or element segment is used (WebAssembly 2.0 sections 2.5.7-2.5.8): copied in at
 * instantiation (active), kept for {@code memory.init}/{@code table.init} (passive), or only
 * declaring functions referable (declarative; element segments only).
 */
public enum SegmentMode {
  ACTIVE(0),
  PASSIVE(1),
  DECLARATIVE(2);

  private final int code;

  SegmentMode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static Optional<SegmentMode> ofCode(int code) {
    for (SegmentMode m : values()) {
      if (m.code == code) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
