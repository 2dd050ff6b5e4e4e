package dev.kiln.artifact.tables;

import static dev.kiln.artifact.internal.SectionReader.U32;

import dev.kiln.artifact.internal.ByteCursor;
import dev.kiln.artifact.internal.ByteSink;
import dev.kiln.artifact.internal.SectionReader;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import java.lang.foreign.MemorySegment;

/**
 * The head of {@code .kiln.stackmaps}: the <em>resident slot sets</em>, each a frame depth and the
 * frame slots a function keeps GC references in for its whole run (compiler
 * translate.ReferenceLiveness's frame-resident locals), stored once per function and named by index
 * from every stack map entry of that function ({@link StackMapTable}), so K resident slots across M
 * safepoints cost K + M bytes, not K x M:
 *
 * <pre>
 *   u32 set count (R)
 *   R x u32 set end       where set r's bytes end in the set data; strictly increasing
 *   set data              set r is [end[r-1] (0 for r = 0), end[r]):
 *                           varint frame / 16, varint k, k x varint slot / 8
 * </pre>
 *
 * {@link #open} checks the index only (O(R)): it fits the section and its ends increase, so every
 * set holds a byte and the table of blocks after it starts at a known offset. A set is checked when
 * it is decoded ({@link #decode}), as a block of entries is: the frame depth at most {@link
 * HandlerTable#MAX_FRAME_BELOW_FP}, no more slots than the frame has words or the set has bytes,
 * every slot word inside the frame, and the set's bytes used exactly. A set carries its own frame
 * depth, so its slots are checked once, not again for each entry that names it.
 */
final class ResidentSlotSets {
  /** A decoded set: the frame depth it belongs to and the slots' offsets above the stack pointer. */
  record Set(int frameBelowFp, int[] slotOffsets) {}

  private final MemorySegment section;
  private final String name;
  private final int count;

  private ResidentSlotSets(MemorySegment section, String name, int count) {
    this.section = section;
    this.name = name;
    this.count = count;
  }

  /** Validates the set index at the start of {@code in}'s section. */
  static ResidentSlotSets open(SectionReader in, String name) {
    long sets = Integer.toUnsignedLong(in.u32(0, "resident set count"));
    in.require(4, 4 * sets, "resident set index");
    long previousEnd = 0;
    for (long r = 0; r < sets; r++) {
      long end = Integer.toUnsignedLong(in.u32(4 + 4 * r, "resident set end"));
      if (end <= previousEnd) {
        throw in.corrupt(4 + 4 * r, "resident set " + r + " ends at " + end + ", not after " + previousEnd
            + " (every set holds a byte)");
      }
      previousEnd = end;
    }
    in.require(4 + 4 * sets, previousEnd, "resident set data");
    return new ResidentSlotSets(in.segment(), name, (int) sets);
  }

  int count() {
    return count;
  }

  /** Where the sets end in the section: the stack map entries' table of blocks starts there. */
  long end() {
    return dataStart() + (count == 0 ? 0 : Integer.toUnsignedLong(section.get(U32, 4 + 4L * (count - 1))));
  }

  private long dataStart() {
    return 4 + 4L * count;
  }

  /** Set {@code index} (below {@link #count}), decoded and validated. */
  Set decode(int index) {
    long from = index == 0 ? 0 : Integer.toUnsignedLong(section.get(U32, 4 + 4L * (index - 1)));
    long to = Integer.toUnsignedLong(section.get(U32, 4 + 4L * index));
    ByteCursor set = new ByteCursor(section, name, dataStart() + from, dataStart() + to);
    int frame = StackMapTable.frameDepth(set);
    long countAt = set.position();
    int[] slots = StackMapTable.slots(set, set.varint63("resident slot count"), countAt, frame, 0);
    if (!set.atEnd()) {
      throw set.corrupt("resident set " + index + " has " + set.remaining() + " bytes after its last slot");
    }
    return new Set(frame, slots);
  }

  /** Decodes (so validates) every set, polling the load's budget: a set no entry names is still checked. */
  void checkAll() {
    for (int r = 0; r < count; r++) {
      CompileDeadline.pollCounted(Phase.LOAD, r);
      decode(r);
    }
  }

  /**
   * Writes the sets: the index, then each set's bytes. {@code frames[r]} and {@code slots[r]} are set
   * r's, already checked by the builder.
   */
  static void write(ByteSink out, int count, int[] frames, int[][] slots) {
    ByteSink data = new ByteSink();
    int[] ends = new int[count];
    for (int r = 0; r < count; r++) {
      data.varint(frames[r] / HandlerTable.FRAME_ALIGNMENT);
      data.varint(slots[r].length);
      for (int slot : slots[r]) {
        data.varint(slot / 8);
      }
      ends[r] = data.size();
    }
    out.u32(count);
    for (int end : ends) {
      out.u32(end);
    }
    data.appendTo(out);
  }
}
