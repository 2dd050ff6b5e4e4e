package dev.kiln.artifact.tables;

import static dev.kiln.artifact.internal.SectionReader.U32;

import dev.kiln.artifact.internal.ByteCursor;
import dev.kiln.artifact.internal.ByteSink;
import dev.kiln.artifact.internal.SectionReader;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The layout every table keyed by text offset shares (address map, inline map, trap table, and any
 * later one): entries in strictly increasing text offset, cut into <em>blocks</em> of at most
 * {@link #MAX_ENTRIES} entries that never span the start of a function, and an index of the blocks:
 *
 * <pre>
 *   u32 blockCount (B)
 *   B x u32 first text offset     of the block's first entry; strictly increasing, below .text's size
 *   B x u32 block end             where the block's bytes end in the data; strictly increasing
 *   data                          block b is [end[b-1] (0 for b = 0), end[b])
 * </pre>
 *
 * A block's first entry is at its indexed text offset and stores only its payload (in the table's
 * own first-entry form); every later entry stores its distance from the previous one (at least 1)
 * with its payload, in the table's delta form. So an offset costs about a byte instead of four,
 * and a lookup is one binary search over the contiguous first offsets plus the decoding of one
 * block of at most {@link #MAX_ENTRIES} entries. Because blocks restart at function starts, a
 * function's entries are encoded relative to the function: the linker can encode each function's
 * part on its own.
 *
 * <p>{@link #open} validates the index only (O(blocks)); each block is validated as it is decoded
 * ({@link Walk}): offsets strictly increasing and below the next block's first offset (or the text's
 * size), at most {@link #MAX_ENTRIES} entries, every varint inside the block. So no lookup reads
 * outside the section, and a table is never decoded whole to answer one question.
 */
final class TextBlocks {
  /** The most entries a block holds: a lookup decodes at most this many. */
  static final int MAX_ENTRIES = 64;

  private final MemorySegment section;
  private final String name;
  private final long base;
  private final int count;
  private final long textSize;

  private TextBlocks(MemorySegment section, String name, long base, int count, long textSize) {
    this.section = section;
    this.name = name;
    this.base = base;
    this.count = count;
    this.textSize = textSize;
  }

  /**
   * Validates the header and the block index of {@code in} (a table of a {@code .text} of {@code
   * textSize} bytes): the exact size, first offsets strictly increasing and inside {@code .text},
   * block ends strictly increasing (every block has a byte at least). The table starts at byte
   * {@code base} of the section and runs to its end.
   */
  static TextBlocks open(SectionReader in, String name, long base, long textSize) {
    long blocks = Integer.toUnsignedLong(in.u32(base, "block count"));
    long indexEnd = 4 + 8 * blocks;
    in.require(base + 4, 8 * blocks, "block index");
    long dataSize = blocks == 0 ? 0 : Integer.toUnsignedLong(in.u32(base + indexEnd - 4, "last block end"));
    if (base + indexEnd + dataSize != in.size()) {
      throw in.corrupt(base, "size is " + (in.size() - base) + " bytes but " + blocks + " blocks of " + dataSize
          + " data bytes need " + (indexEnd + dataSize));
    }
    long previousFirst = -1;
    long previousEnd = 0;
    for (long b = 0; b < blocks; b++) {
      long first = Integer.toUnsignedLong(in.u32(base + 4 + 4 * b, "first text offset"));
      if (first <= previousFirst) {
        throw in.corrupt(base + 4 + 4 * b, "block first offsets not strictly increasing at block " + b);
      }
      if (first >= textSize) {
        throw in.corrupt(base + 4 + 4 * b, "block " + b + " starts at text offset " + first + ", outside .text ("
            + textSize + " bytes)");
      }
      long end = Integer.toUnsignedLong(in.u32(base + 4 + 4 * blocks + 4 * b, "block end"));
      if (end <= previousEnd) {
        throw in.corrupt(base + 4 + 4 * blocks + 4 * b, "block " + b + " ends at " + end + ", not after "
            + previousEnd + " (every block holds a byte)");
      }
      previousFirst = first;
      previousEnd = end;
    }
    return new TextBlocks(in.segment(), name, base, (int) blocks, textSize);
  }

  int count() {
    return count;
  }

  int firstOffset(int block) {
    return section.get(U32, base + 4 + 4L * block);
  }

  /** The last block whose first offset is at or below {@code textOffset}, or -1. */
  int floor(int textOffset) {
    if (textOffset < 0 || count == 0 || firstOffset(0) > textOffset) {
      return -1;
    }
    int lo = 0;
    int hi = count - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (firstOffset(mid) <= textOffset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /**
   * How one table stores its entries' payloads: the form of a block's first entry, and the form of
   * every later one (its distance from the previous entry, then its payload). The lookup and the
   * whole-table walk below are the same for every table; only this differs.
   */
  interface EntryDecoder<T> {
    /** Decodes the payload of a block's first entry, which {@code walk} is on. */
    T first(Walk walk);

    /** Decodes the next entry of {@code walk}'s block: its distance (moving {@code walk} onto it with {@link Walk#next}), then its payload. */
    T next(Walk walk);
  }

  /**
   * The later-entry form the handler and stack-map tables share: a {@code varint} distance named
   * {@code distanceField} in errors, then the same payload as a first entry.
   */
  abstract static class DistanceThenPayload<T> implements EntryDecoder<T> {
    private final String distanceField;

    DistanceThenPayload(String distanceField) {
      this.distanceField = distanceField;
    }

    @Override
    public final T next(Walk walk) {
      long at = walk.in.position();
      walk.next(walk.in.varint63(distanceField), at);
      return first(walk);
    }
  }

  /**
   * The entry at exactly {@code textOffset}, decoded, or {@code null} when it has none: a binary
   * search over the block index, then the one block at or before it decoded up to the offset (at
   * most {@link #MAX_ENTRIES} entries). Allocates nothing beyond the block's cursor and what {@code
   * decoder} makes of each entry.
   */
  <T> T lookup(int textOffset, EntryDecoder<T> decoder) {
    int block = floor(textOffset);
    if (block < 0) {
      return null;
    }
    Walk walk = walk(block);
    T value = decoder.first(walk);
    while (walk.textOffset() < textOffset && walk.hasNext()) {
      value = decoder.next(walk);
    }
    return walk.textOffset() == textOffset ? value : null;
  }

  /** Receives each decoded entry: the walk on it (its text offset, its cursor for errors), where the entry's bytes start, its value. */
  interface EntryVisitor<T> {
    void visit(Walk walk, long entryAt, T value);
  }

  /**
   * Decodes every entry of every block in text order, each validated as a lookup validates it, and
   * hands it to {@code visitor}. Work in proportion to the table: polls the load's budget ({@link
   * CompileDeadline}) every {@link CompileDeadline#POLL_INTERVAL} entries.
   */
  <T> void forEachEntry(EntryDecoder<T> decoder, EntryVisitor<T> visitor) {
    long entries = 0;
    for (int b = 0; b < count; b++) {
      Walk walk = walk(b);
      CompileDeadline.pollCounted(Phase.LOAD, entries++);
      long at = walk.in.position();
      visitor.visit(walk, at, decoder.first(walk));
      while (walk.hasNext()) {
        at = walk.in.position();
        T value = decoder.next(walk);
        CompileDeadline.pollCounted(Phase.LOAD, entries++);
        visitor.visit(walk, at, value);
      }
    }
  }

  /** A decoder positioned on {@code block}'s first entry, whose payload is next. */
  Walk walk(int block) {
    long ends = base + 4 + 4L * count;
    long dataStart = base + 4 + 8L * count;
    long from = block == 0 ? 0 : Integer.toUnsignedLong(section.get(U32, ends + 4L * (block - 1)));
    long to = Integer.toUnsignedLong(section.get(U32, ends + 4L * block));
    long limit = block + 1 < count ? firstOffset(block + 1) : textSize;
    return new Walk(new ByteCursor(section, name, dataStart + from, dataStart + to), firstOffset(block), limit);
  }

  /**
   * One block being decoded: the cursor on its bytes and the text offset of the entry last read.
   * {@link #next} checks each step against the block's bounds.
   */
  static final class Walk {
    final ByteCursor in;
    private int textOffset;
    private final long limit;
    private int entries = 1;

    private Walk(ByteCursor in, int textOffset, long limit) {
      this.in = in;
      this.textOffset = textOffset;
      this.limit = limit;
    }

    int textOffset() {
      return textOffset;
    }

    boolean hasNext() {
      return !in.atEnd();
    }

    /** Moves to the next entry, {@code delta} bytes on (as decoded from its bytes, before them). */
    void next(long delta, long deltaPosition) {
      long offset = textOffset + delta;
      if (delta < 1 || offset >= limit) {
        throw in.corruptAt(deltaPosition, "entry at text offset " + offset + " is not after " + textOffset + " and before " + limit);
      }
      if (++entries > MAX_ENTRIES) {
        throw in.corruptAt(deltaPosition, "block holds more than " + MAX_ENTRIES + " entries");
      }
      textOffset = (int) offset;
    }
  }

  /**
   * Cuts entries given in strictly increasing text offset into blocks: a new block at the first
   * entry, after {@link #MAX_ENTRIES} entries, and at the first entry at or after each function
   * start. The table writes each entry's payload into {@link #data()} after {@link #entry} says
   * which form it takes.
   */
  static final class Writer {
    private final ByteSink data = new ByteSink();
    private final int[] functionStarts;
    private int nextFunction;
    private int[] firsts = new int[16];
    private int[] ends = new int[16];
    private int blocks;
    private int inBlock;
    private int lastOffset = -1;

    /** {@code functionStarts}: every function's text offset, increasing. */
    Writer(int[] functionStarts) {
      this.functionStarts = functionStarts;
    }

    /**
     * Starts the entry at {@code textOffset}: returns -1 when it begins a block (the table writes
     * its first-entry form), else its distance from the previous entry (the delta form).
     */
    int entry(int textOffset) {
      if (textOffset <= lastOffset) {
        throw new IllegalArgumentException("text offsets must be strictly increasing: 0x"
            + Integer.toHexString(textOffset) + " after 0x" + Integer.toHexString(lastOffset));
      }
      boolean crossesFunction = false;
      while (nextFunction < functionStarts.length && functionStarts[nextFunction] <= textOffset) {
        crossesFunction = true;
        nextFunction++;
      }
      int previous = lastOffset;
      lastOffset = textOffset;
      if (blocks == 0 || inBlock == MAX_ENTRIES || crossesFunction) {
        closeBlock();
        if (blocks == firsts.length) {
          firsts = Arrays.copyOf(firsts, blocks * 2);
          ends = Arrays.copyOf(ends, blocks * 2);
        }
        firsts[blocks++] = textOffset;
        inBlock = 1;
        return -1;
      }
      inBlock++;
      return textOffset - previous;
    }

    ByteSink data() {
      return data;
    }

    private void closeBlock() {
      if (blocks > 0) {
        ends[blocks - 1] = data.size();
      }
    }

    /** The table: the header, the index and the blocks. */
    byte[] build() {
      closeBlock();
      ByteSink out = new ByteSink(4 + 8 * blocks + data.size());
      out.u32(blocks);
      CompileDeadline.forEach(Phase.ASSEMBLY, blocks, b -> out.u32(firsts[b]));
      CompileDeadline.forEach(Phase.ASSEMBLY, blocks, b -> out.u32(ends[b]));
      data.appendTo(out);
      return out.toByteArray();
    }
  }
}
