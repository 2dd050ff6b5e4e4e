package dev.kiln.loader.sys;

import java.util.HexFormat;
import java.util.List;

/**
 * One instruction of the machine code the loader writes out itself (it depends on no code
 * generator, and its few pieces of code are small and fixed): the bytes in memory order (hex,
 * space-separated) and the text, in AT&T syntax as Capstone prints it; a test of each piece
 * disassembles every row and compares.
 */
record CodeRow(String hex, String text) {
  byte[] bytes() {
    return HexFormat.ofDelimiter(" ").parseHex(hex);
  }

  /**
   * The rows' bytes followed by the 8-byte little-endian {@code literal} that the code reads
   * PC-relative; the rows must end 8-aligned, so that the literal is.
   */
  static byte[] assemble(List<CodeRow> rows, long literal) {
    int length = rows.stream().mapToInt(r -> r.bytes().length).sum();
    if (length % 8 != 0) {
      throw new IllegalStateException("the code must end 8-aligned, before its literal: " + length);
    }
    byte[] code = new byte[length + 8];
    int at = 0;
    for (CodeRow row : rows) {
      byte[] b = row.bytes();
      System.arraycopy(b, 0, code, at, b.length);
      at += b.length;
    }
    for (int i = 0; i < 8; i++) {
      code[at + i] = (byte) (literal >>> (8 * i));
    }
    return code;
  }
}
