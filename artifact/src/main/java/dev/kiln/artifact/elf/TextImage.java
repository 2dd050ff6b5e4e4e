package dev.kiln.artifact.elf;

import java.util.Objects;

/**
 * The linked machine code a {@code .text} section holds, handed to the file as the writer reaches
 * it rather than held in an array of its own: a linker can copy each function's relocated code
 * straight into the file, so the file (or, written to disk, a buffer) is the only whole copy of the
 * text (issue 40, a compile's memory bounded by its output).
 */
public interface TextImage {
  /** Where {@link #writeTo} puts the bytes, in order. */
  @FunctionalInterface
  interface Output {
    /** Takes {@code bytes[offset, offset + length)} as the text's next bytes. */
    void write(byte[] bytes, int offset, int length);
  }

  /** The text's size in bytes. */
  int size();

  /**
   * Hands exactly {@link #size()} bytes, the whole text in order, to {@code out}; an image made as
   * it goes (a linker's, relocating each function) may throw instead, and its writer then gives up.
   */
  void writeTo(Output out);

  /** The text that is {@code code}, which the caller does not change afterwards. */
  static TextImage of(byte[] code) {
    Objects.requireNonNull(code, "code");
    return new TextImage() {
      @Override
      public int size() {
        return code.length;
      }

      @Override
      public void writeTo(Output out) {
        out.write(code, 0, code.length);
      }
    };
  }
}
