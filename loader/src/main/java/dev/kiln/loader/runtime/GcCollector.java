package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.gc.ObjectLayout;
import dev.kiln.artifact.vm.ExceptionLayout;
import dev.kiln.wasm.types.ArrayType;
import dev.kiln.wasm.types.CompositeType;
import dev.kiln.wasm.types.FieldType;
import dev.kiln.wasm.types.FuncType;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.StorageType;
import dev.kiln.wasm.types.StructType;
import dev.kiln.wasm.types.ValType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import java.util.function.LongConsumer;

/**
 * One copying collection of a store's GC heap (Cheney's algorithm): every object reachable from the
 * roots is copied, breadth first, from the current semispace into the empty other one, each root and
 * each reference field rewritten to the copy; what is not reached is not touched and is dropped
 * with its semispace. Why copying (GcHeap's documentation has the rest): allocation stays a bump
 * of {@code gc_heap_top} in compiled code, the work is proportional to the live objects only, and
 * the heap needs no free lists or object-start bitmaps; the price, half of the reservation idle,
 * costs address space, not memory, since untouched pages are never backed.
 *
 * <p><b>Which words are references.</b> An object's shape comes from its header's runtime type id
 * ({@link RuntimeTypes}): every field or element of a reference type is a candidate, and of an
 * exception object (whose id is its tag's function type, {@code ExceptionLayout}) every payload
 * value of one, and a word is
 * moved exactly when it is an 8-aligned address inside the semispace being evacuated. So i31s (bit 0
 * set), null, function references and host words outside the heap are left as they are without
 * the collector needing to know which reference type a field has.
 *
 * <p><b>Forwarding.</b> A copied object's header becomes {@link #FORWARDED} in the type id word and
 * the copy's offset from the heap's reservation in the length word: every object has the 8-byte
 * header, the empty struct included, and the reservation is below 4 GiB.
 */
final class GcCollector {
  /** The type id word of a copied object's old header: no runtime type has it. */
  static final int FORWARDED = -1;

  /**
   * An object's shape: its kind (which its header's word 4 must name, {@link ObjectLayout#kindOf}),
   * where its reference words are and how long it is.
   */
  record Shape(ObjectLayout.Kind kind, int structSize, int[] referenceOffsets, int elementSize,
      boolean referenceElements) {
    long size(long object) {
      if (kind != ObjectLayout.Kind.ARRAY) {
        return structSize;
      }
      long length = Integer.toUnsignedLong(ALL.get(JAVA_INT, object + ObjectLayout.LENGTH));
      return (ObjectLayout.FIELDS + length * elementSize + ObjectLayout.ALIGNMENT - 1) & -ObjectLayout.ALIGNMENT;
    }
  }

  /** Every address, for reading and writing the heap. */
  static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

  /**
   * Type ids below this have a slot in {@link #shapesSeen}; runtime type ids are the engine's
   * canonical type numbers, dense from 0, so every program's fit, and the table stays small even for
   * a damaged header's id.
   */
  private static final int SHAPE_TABLE_LIMIT = 1 << 16;

  private final IntFunction<Shape> shapes;
  /**
   * The shapes this collection has looked up, by type id: the store's lookup (a map from boxed ids)
   * was most of a collection's time, twice per copied object (a JFR profile of binary-trees), so it
   * runs once per type and collection instead.
   */
  private Shape[] shapesSeen = new Shape[64];
  private final long reservation;
  private final long fromStart;
  private final long fromTop;
  private final long toLimit;
  /** The next copied object whose references {@link #finish} relocates. */
  private long scan;
  private long free;
  /**
   * Told every word relocated that is no object of the evacuated semispace (a function reference
   * among them), or null: how an owner decision ({@link HeapHeldOwners}) sees which instances'
   * function references are reachable.
   */
  private final LongConsumer outsideWords;
  /**
   * The tag of every exception object copied: a tag the store's instances no longer hold stays in
   * its {@link TagRegistry} exactly while a live object names it, however the object was kept.
   */
  private final LiveTags liveTags = new LiveTags();

  /**
   * @param shapes each runtime type id's shape (see {@link #shapeOf})
   * @param reservation the first byte of the heap's reservation (forwarding offsets count from it)
   * @param fromStart the semispace being evacuated, up to {@code fromTop}
   * @param toStart the empty semispace the copies go to, up to {@code toLimit}; its bytes are zero
   * @param outsideWords told each relocated word that is no object being evacuated, or null
   */
  GcCollector(IntFunction<Shape> shapes, long reservation, long fromStart, long fromTop, long toStart, long toLimit,
      LongConsumer outsideWords) {
    this.shapes = shapes;
    this.reservation = reservation;
    this.fromStart = fromStart;
    this.fromTop = fromTop;
    this.toLimit = toLimit;
    this.scan = toStart;
    this.free = toStart;
    this.outsideWords = outsideWords;
  }

