package dev.kiln.codegen;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A function's address map as {@link CompiledFunction} keeps it until the linker reads it: each
 * entry as the zigzag varint differences of its code offset, wasm offset and inline site from the
 * previous entry's (about four bytes an entry; 36 as an object each, 12 as three ints). A module's
 * functions are all held until they are linked, and their entries (every wasm instruction's start)
 * number five million for a 30 MB module. Read-only.
 *
 * <p>The linker reads the map in order ({@link #iterator}, one step an entry); {@link #get} starts
 * from the nearest of the checkpoints kept every {@link #CHECKPOINT_EVERY} entries, so it decodes
 * fewer than that many entries.
 */
final class PackedSourceMap extends AbstractList<SourceMapping> {
  static final int CHECKPOINT_EVERY = 16;
  private static final PackedSourceMap EMPTY = new PackedSourceMap(new byte[0], new int[0], 0);

  private final byte[] deltas;
  /** Per checkpoint: the byte position of its entry, and the code offset, wasm offset and site before it. */
  private final int[] checkpoints;
  private final int size;

  private PackedSourceMap(byte[] deltas, int[] checkpoints, int size) {
    this.deltas = deltas;
    this.checkpoints = checkpoints;
    this.size = size;
  }

  /** {@code map} packed; a packed map is returned as it is. */
  static PackedSourceMap of(List<SourceMapping> map) {
    if (map instanceof PackedSourceMap packed) {
      return packed;
    }
    if (map.isEmpty()) {
      return EMPTY;
    }
    byte[] out = new byte[Math.max(16, 4 * map.size())];
    int[] checkpoints = new int[4 * ((map.size() + CHECKPOINT_EVERY - 1) / CHECKPOINT_EVERY)];
    int at = 0;
    int code = 0;
    int wasm = 0;
    int site = 0;
    int index = 0;
    for (SourceMapping m : map) {
      if (index % CHECKPOINT_EVERY == 0) {
        int c = 4 * (index / CHECKPOINT_EVERY);
        checkpoints[c] = at;
        checkpoints[c + 1] = code;
        checkpoints[c + 2] = wasm;
        checkpoints[c + 3] = site;
      }
      if (out.length - at < 15) {
        out = Arrays.copyOf(out, out.length * 2);
      }
      at = zigzag(out, at, m.codeOffset() - code);
      at = zigzag(out, at, m.wasmOffset() - wasm);
      at = zigzag(out, at, m.inlineSite() - site);
      code = m.codeOffset();
      wasm = m.wasmOffset();
      site = m.inlineSite();
      index++;
    }
    return new PackedSourceMap(Arrays.copyOf(out, at), checkpoints, index);
  }

  /** Writes {@code value} zigzag-encoded as an unsigned LEB128 varint (at most five bytes). */
  private static int zigzag(byte[] out, int at, int value) {
    int v = (value << 1) ^ (value >> 31);
    while ((v & ~0x7F) != 0) {
      out[at++] = (byte) (v & 0x7F | 0x80);
      v >>>= 7;
    }
    out[at++] = (byte) v;
    return at;
  }

  @Override
  public SourceMapping get(int index) {
    Objects.checkIndex(index, size);
    Cursor cursor = new Cursor(index / CHECKPOINT_EVERY);
    for (int i = index / CHECKPOINT_EVERY * CHECKPOINT_EVERY; i < index; i++) {
      cursor.next();
    }
    return cursor.next();
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Iterator<SourceMapping> iterator() {
    Cursor cursor = new Cursor(0);
    return new Iterator<>() {
      private int index;

      @Override
      public boolean hasNext() {
        return index < size;
      }

      @Override
      public SourceMapping next() {
        if (index >= size) {
          throw new NoSuchElementException();
        }
        index++;
        return cursor.next();
      }
    };
  }

  /** Decodes entries in order from a checkpoint on. */
  private final class Cursor {
    private int at;
    private int code;
    private int wasm;
    private int site;

    Cursor(int checkpoint) {
      if (checkpoints.length > 0) {
        at = checkpoints[4 * checkpoint];
        code = checkpoints[4 * checkpoint + 1];
        wasm = checkpoints[4 * checkpoint + 2];
        site = checkpoints[4 * checkpoint + 3];
      }
    }

    SourceMapping next() {
      code += unzigzag();
      wasm += unzigzag();
      site += unzigzag();
      return new SourceMapping(code, wasm, site);
    }

    private int unzigzag() {
      int v = 0;
      int shift = 0;
      int b;
      do {
        b = deltas[at++];
        v |= (b & 0x7F) << shift;
        shift += 7;
      } while ((b & 0x80) != 0);
      return (v >>> 1) ^ -(v & 1);
    }
  }
}
