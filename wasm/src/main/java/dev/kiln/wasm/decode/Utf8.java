package dev.kiln.wasm.decode;

/**
 * Well-formedness of UTF-8 as the binary format's names require (spec 5.2.4, which refers to Unicode
 * 3.9 table 3-7): no overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no stray
 * continuation bytes and no truncated sequences. Java's decoder would silently replace such bytes,
 * so the check comes first.
 */
final class Utf8 {
  private Utf8() {}

  static boolean isWellFormed(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to) {
      int b = bytes[i] & 0xFF;
      if (b < 0x80) {
        i++;
        continue;
      }
      int length;
      int secondLow = 0x80;
      int secondHigh = 0xBF;
      if (b >= 0xC2 && b <= 0xDF) {
        length = 2;
      } else if (b >= 0xE0 && b <= 0xEF) {
        length = 3;
        if (b == 0xE0) {
          secondLow = 0xA0; // shorter forms would be overlong
        } else if (b == 0xED) {
          secondHigh = 0x9F; // U+D800..U+DFFF are surrogates
        }
      } else if (b >= 0xF0 && b <= 0xF4) {
        length = 4;
        if (b == 0xF0) {
          secondLow = 0x90; // overlong
        } else if (b == 0xF4) {
          secondHigh = 0x8F; // above U+10FFFF
        }
      } else {
        return false; // continuation byte, overlong lead C0/C1, or F5..FF
      }
      if (to - i < length) {
        return false;
      }
      int second = bytes[i + 1] & 0xFF;
      if (second < secondLow || second > secondHigh) {
        return false;
      }
      for (int k = 2; k < length; k++) {
        if ((bytes[i + k] & 0xC0) != 0x80) {
          return false;
        }
      }
      i += length;
    }
    return true;
  }
}
