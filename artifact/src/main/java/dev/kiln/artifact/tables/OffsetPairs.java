package dev.kiln.artifact.tables;

import dev.kiln.artifact.internal.ByteSink;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import java.util.Arrays;

/**
 * A table builder's entries before it encodes them: (text offset, value) pairs in increasing
 * text-offset order, kept as varint deltas (the text offset's from the previous one, the value's
 * zigzagged from the previous value) rather than two int columns. A large module's address map
 * has millions of entries, each mostly one byte of text distance and one or two of wasm distance:
 * about 2.5 bytes an entry instead of 8, and so a fraction of the memory while the artifact's other
 * parts are made (issue 40).
 */
final class OffsetPairs {
  private byte[] bytes = new byte[64];
  private int length;
  private int size;
  private int lastText;
  private int lastValue;

  /** Appends a pair; {@code textOffset} must be above the previous pair's (the builders check). */
  void add(int textOffset, int value) {
    ensure(15);
    putVarint(Integer.toUnsignedLong(textOffset - lastText));
    long change = (long) value - lastValue;
    putVarint((change << 1) ^ (change >> 63));
    lastText = textOffset;
    lastValue = value;
    size++;
  }

  /** Pairs appended. */
  int size() {
    return size;
  }

  /** The bytes the pairs take. */
  int encodedBytes() {
    return length;
  }

  /** The last pair's value; only when {@link #size()} is not zero. */
  int lastValue() {
    return lastValue;
  }

  /** Reads the pairs back in order, as often as asked. */
  Cursor cursor() {
    return new Cursor();
  }

  /** One pass over the pairs: {@link #next} before each, then {@link #textOffset} and {@link #value}. */
  final class Cursor {
    private int at;
    private int text;
    private int value;

    /** Moves to the next pair; false when there is none. */
    boolean next() {
      if (at == length) {
        return false;
      }
      text += (int) varint();
      long zigzag = varint();
      value += (int) ((zigzag >>> 1) ^ -(zigzag & 1));
      return true;
    }

    int textOffset() {
      return text;
    }

    int value() {
      return value;
    }

    private long varint() {
      long result = 0;
      for (int shift = 0; ; shift += 7) {
        byte b = bytes[at++];
        result |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return result;
        }
      }
    }
  }

  /**
   * Encodes a table's pairs into its blocks ({@link TextBlocks.Writer}), each pair in the form
   * {@link #encode} gives it, one call a pair ({@link CompileDeadline#forEach}: a large module's
   * address map has millions).
   */
  abstract static class Encoder {
    final TextBlocks.Writer blocks;
    final ByteSink data;

    Encoder(int[] functionStarts) {
      this.blocks = new TextBlocks.Writer(functionStarts);
      this.data = blocks.data();
    }

    /** Encodes every pair of {@code pairs}, in order; returns the blocks' table. */
    final byte[] encodeAll(OffsetPairs pairs) {
      Cursor pair = pairs.cursor();
      CompileDeadline.forEach(Phase.ASSEMBLY, pairs.size(), i -> {
        pair.next();
        encode(pair.textOffset(), pair.value());
      });
      return blocks.build();
    }

    /** Encodes one pair: {@link TextBlocks.Writer#entry} first, then its payload into {@link #data}. */
    abstract void encode(int textOffset, int value);
  }

  private void putVarint(long value) {
    while ((value & ~0x7FL) != 0) {
      bytes[length++] = (byte) (value & 0x7F | 0x80);
      value >>>= 7;
    }
    bytes[length++] = (byte) value;
  }

  /** Room for {@code more} bytes, growing by half (a pair takes at most 15). */
  private void ensure(int more) {
    if (bytes.length - length < more) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length + (bytes.length >> 1), length + more));
    }
  }
}
