package dev.kiln.loader.module;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.kiln.artifact.info.ConstExpr;
import dev.kiln.artifact.info.ConstInstr;
import dev.kiln.artifact.info.ElementItems;
import dev.kiln.artifact.info.ElementSegment;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.artifact.info.SegmentMode;
import dev.kiln.artifact.info.TableType;
import dev.kiln.artifact.info.ValType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * How a module's active element segments reach its tables, decided once per loaded module: which
 * are folded into a defined funcref table's lazy-init image (so instantiation writes nothing for
 * them and each slot is filled on first read, in compiled code), and which the instance applies
 * eagerly, in segment order (spec 4.5.4 step 13).
 *
 * <p>A segment is folded only when it is certainly in bounds and its effect does not depend on the
 * instance: it targets a defined funcref table of a module compiled with table-lazy-init, its
 * offset is a constant, and every item is {@code ref.func} or {@code ref.null} (or a plain
 * function index), and no earlier active segment may trap: instantiation stops at a segment that
 * traps and applies none after it (spec 4.5.4), while an image would still show them to the
 * functions of the failed instance that an earlier segment put into an imported table. A segment
 * certainly fits when its offset is a constant and it ends within its table's minimum (an imported
 * table's declared minimum, which import matching guarantees). Everything else (imported tables,
 * {@code global.get} offsets, out-of-range segments, which must trap at instantiation, and what
 * follows a segment that may trap) is eager, and so is every later segment of the same table, so
 * applying the eager ones after an image cannot reorder writes to one slot.
 *
 * <p>An image is one u32 per slot up to the last slot a folded segment sets: the escape index of
 * the function plus one, 0 for null (artifact.vm.TableStorage). A segment is folded only while the
 * image stays dense, at most twice the items folded into it plus {@link #IMAGE_SLACK}: the image
 * is made before any table exists (so before the store's limits see the table) and is paid by the
 * module, not by a store, so its size must follow from the module's own bytes. Otherwise one item
 * at offset {@code 2^28 - 1} of a table whose minimum is {@code 2^28} would allocate a gigabyte of
 * heap and another of native memory for an instantiation that the store then refuses. A sparse
 * segment is applied eagerly instead, into slots the store has accounted for.
 */
public final class TableInitPlan {
  /** Entries an image may have beyond twice its folded items: 16 KiB, room for a few leading nulls. */
  static final int IMAGE_SLACK = 4096;

  private final MemorySegment[] images;
  private final int[] eagerSegments;

  private TableInitPlan(MemorySegment[] images, int[] eagerSegments) {
    this.images = images;
    this.eagerSegments = eagerSegments;
  }

  /**
   * Plans {@code info}'s tables, once per loaded module ({@link LoadedModule#tableInitPlan}); the
   * images live in an automatic arena, freed when the plan (held by the module and by every
   * instance whose tables point at the images) is unreachable.
   *
   * @param lazy whether the module was compiled with table-lazy-init
   * @param perSegment called once per element segment, before it is planned
   */
  public static TableInitPlan of(ModuleInfo info, boolean lazy, Runnable perSegment) {
    Arena arena = Arena.ofAuto();
    int importedTables = info.importedTableCount();
    int defined = info.tables().size();
    int[][] entries = new int[defined][];
    int[] used = new int[defined];
    long[] folded = new long[defined];
    BitSet eagerFromHere = new BitSet(defined);
    List<Integer> eager = new ArrayList<>();
    boolean mayHaveStopped = false; // an earlier active segment may have trapped
    for (int s = 0; s < info.elements().size(); s++) {
      perSegment.run();
      ElementSegment segment = info.elements().get(s);
      if (segment.mode() != SegmentMode.ACTIVE) {
        continue;
      }
      int d = segment.tableIndex() - importedTables;
      // An imported table as the import declares it: import matching guarantees at least its minimum.
      TableType type = info.tableType(segment.tableIndex());
      OptionalLong offset = constant(segment.offset().orElseThrow());
      long min = type.limits().min();
      boolean fits = offset.isPresent() && offset.getAsLong() >= 0 && offset.getAsLong() <= min
          && segment.items().size() <= min - offset.getAsLong();
      boolean stoppedBefore = mayHaveStopped;
      mayHaveStopped |= !fits;
      // a table with an initialiser is filled before its segments, over any image: they go eagerly
      if (!lazy || d < 0 || type.elementType() != ValType.FUNCREF || eagerFromHere.get(d)
          || info.tableInitialisers().containsKey(d)) {
        eager.add(s);
        continue;
      }
      int[] items = fits ? foldableItems(info, segment.items()) : null;
      boolean dense = items != null
          && offset.getAsLong() + items.length <= 2 * (folded[d] + items.length) + IMAGE_SLACK;
      if (items == null || stoppedBefore || min > Integer.MAX_VALUE || !dense) {
        eager.add(s);
        eagerFromHere.set(d);
        continue;
      }
      int at = (int) offset.getAsLong();
      if (entries[d] == null) {
        entries[d] = new int[Math.max(16, Math.min((int) min, at + items.length))];
      }
      if (entries[d].length < at + items.length) {
        entries[d] = Arrays.copyOf(entries[d], Math.max(at + items.length, Math.min((int) min, entries[d].length * 2)));
      }
      System.arraycopy(items, 0, entries[d], at, items.length);
      used[d] = Math.max(used[d], at + items.length);
      folded[d] += items.length;
    }
    MemorySegment[] images = new MemorySegment[defined];
    for (int d = 0; d < defined; d++) {
      if (lazy && info.tables().get(d).elementType() == ValType.FUNCREF) {
        images[d] = used[d] == 0 ? MemorySegment.NULL
            : arena.allocateFrom(JAVA_INT, Arrays.copyOf(entries[d], used[d]));
      }
    }
    return new TableInitPlan(images, eager.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The image of defined table {@code definedIndex}, or null if the table is not lazy. */
  public MemorySegment image(int definedIndex) {
    return images[definedIndex];
  }

  /** The active segments the instance applies itself, in order. */
  public int[] eagerSegments() {
    return eagerSegments.clone();
  }

  private static OptionalLong constant(ConstExpr expr) {
    if (expr.instructions().size() != 1) {
      return OptionalLong.empty();
    }
    // instanceof, not a switch over the few cases that matter: each pattern switch spins a class at
    // its first run, 0.2-0.5 ms of every WASI run's start (docs/history/performance-journal.md, "A
    // WASI run without --dir"), and one with a default gains no exhaustiveness check for it.
    ConstInstr only = expr.instructions().getFirst();
    if (only instanceof ConstInstr.I32Const(int value)) {
      return OptionalLong.of(Integer.toUnsignedLong(value));
    }
    return only instanceof ConstInstr.I64Const(long value) ? OptionalLong.of(value) : OptionalLong.empty();
  }

  /** Escape index + 1 (0 for null) per item, or null if an item depends on the instance. */
  private static int[] foldableItems(ModuleInfo info, ElementItems items) {
    return switch (items) {
      case ElementItems.Functions fs -> {
        int[] out = new int[fs.size()];
        for (int i = 0; i < out.length; i++) {
          OptionalInt k = info.funcRefIndex(fs.function(i));
          if (k.isEmpty()) {
            yield null;
          }
          out[i] = k.getAsInt() + 1;
        }
        yield out;
      }
      case ElementItems.Expressions es -> {
        int[] out = new int[es.exprs().size()];
        for (int i = 0; i < out.length; i++) {
          ConstExpr e = es.exprs().get(i);
          if (e.instructions().size() != 1) {
            yield null;
          }
          ConstInstr item = e.instructions().getFirst();
          if (item instanceof ConstInstr.RefFunc(int f)) {
            OptionalInt k = info.funcRefIndex(f);
            if (k.isEmpty()) {
              yield null;
            }
            out[i] = k.getAsInt() + 1;
          } else if (item instanceof ConstInstr.RefNull) {
            out[i] = 0;
          } else {
            yield null;
          }
        }
        yield out;
      }
    };
  }
}
