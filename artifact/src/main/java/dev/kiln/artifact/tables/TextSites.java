package dev.kiln.artifact.tables;

import java.util.Arrays;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * A {@link TextBlocks} table decoded once into arrays, for a runtime that looks entries up on a hot
 * path: a table's own {@code lookup} decodes a block's entries from its start on every call (the
 * profile of a throw loop was mostly that, issue 38; of binary-trees' frame walk, issue 39), where
 * a binary search of {@code returnOffsets} is one step per halving and allocates nothing.
 *
 * @param returnOffsets the sites' return offsets, strictly ascending (text order, as the blocks
 *     hold them)
 * @param entries each site's decoded entry, at the same index
 */
public record TextSites<T>(int[] returnOffsets, T[] entries) {
  public TextSites {
    if (returnOffsets.length != entries.length) {
      throw new IllegalArgumentException(returnOffsets.length + " offsets for " + entries.length + " entries");
    }
  }

  /** The entry of the site whose return offset is exactly {@code returnOffset}, or null. */
  public T find(int returnOffset) {
    int site = Arrays.binarySearch(returnOffsets, returnOffset);
    return site < 0 ? null : entries[site];
  }

  /** How many sites. */
  public int size() {
    return entries.length;
  }

  /** The same sites with each entry replaced by {@code convert}'s result (the offsets are shared). */
  public <U> TextSites<U> map(Function<T, U> convert, IntFunction<U[]> newArray) {
    U[] converted = newArray.apply(entries.length);
    for (int i = 0; i < converted.length; i++) {
      converted[i] = convert.apply(entries[i]);
    }
    return new TextSites<>(returnOffsets, converted);
  }

  /** Every entry of {@code blocks}, decoded by {@code decoder} and validated as a lookup validates it. */
  static <T> TextSites<T> decode(TextBlocks blocks, TextBlocks.EntryDecoder<T> decoder, IntFunction<T[]> newArray) {
    Collected<T> collected = new Collected<>(newArray.apply(16));
    blocks.forEachEntry(decoder, collected);
    return new TextSites<>(Arrays.copyOf(collected.offsets, collected.count), Arrays.copyOf(collected.entries, collected.count));
  }

  /** The entries {@link #decode} has seen so far, in growing arrays. */
  private static final class Collected<T> implements TextBlocks.EntryVisitor<T> {
    int[] offsets;
    T[] entries;
    int count;

    Collected(T[] entries) {
      this.entries = entries;
      this.offsets = new int[entries.length];
    }

    @Override
    public void visit(TextBlocks.Walk walk, long entryAt, T value) {
      if (count == offsets.length) {
        offsets = Arrays.copyOf(offsets, count * 2);
        entries = Arrays.copyOf(entries, count * 2);
      }
      offsets[count] = walk.textOffset();
      entries[count++] = value;
    }
  }
}
