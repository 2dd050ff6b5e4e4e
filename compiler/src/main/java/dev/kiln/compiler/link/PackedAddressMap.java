package dev.kiln.compiler.link;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The linked address map as {@link LinkedText} holds it: three ints an entry in one array rather
 * than an {@link LinkedText.AddressMapping} object each (a 30 MB module has five million entries,
 * about 36 bytes each as objects, 12 here). Read-only once built; {@link #get} builds the record
 * it is asked for.
 */
final class PackedAddressMap extends AbstractList<LinkedText.AddressMapping> implements RandomAccess {
  private final int[] entries; // textOffset, wasmOffset, inlineSite per entry
  private final int size;

  private PackedAddressMap(int[] entries, int size) {
    this.entries = entries;
    this.size = size;
  }

  /** {@code map} packed; a packed map is returned as it is. */
  static PackedAddressMap of(List<LinkedText.AddressMapping> map) {
    if (map instanceof PackedAddressMap packed) {
      return packed;
    }
    Builder builder = new Builder(map.size());
    for (LinkedText.AddressMapping m : map) {
      builder.add(m.textOffset(), m.wasmOffset(), m.inlineSite());
    }
    return builder.build();
  }

  @Override
  public LinkedText.AddressMapping get(int index) {
    int at = 3 * Objects.checkIndex(index, size);
    return new LinkedText.AddressMapping(entries[at], entries[at + 1], entries[at + 2]);
  }

  @Override
  public int size() {
    return size;
  }

  int textOffset(int index) {
    return entries[3 * index];
  }

  int wasmOffset(int index) {
    return entries[3 * index + 1];
  }

  int inlineSite(int index) {
    return entries[3 * index + 2];
  }

  /** Appends entries, or replaces the last one. */
  static final class Builder {
    private int[] entries;
    private int size;

    Builder(int expected) {
      entries = new int[3 * Math.max(4, expected)];
    }

    boolean isEmpty() {
      return size == 0;
    }

    int lastTextOffset() {
      return entries[3 * (size - 1)];
    }

    void add(int textOffset, int wasmOffset, int inlineSite) {
      if (3 * size == entries.length) {
        entries = Arrays.copyOf(entries, entries.length * 2);
      }
      size++;
      setLast(textOffset, wasmOffset, inlineSite);
    }

    void setLast(int textOffset, int wasmOffset, int inlineSite) {
      int at = 3 * (size - 1);
      entries[at] = textOffset;
      entries[at + 1] = wasmOffset;
      entries[at + 2] = inlineSite;
    }

    PackedAddressMap build() {
      return new PackedAddressMap(3 * size == entries.length ? entries : Arrays.copyOf(entries, 3 * size), size);
    }
  }
}
