package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.elf.KilnSection;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The resident sets and entries of an artifact's {@code .kiln.stackmaps} where they lie in the
 * file's bytes, for tests that damage one as a faulty compiler or a resealing attacker would (the
 * layout is {@code artifact.tables.StackMapTable}'s: the resident sets' count, ends and sets of
 * {@code frame / 16, count, slots / 8}; then a block index, then per block a first entry of {@code
 * head = own count << 1 | names a set, frame / 16 or the set's index, slots / 8} and later entries
 * each after a {@code distance}, all unsigned LEB128).
 */
record StackMapBytes(List<Set> sets, List<Entry> entries) {
  /** One resident set: the file offset and value of its frame depth, the file offsets and values of its slots. */
  record Set(int frameAt, int frame, int[] slotAt, int[] slots) {}

  /**
   * One entry: its return address as a text offset, the file offset of its distance (-1 for a
   * block's first entry), its block and whether it is the block's last, the resident set it names
   * (-1: none) and the file offset of that index (-1: none), the file offset and value of its frame
   * depth (its set's, when it names one), and the file offsets and values of its own slots.
   */
  record Entry(int returnOffset, int distanceAt, int block, boolean lastOfBlock, int residentSet, int residentSetAt,
      int frameAt, int frame, int[] slotAt, int[] slots) {}

  static StackMapBytes of(byte[] artifact) {
    CwasmFile file = CwasmFile.open(MemorySegment.ofArray(artifact));
    int section = (int) file.fileOffset(KilnSection.STACKMAPS);
    ByteBuffer in = ByteBuffer.wrap(artifact).order(ByteOrder.LITTLE_ENDIAN);
    int setCount = in.getInt(section);
    int setData = section + 4 + 4 * setCount;
    int[] at = new int[1];
    List<Set> sets = new ArrayList<>();
    for (int r = 0; r < setCount; r++) {
      at[0] = setData + (r == 0 ? 0 : in.getInt(section + 4 + 4 * (r - 1)));
      int frameAt = at[0];
      int frame = (int) leb(artifact, at) * 16;
      int[][] slots = slots(artifact, at, (int) leb(artifact, at));
      sets.add(new Set(frameAt, frame, slots[0], slots[1]));
    }
    int table = setData + (setCount == 0 ? 0 : in.getInt(section + 4 + 4 * (setCount - 1)));
    int blocks = in.getInt(table);
    int data = table + 4 + 8 * blocks;
    List<Entry> entries = new ArrayList<>();
    for (int b = 0; b < blocks; b++) {
      int offset = in.getInt(table + 4 + 4 * b);
      at[0] = data + (b == 0 ? 0 : in.getInt(table + 4 + 4 * blocks + 4 * (b - 1)));
      int end = data + in.getInt(table + 4 + 4 * blocks + 4 * b);
      boolean first = true;
      while (at[0] < end) {
        int distanceAt = -1;
        if (!first) {
          distanceAt = at[0];
          offset += (int) leb(artifact, at);
        }
        first = false;
        long head = leb(artifact, at);
        int set = -1;
        int setAt = -1;
        int frameAt;
        int frame;
        if ((head & 1) == 0) {
          frameAt = at[0];
          frame = (int) leb(artifact, at) * 16;
        } else {
          setAt = at[0];
          set = (int) leb(artifact, at);
          frameAt = sets.get(set).frameAt();
          frame = sets.get(set).frame();
        }
        int[][] slots = slots(artifact, at, (int) (head >>> 1));
        entries.add(new Entry(offset, distanceAt, b, at[0] == end, set, setAt, frameAt, frame, slots[0], slots[1]));
      }
    }
    return new StackMapBytes(List.copyOf(sets), List.copyOf(entries));
  }

  /** {@code count} slots from {@code at}: their file offsets and their values. */
  private static int[][] slots(byte[] artifact, int[] at, int count) {
    int[] slotAt = new int[count];
    int[] slots = new int[count];
    for (int i = 0; i < count; i++) {
      slotAt[i] = at[0];
      slots[i] = (int) leb(artifact, at) * 8;
    }
    return new int[][] {slotAt, slots};
  }

  private static long leb(byte[] bytes, int[] at) {
    long value = 0;
    for (int shift = 0; ; shift += 7) {
      int b = bytes[at[0]++] & 0xFF;
      value |= (long) (b & 0x7F) << shift;
      if (b < 0x80) {
        return value;
      }
    }
  }

  /**
   * Adds 1 to the LEB128 starting at {@code at} by raising its first byte's seven low bits (which
   * must not all be set), so its length stays the same.
   */
  static void increment(byte[] artifact, int at) {
    assertTrue((artifact[at] & 0x7F) != 0x7F, "the low seven bits have room");
    artifact[at]++;
  }

  /** Rewrites a one-byte LEB128 at {@code at} to {@code value}, which must fit one byte too. */
  static void setByte(byte[] artifact, int at, int value) {
    assertTrue(artifact[at] >= 0 && value >= 0 && value < 0x80, "one-byte LEB128 values");
    artifact[at] = (byte) value;
  }
}
