package dev.kiln.wasm.module;

/** The kinds of external values, with their import/export descriptor byte (spec 5.5.10). */
public enum ExternKind {
  FUNC(0x00),
  TABLE(0x01),
  MEMORY(0x02),
  GLOBAL(0x03),
  /** An exception tag (WebAssembly 3.0 spec 2.5.10, 5.5.10). */
  TAG(0x04);

  private final int code;

  ExternKind(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
