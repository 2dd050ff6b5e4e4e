package dev.kiln.artifact.index;

import static dev.kiln.artifact.internal.SectionReader.U32;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.TextRange;
import dev.kiln.artifact.internal.SectionReader;
import java.lang.foreign.MemorySegment;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The function index read in place from a mapped {@code .kiln.funcs} section. {@link #open} checks
 * the whole structure once (sizes, orderings, slot ranges, offsets within {@code .text}); after that
 * every query reads the segment directly, with no copy and no further checks, and cannot fail.
 *
 * <p>Forward lookup: binary search in the namespace table, binary search over that namespace's
 * runs, then O(1) into the slot array. Reverse lookup (pc -> key, for backtraces): binary search
 * over the slot start offsets, which are sorted because text order equals key order, then over the
 * runs and namespaces to rebuild the key.
 */
public final class FunctionIndex implements Iterable<FunctionIndex.Entry> {
  /** One present function: its key and its extent in {@code .text}. */
  public record Entry(FuncKey key, TextRange range) {}

  private final MemorySegment section;
  private final int namespaceCount;
  private final int runCount;
  private final int slotCount;
  private final long runsOffset;
  private final long startsOffset;
  private final int functionCount;

  private FunctionIndex(MemorySegment section, IndexValidator.Counts counts) {
    this.section = section;
    this.namespaceCount = counts.namespaceCount();
    this.runCount = counts.runCount();
    this.slotCount = counts.slotCount();
    this.runsOffset = IndexLayout.runsOffset(namespaceCount);
    this.startsOffset = IndexLayout.startsOffset(namespaceCount, runCount);
    this.functionCount = counts.functionCount();
  }

  /**
   * Opens and validates the index in {@code section} for a {@code .text} of {@code textSize} bytes.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException naming the first structural violation
   */
  public static FunctionIndex open(MemorySegment section, long textSize) {
    return new FunctionIndex(section, IndexValidator.validate(new SectionReader(section, IndexLayout.SECTION), textSize));
  }

  /** Number of functions present (holes excluded). */
  public int functionCount() {
    return functionCount;
  }

  /** Number of slots, holes included. */
  public int slotCount() {
    return slotCount;
  }

  public int runCount() {
    return runCount;
  }

  public int namespaceCount() {
    return namespaceCount;
  }

  /** Size of the encoded index in bytes. */
  public long sizeInBytes() {
    return section.byteSize();
  }

  /** {@link #sizeInBytes()} divided by {@link #functionCount()} (0 for an empty index). */
  public double bytesPerFunction() {
    return functionCount == 0 ? 0 : (double) sizeInBytes() / functionCount;
  }

  /** The text offset where {@code key}'s code starts, or -1 if the index has no such function. */
  public int startOf(FuncKey key) {
    int slot = slotOf(key.namespace(), key.index());
    return slot < 0 ? -1 : start(slot);
  }

  /** The text range of {@code key}'s code, if present. */
  public Optional<TextRange> lookup(FuncKey key) {
    int slot = slotOf(key.namespace(), key.index());
    return slot < 0 ? Optional.empty() : Optional.of(new TextRange(start(slot), start(slot + 1)));
  }

  /** The function whose extent contains {@code textOffset}, if any (pc -> key for backtraces). */
  public Optional<FuncKey> keyAt(int textOffset) {
    if (slotCount == 0 || textOffset < start(0) || textOffset >= start(slotCount)) {
      return Optional.empty();
    }
    // Last slot starting at or before the offset. Holes share their start with the next slot, so
    // this lands on a present function; the final slot of every run is present.
    int lo = 0;
    int hi = slotCount - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (start(mid) <= textOffset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return Optional.of(keyOfSlot(lo));
  }

  /** Slot of (namespace, index), or -1 when absent or a hole. */
  private int slotOf(int namespace, int index) {
    int ns = findNamespace(namespace);
    if (ns < 0) {
      return -1;
    }
    int firstRun = namespaceFirstRun(ns);
    int endRun = ns + 1 < namespaceCount ? namespaceFirstRun(ns + 1) : runCount;
    // Last run of the namespace whose firstIndex <= index (unsigned).
    int lo = firstRun;
    int hi = endRun - 1;
    if (Integer.compareUnsigned(runFirstIndex(lo), index) > 0) {
      return -1;
    }
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (Integer.compareUnsigned(runFirstIndex(mid), index) <= 0) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    int offsetInRun = index - runFirstIndex(lo);
    int firstSlot = runFirstSlot(lo);
    int runSlots = runEndSlot(lo) - firstSlot;
    if (Integer.compareUnsigned(offsetInRun, runSlots) >= 0) {
      return -1;
    }
    int slot = firstSlot + offsetInRun;
    return start(slot) == start(slot + 1) ? -1 : slot;
  }

  private int findNamespace(int namespace) {
    int lo = 0;
    int hi = namespaceCount - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Integer.compareUnsigned(namespaceValue(mid), namespace);
      if (c == 0) {
        return mid;
      } else if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return -1;
  }

  private FuncKey keyOfSlot(int slot) {
    int run = lastAtOrBelow(runCount, slot, true);
    int ns = lastAtOrBelow(namespaceCount, run, false);
    return new FuncKey(namespaceValue(ns), runFirstIndex(run) + (slot - runFirstSlot(run)));
  }

  /** Last i in [0, n) with (runs ? runFirstSlot(i) : namespaceFirstRun(i)) <= target; entry 0 is 0. */
  private int lastAtOrBelow(int n, int target, boolean runs) {
    int lo = 0;
    int hi = n - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      int value = runs ? runFirstSlot(mid) : namespaceFirstRun(mid);
      if (value <= target) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  private int namespaceValue(int ns) {
    return section.get(U32, IndexLayout.namespacesOffset() + (long) ns * IndexLayout.NAMESPACE_BYTES);
  }

  private int namespaceFirstRun(int ns) {
    return section.get(U32, IndexLayout.namespacesOffset() + (long) ns * IndexLayout.NAMESPACE_BYTES + 4);
  }

  private int runFirstIndex(int run) {
    return section.get(U32, runsOffset + (long) run * IndexLayout.RUN_BYTES);
  }

  private int runFirstSlot(int run) {
    return section.get(U32, runsOffset + (long) run * IndexLayout.RUN_BYTES + 4);
  }

  private int runEndSlot(int run) {
    return run + 1 < runCount ? runFirstSlot(run + 1) : slotCount;
  }

  private int start(int slot) {
    return section.get(U32, startsOffset + (long) slot * IndexLayout.SLOT_BYTES);
  }

  /** Present functions in key (= text) order. */
  @Override
  public Iterator<Entry> iterator() {
    return new Iterator<>() {
      private int slot = advance(0);
      private int run;
      private int ns;

      private int advance(int from) {
        int s = from;
        while (s < slotCount && start(s) == start(s + 1)) {
          s++;
        }
        return s;
      }

      @Override
      public boolean hasNext() {
        return slot < slotCount;
      }

      @Override
      public Entry next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        while (runEndSlot(run) <= slot) {
          run++;
        }
        while (ns + 1 < namespaceCount && namespaceFirstRun(ns + 1) <= run) {
          ns++;
        }
        FuncKey key = new FuncKey(namespaceValue(ns), runFirstIndex(run) + (slot - runFirstSlot(run)));
        Entry entry = new Entry(key, new TextRange(start(slot), start(slot + 1)));
        slot = advance(slot + 1);
        return entry;
      }
    };
  }

  @Override
  public String toString() {
    return "FunctionIndex[" + functionCount + " functions, " + slotCount + " slots, " + runCount + " runs, "
        + namespaceCount + " namespaces, " + sizeInBytes() + " bytes]";
  }
}