  /** The shape of objects of composite type {@code type}. */
  static Shape shapeOf(CompositeType type) {
    return switch (type) {
      case StructType s -> {
        int[] offsets = ObjectLayout.fieldOffsets(s);
        List<StorageType> fields = s.fields().stream().map(FieldType::storage).toList();
        yield new Shape(ObjectLayout.Kind.STRUCT, ObjectLayout.structSize(s), referenceOffsets(fields, i -> offsets[i]),
            0, false);
      }
      case ArrayType a -> new Shape(ObjectLayout.Kind.ARRAY, 0, new int[0], ObjectLayout.size(a.element()),
          isReference(a.element()));
      // an exception object's header names its tag's type: the payload's reference values are traced
      case FuncType f -> new Shape(ObjectLayout.Kind.EXCEPTION, (int) ExceptionLayout.size(f.params().size()),
          referenceOffsets(List.copyOf(f.paramTypes()), ExceptionLayout::value), 0, false);
    };
  }

  /** The offsets ({@code offset} of each index) of the values among {@code types} that are references. */
  private static int[] referenceOffsets(List<StorageType> types, IntUnaryOperator offset) {
    return java.util.stream.IntStream.range(0, types.size())
        .filter(i -> isReference(types.get(i)))
        .map(offset)
        .toArray();
  }

  /** Whether a field of type {@code field} holds a reference word (of any hierarchy: see the class documentation). */
  private static boolean isReference(FieldType field) {
    return isReference(field.storage());
  }

  private static boolean isReference(StorageType storage) {
    return storage instanceof RefType || storage == ValType.EXTERNREF || storage == ValType.FUNCREF;
  }

  /** {@code word} after the collection: a from-space object's copy (made on first sight), else the word itself. */
  long relocate(long word) {
    if ((word & (ObjectLayout.ALIGNMENT - 1)) != 0 || Long.compareUnsigned(word - fromStart, fromTop - fromStart) >= 0) {
      if (outsideWords != null) {
        outsideWords.accept(word);
      }
      return word;
    }
    int id = ALL.get(JAVA_INT, word + ObjectLayout.TYPE_ID);
    if (id == FORWARDED) {
      return reservation + Integer.toUnsignedLong(ALL.get(JAVA_INT, word + ObjectLayout.LENGTH));
    }
    Shape shape = shape(id);
    long size = shape.size(word);
    if (size > toLimit - free) {
      throw new IllegalStateException("the live objects do not fit in a semispace");
    }
    long copy = free;
    MemorySegment.copy(ALL, word, ALL, copy, size);
    free += size;
    ALL.set(JAVA_INT, word + ObjectLayout.TYPE_ID, FORWARDED);
    ALL.set(JAVA_INT, word + ObjectLayout.LENGTH, (int) (copy - reservation));
    return copy;
  }

  /**
   * {@code word} after the collection without copying it ({@link GcWeakRoots}): a copied object's
   * new address, 0 for an object of the evacuated semispace that was not copied, else the word.
   */
  long survivor(long word) {
    if ((word & (ObjectLayout.ALIGNMENT - 1)) != 0 || Long.compareUnsigned(word - fromStart, fromTop - fromStart) >= 0) {
      return word;
    }
    if (ALL.get(JAVA_INT, word + ObjectLayout.TYPE_ID) != FORWARDED) {
      return 0;
    }
    return reservation + Integer.toUnsignedLong(ALL.get(JAVA_INT, word + ObjectLayout.LENGTH));
  }

  /**
   * Copies everything reachable from the objects copied so far (the roots' relocation made the first
   * ones) and returns the to-space's new top. May be called again after more roots were relocated:
   * it goes on from the first object the last call did not scan.
   */
  long finish() {
    while (scan < free) {
      Shape shape = shape(ALL.get(JAVA_INT, scan + ObjectLayout.TYPE_ID));
      if (shape.kind() == ObjectLayout.Kind.EXCEPTION) {
        liveTags.add(ALL.get(JAVA_LONG, scan + ExceptionLayout.TAG));
      }
      for (int offset : shape.referenceOffsets()) {
        long at = scan + offset;
        ALL.set(JAVA_LONG, at, relocate(ALL.get(JAVA_LONG, at)));
      }
      long size = shape.size(scan);
      if (shape.referenceElements()) {
        for (long at = scan + ObjectLayout.FIELDS; at + 8 <= scan + size; at += 8) {
          ALL.set(JAVA_LONG, at, relocate(ALL.get(JAVA_LONG, at)));
        }
      }
      scan += size;
    }
    return free;
  }

  /** The tags of the exception objects copied so far: after the last {@link #finish}, of every live one. */
  LiveTags liveTags() {
    return liveTags;
  }

  /** The shape of objects with type id {@code id}: from {@link #shapesSeen}, or looked up once. */
  private Shape shape(int id) {
    if (id >= 0 && id < shapesSeen.length && shapesSeen[id] != null) {
      return shapesSeen[id];
    }
    Shape shape = shapes.apply(id);
    if (id >= 0 && id < SHAPE_TABLE_LIMIT) {
      if (id >= shapesSeen.length) {
        shapesSeen = Arrays.copyOf(shapesSeen, Math.min(SHAPE_TABLE_LIMIT, Math.max(id + 1, 2 * shapesSeen.length)));
      }
      shapesSeen[id] = shape;
    }
    return shape;
  }
}
