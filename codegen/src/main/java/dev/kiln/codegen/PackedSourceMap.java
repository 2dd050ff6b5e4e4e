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
 * <p>Neither side makes an object per entry: the emitter records entries as ints ({@link Builder})
 * and the linker reads them in order through a {@link Cursor}; a {@link SourceMapping} per entry was
 * 2.6% of the bytes a yosys compile allocated (JFR's allocation samples). As a {@link List}, {@link
 * #get} starts from the nearest of the checkpoints kept every {@link #CHECKPOINT_EVERY} entries, so
 * it decodes fewer than that many entries.
 */
public final class PackedSourceMap extends AbstractList<SourceMapping> {
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

  /**
   * A map already packed, as {@link #deltas}, {@link #checkpoints} and {@link #size} gave it ({@link
   * CompiledFunctionBytes}).
   */
  static PackedSourceMap ofPacked(byte[] deltas, int[] checkpoints, int size) {
    if (size < 0 || checkpoints.length != 4 * ((size + CHECKPOINT_EVERY - 1) / CHECKPOINT_EVERY)) {
      throw new IllegalArgumentException(checkpoints.length + " checkpoint words for " + size + " entries");
    }
    // Each checkpoint's entry starts after the previous one's (at least three bytes per entry in
    // between) and inside the deltas, the first at byte 0: a damaged form is refused here, not met as
    // an index out of bounds when the linker reads the map.
    for (int c = 0, previous = -1; c < checkpoints.length; c += 4) {
      int at = checkpoints[c];
      boolean inOrder = c == 0 ? at == 0 : at >= previous + 3 * CHECKPOINT_EVERY;
      if (!inOrder || at >= deltas.length) {
        throw new IllegalArgumentException("checkpoint " + c / 4 + " at byte " + at + " of " + deltas.length);
      }
      previous = at;
    }
    return size == 0 ? EMPTY : new PackedSourceMap(deltas, checkpoints, size);
  }

  /** The packed deltas, not a copy. */
  byte[] deltas() {
    return deltas;
  }

  /** The checkpoints, not a copy. */
  int[] checkpoints() {
    return checkpoints;
  }

  /** {@code map} packed; a packed map is returned as it is. */
  static PackedSourceMap of(List<SourceMapping> map) {
    if (map instanceof PackedSourceMap packed) {
      return packed;
    }
    Builder builder = new Builder();
    for (SourceMapping m : map) {
      builder.add(m.codeOffset(), m.wasmOffset(), m.inlineSite());
    }
    return builder.pack();
  }

  /**
   * An address map's entries as they are made, three ints each, packed once their code offsets are
   * final ({@link #pack}): what a function's emission records, where it was a list of objects.
   */
  public static final class Builder {
    private int[] codeOffsets = new int[16];
    private int[] wasmOffsets = new int[16];
    private int[] inlineSites = new int[16];
    private int size;

    /** An empty map. */
    public Builder() {}

    /** Appends an entry ({@link SourceMapping}'s fields). */
    public void add(int codeOffset, int wasmOffset, int inlineSite) {
      if (size == codeOffsets.length) {
        codeOffsets = Arrays.copyOf(codeOffsets, 2 * size);
        wasmOffsets = Arrays.copyOf(wasmOffsets, 2 * size);
        inlineSites = Arrays.copyOf(inlineSites, 2 * size);
      }
      codeOffsets[size] = codeOffset;
      wasmOffsets[size] = wasmOffset;
      inlineSites[size] = inlineSite;
      size++;
    }

    public int size() {
      return size;
    }

    public boolean isEmpty() {
      return size == 0;
    }

    public int wasmOffset(int index) {
      Objects.checkIndex(index, size);
      return wasmOffsets[index];
    }

    public int inlineSite(int index) {
      Objects.checkIndex(index, size);
      return inlineSites[index];
    }

    /**
     * The entries packed, each code offset moved to where {@code finished}, the buffer they were
     * recorded in, put its byte ({@link CodeBuffer#toFinalOffsets}, in one walk over them all). Once:
     * the entries keep the final offsets.
     */
    public PackedSourceMap pack(CodeBuffer finished) {
      finished.toFinalOffsets(codeOffsets, size);
      return pack();
    }

    /** The entries packed as they are. */
    private PackedSourceMap pack() {
      if (size == 0) {
        return EMPTY;
      }
      byte[] out = new byte[Math.max(16, 4 * size)];
      int[] checkpoints = new int[4 * ((size + CHECKPOINT_EVERY - 1) / CHECKPOINT_EVERY)];
      int at = 0;
      int code = 0;
      int wasm = 0;
      int site = 0;
      for (int index = 0; index < size; index++) {
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
        int nextCode = codeOffsets[index];
        at = zigzag(out, at, nextCode - code);
        at = zigzag(out, at, wasmOffsets[index] - wasm);
        at = zigzag(out, at, inlineSites[index] - site);
        code = nextCode;
        wasm = wasmOffsets[index];
        site = inlineSites[index];
      }
      return new PackedSourceMap(Arrays.copyOf(out, at), checkpoints, size);
    }
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
    for (int i = index / CHECKPOINT_EVERY * CHECKPOINT_EVERY; i <= index; i++) {
      cursor.advance();
    }
    return cursor.entry();
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Iterator<SourceMapping> iterator() {
    Cursor cursor = cursor();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return cursor.hasNext();
      }

      @Override
      public SourceMapping next() {
        if (!cursor.hasNext()) {
          throw new NoSuchElementException();
        }
        cursor.advance();
        return cursor.entry();
      }
    };
  }

  /** A cursor before the first entry. */
  public Cursor cursor() {
    return new Cursor(0);
  }

  /**
   * Reads the entries in order, from a checkpoint on, without an object per entry: {@link #advance}
   * to an entry, then read its fields.
   */
  public final class Cursor {
    private int index;
    private int at;
    private int code;
    private int wasm;
    private int site;

    private Cursor(int checkpoint) {
      index = checkpoint * CHECKPOINT_EVERY;
      if (checkpoints.length > 0) {
        at = checkpoints[4 * checkpoint];
        code = checkpoints[4 * checkpoint + 1];
        wasm = checkpoints[4 * checkpoint + 2];
        site = checkpoints[4 * checkpoint + 3];
      }
    }

    /** Whether there is an entry after the current one. */
    public boolean hasNext() {
      return index < size;
    }

    /** Moves to the next entry, which must exist ({@link #hasNext}). */
    public void advance() {
      Objects.checkIndex(index, size);
      index++;
      code += unzigzag();
      wasm += unzigzag();
      site += unzigzag();
    }

    /** The current entry's {@link SourceMapping#codeOffset()}. */
    public int codeOffset() {
      return code;
    }

    /** The current entry's {@link SourceMapping#wasmOffset()}. */
    public int wasmOffset() {
      return wasm;
    }

    /** The current entry's {@link SourceMapping#inlineSite()}. */
    public int inlineSite() {
      return site;
    }

    private SourceMapping entry() {
      return new SourceMapping(code, wasm, site);
    }

    private int unzigzag() {
      // One byte (a delta of -64..63) is the common case: most entries step the code offset by one
      // instruction's bytes, the wasm offset by one instruction's and the site by nothing. Its test
      // is the byte's sign (no continuation bit), and it skips the loop.
      int first = deltas[at++];
      if (first >= 0) {
        return (first >>> 1) ^ -(first & 1);
      }
      return unzigzagLonger(first);
    }

    /** {@link #unzigzag} of a varint of two or more bytes, {@code first} its first (already read). */
    private int unzigzagLonger(int first) {
      int v = first & 0x7F;
      int shift = 7;
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
