package dev.kiln.artifact.tables;

import dev.kiln.artifact.internal.ByteSink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes {@code .kiln.stackmaps} ({@link StackMapTable}): the resident slot sets, then the
 * safepoints, given in increasing return-address order.
 */
public final class StackMapTableBuilder {
  /** An entry that names no resident set: its own slots are all its frame's references. */
  public static final int NO_RESIDENT_SET = -1;

  private record Entry(int returnOffset, int frameBelowFp, int residentSet, int[] slotOffsets) {}

  private final List<Entry> entries = new ArrayList<>();
  private int[] setFrames = new int[4];
  private int[][] setSlots = new int[4][];
  private int sets;

  /** An empty builder. */
  public StackMapTableBuilder() {}

  /**
   * Records the slots ({@code slotOffsets}, above the stack pointer) where a function whose frame
   * lies {@code frameBelowFp} bytes below its frame pointer keeps GC references for its whole run,
   * once for all its safepoints; returns the set's index, for {@link #add(int, int, int, int[])}.
   */
  public int residentSet(int frameBelowFp, int[] slotOffsets) {
    checkSlots("resident set " + sets, frameBelowFp, slotOffsets, 0);
    if (sets == setFrames.length) {
      setFrames = Arrays.copyOf(setFrames, sets * 2);
      setSlots = Arrays.copyOf(setSlots, sets * 2);
    }
    setFrames[sets] = frameBelowFp;
    setSlots[sets] = slotOffsets.clone();
    return sets++;
  }

  /**
   * Records that while the call whose return address is {@code returnOffset} (relative to {@code
   * .text}) is under way, its frame ({@code frameBelowFp} bytes below the frame pointer, a multiple
   * of {@link HandlerTable#FRAME_ALIGNMENT}) holds GC references in the words at {@code slotOffsets}
   * above its stack pointer, and nowhere else.
   */
  public StackMapTableBuilder add(int returnOffset, int frameBelowFp, int[] slotOffsets) {
    return add(returnOffset, frameBelowFp, NO_RESIDENT_SET, slotOffsets);
  }

  /**
   * Records a safepoint as {@link #add(int, int, int[])} does, whose frame also holds references in
   * the slots of {@code residentSet} ({@link #residentSet}, whose frame depth it must have; or {@link
   * #NO_RESIDENT_SET}).
   */
  public StackMapTableBuilder add(int returnOffset, int frameBelowFp, int residentSet, int[] slotOffsets) {
    String where = "stack map at 0x" + Integer.toHexString(returnOffset);
    if (returnOffset < 0 || !entries.isEmpty() && returnOffset <= entries.getLast().returnOffset()) {
      throw new IllegalArgumentException("stack map return offsets must be strictly increasing and non-negative: 0x"
          + Integer.toHexString(returnOffset));
    }
    int named = 0;
    if (residentSet != NO_RESIDENT_SET) {
      if (residentSet < 0 || residentSet >= sets) {
        throw new IllegalArgumentException(where + " names resident set " + residentSet + " of " + sets);
      }
      if (setFrames[residentSet] != frameBelowFp) {
        throw new IllegalArgumentException(where + " has a frame of " + frameBelowFp + " bytes, its resident set "
            + setFrames[residentSet]);
      }
      named = setSlots[residentSet].length;
    }
    checkSlots(where, frameBelowFp, slotOffsets, named);
    entries.add(new Entry(returnOffset, frameBelowFp, residentSet, slotOffsets.clone()));
    return this;
  }

  /** What the reader refuses ({@link StackMapTable}): a frame it does not take, more slots than words, a slot outside. */
  private static void checkSlots(String where, int frameBelowFp, int[] slotOffsets, int named) {
    if (frameBelowFp < 0 || frameBelowFp % HandlerTable.FRAME_ALIGNMENT != 0
        || frameBelowFp > HandlerTable.MAX_FRAME_BELOW_FP) {
      throw new IllegalArgumentException(where + ": frame size " + frameBelowFp + " is not a multiple of "
          + HandlerTable.FRAME_ALIGNMENT + " up to " + HandlerTable.MAX_FRAME_BELOW_FP);
    }
    if (slotOffsets.length > frameBelowFp / 8 - named) {
      throw new IllegalArgumentException(where + ": " + slotOffsets.length + " slots besides " + named
          + " resident ones in a frame of " + frameBelowFp + " bytes");
    }
    for (int slot : slotOffsets) {
      if (slot < 0 || slot % 8 != 0 || slot > frameBelowFp - 8) {
        throw new IllegalArgumentException(where + ": slot sp+" + slot + " is not an aligned word of its frame of "
            + frameBelowFp + " bytes");
      }
    }
  }

  public int size() {
    return entries.size();
  }

  /** The encoded section, its blocks restarting at each of {@code functionStarts} (increasing). */
  public byte[] build(int[] functionStarts) {
    ByteSink out = new ByteSink();
    ResidentSlotSets.write(out, sets, setFrames, setSlots);
    TextBlocks.Writer blocks = new TextBlocks.Writer(functionStarts);
    ByteSink data = blocks.data();
    for (Entry e : entries) {
      int distance = blocks.entry(e.returnOffset());
      if (distance >= 0) {
        data.varint(distance);
      }
      boolean resident = e.residentSet() != NO_RESIDENT_SET;
      data.varint((long) e.slotOffsets().length << 1 | (resident ? 1 : 0));
      data.varint(resident ? e.residentSet() : e.frameBelowFp() / HandlerTable.FRAME_ALIGNMENT);
      for (int slot : e.slotOffsets()) {
        data.varint(slot / 8);
      }
    }
    return out.bytes(blocks.build()).toByteArray();
  }
}
