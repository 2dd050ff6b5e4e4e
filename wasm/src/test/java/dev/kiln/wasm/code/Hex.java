package dev.kiln.wasm.code;

/** Test helper: bytes from a string of hex pairs, spaces ignored ({@code "41 7f 0b"}). */
public final class Hex {
  private Hex() {}

  public static byte[] bytes(String hex) {
    String s = hex.replace(" ", "");
    if (s.length() % 2 != 0) {
      throw new IllegalArgumentException("odd number of hex digits: " + hex);
    }
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
