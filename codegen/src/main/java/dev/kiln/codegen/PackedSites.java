package dev.kiln.codegen;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A function's relocations and trap sites as {@link CompiledFunction} keeps them until the linker
 * reads them: in primitive arrays, not an object each. Every compiled function of a module is held
 * until it is linked, and a 30 MB module has half a million relocations (about 44 bytes each as
 * objects and references, 24 here) and 800,000 trap sites (28 bytes each, 8 here). Read-only;
 * {@link #get} builds the record it is asked for.
 */
final class PackedSites {
  private PackedSites() {}

  private static final RelocKind[] KINDS = RelocKind.values();

  /** Relocations, three longs each: offset and kind, target key, addend. */
  static final class Relocs extends AbstractList<Reloc> implements RandomAccess {
    private static final Relocs EMPTY = new Relocs(new long[0]);

    private final long[] entries;

    private Relocs(long[] entries) {
      this.entries = entries;
    }

    /** {@code relocs} packed; a packed list is returned as it is. */
    static Relocs of(List<Reloc> relocs) {
      if (relocs instanceof Relocs packed) {
        return packed;
      }
      if (relocs.isEmpty()) {
        return EMPTY;
      }
      long[] entries = new long[3 * relocs.size()];
      int at = 0;
      for (Reloc r : relocs) {
        entries[at++] = (long) r.offset() << 32 | r.kind().ordinal();
        entries[at++] = r.targetKey();
        entries[at++] = r.addend();
      }
      return new Relocs(entries);
    }

    /** Relocations already packed, as {@link #entries} gave them ({@link CompiledFunctionBytes}). */
    static Relocs ofEntries(long[] entries) {
      if (entries.length % 3 != 0) {
        throw new IllegalArgumentException(entries.length + " relocation words, not three per relocation");
      }
      for (int at = 0; at < entries.length; at += 3) {
        // what get would build a Reloc of: a non-negative offset and a known kind
        if (entries[at] < 0 || (entries[at] & 0xFFFF_FFFFL) >= KINDS.length) {
          throw new IllegalArgumentException("relocation " + at / 3 + " has offset " + (entries[at] >> 32) + ", kind "
              + (entries[at] & 0xFFFF_FFFFL));
        }
      }
      return entries.length == 0 ? EMPTY : new Relocs(entries);
    }

    /** The packed words, not a copy. */
    long[] entries() {
      return entries;
    }

    @Override
    public Reloc get(int index) {
      int at = 3 * Objects.checkIndex(index, size());
      return new Reloc((int) (entries[at] >>> 32), KINDS[(int) entries[at]], entries[at + 1], entries[at + 2]);
    }

    /** The target key of relocation {@code index}, read without building its record. */
    long targetKey(int index) {
      return entries[3 * Objects.checkIndex(index, size()) + 1];
    }

    @Override
    public int size() {
      return entries.length / 3;
    }
  }

  /** Trap sites, two ints each: offset, trap code. */
  static final class Traps extends AbstractList<TrapSite> implements RandomAccess {
    private static final Traps EMPTY = new Traps(new int[0]);

    private final int[] entries;

    private Traps(int[] entries) {
      this.entries = entries;
    }

    /** {@code sites} packed; a packed list is returned as it is. */
    static Traps of(List<TrapSite> sites) {
      if (sites instanceof Traps packed) {
        return packed;
      }
      if (sites.isEmpty()) {
        return EMPTY;
      }
      int[] entries = new int[2 * sites.size()];
      int at = 0;
      for (TrapSite t : sites) {
        entries[at++] = t.offset();
        entries[at++] = t.trapCode();
      }
      return new Traps(entries);
    }

    /** Trap sites already packed, as {@link #entries} gave them ({@link CompiledFunctionBytes}). */
    static Traps ofEntries(int[] entries) {
      if (entries.length % 2 != 0) {
        throw new IllegalArgumentException(entries.length + " trap site words, not two per site");
      }
      return entries.length == 0 ? EMPTY : new Traps(entries);
    }

    /** The packed words, not a copy. */
    int[] entries() {
      return entries;
    }

    @Override
    public TrapSite get(int index) {
      int at = 2 * Objects.checkIndex(index, size());
      return new TrapSite(entries[at], entries[at + 1]);
    }

    @Override
    public int size() {
      return entries.length / 2;
    }
  }
}
