package dev.kiln.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few binary-format writers (spec 5.1.2 LEB128 integers, 5.2.4 names, 5.5.2 sections) that the
 * benchmark's hand-built modules share, so each module builder states only its own sections.
 */
final class WasmBytes {
  private WasmBytes() {}

  /** A stream holding the magic number and version 1 (spec 5.5.16). */
  static ByteArrayOutputStream header() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
    return out;
  }

  /** A name: its UTF-8 length, then its bytes. */
  static void name(ByteArrayOutputStream out, String name) {
    byte[] b = name.getBytes(StandardCharsets.UTF_8);
    uleb(out, b.length);
    out.writeBytes(b);
  }

  /** A section: its id, the payload's length, then the payload. */
  static void section(ByteArrayOutputStream out, int id, byte[] payload) {
    out.write(id);
    uleb(out, payload.length);
    out.writeBytes(payload);
  }

  /** {@code values} as bytes, so literal encodings read as one list of hex numbers. */
  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  static void uleb(ByteArrayOutputStream out, long value) {
    do {
      int b = (int) (value & 0x7F);
      value >>>= 7;
      out.write(value != 0 ? b | 0x80 : b);
    } while (value != 0);
  }

  static void sleb(ByteArrayOutputStream out, long value) {
    while (true) {
      int b = (int) (value & 0x7F);
      value >>= 7;
      boolean done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
      out.write(done ? b : b | 0x80);
      if (done) {
        return;
      }
    }
  }
}
