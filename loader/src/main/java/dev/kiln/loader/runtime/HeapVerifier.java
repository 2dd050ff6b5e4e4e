package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.gc.ObjectLayout;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;

/**
 * Checks a store's GC heap after a collection, for tests and the debug mode that collects at every
 * safepoint: the objects lie back to back from the semispace's start to its top, each header names a
 * struct, array or exception (tag) type and its word 4 the same kind ({@code ObjectLayout.kindOf}),
 * and every reference word of every object and root is null, an i31, a word
 * outside the reservation (a function or host reference), or the start of an object of the current
 * semispace: none points at the evacuated semispace or into the middle of an object. A violation
 * names places as offsets into the heap's reservation, never as host addresses.
 */
final class HeapVerifier {
  private final IntFunction<GcCollector.Shape> shapes;
  private final long reservationStart;
  private final long reservationEnd;
  private final long start;
  private final long top;
  private final Set<Long> objects = new HashSet<>();

  HeapVerifier(IntFunction<GcCollector.Shape> shapes, long reservationStart, long reservationEnd, long start, long top) {
    this.shapes = shapes;
    this.reservationStart = reservationStart;
    this.reservationEnd = reservationEnd;
    this.start = start;
    this.top = top;
  }

  /**
   * Verifies the heap; {@code roots} gives the check to each root word.
   *
   * @throws IllegalStateException naming the first violation
   * @return how many objects the semispace holds
   */
  int verify(java.util.function.Consumer<LongConsumer> roots) {
    long at = start;
    while (at < top) {
      int id = GcCollector.ALL.get(JAVA_INT, at + ObjectLayout.TYPE_ID);
      GcCollector.Shape shape;
      try {
        shape = shapes.apply(id);
      } catch (RuntimeException e) {
        throw new IllegalStateException("object at heap offset " + (at - reservationStart) + " has type id " + id + ", no object type", e);
      }
      int kindWord = GcCollector.ALL.get(JAVA_INT, at + ObjectLayout.LENGTH);
      if (ObjectLayout.kindOf(kindWord) != shape.kind()) {
        // a struct, array and exception are told apart by word 4 alone (ref.test, objectKind)
        throw new IllegalStateException("object at heap offset " + (at - reservationStart) + " is "
            + name(shape.kind()) + " by its type id but its header says " + name(ObjectLayout.kindOf(kindWord)));
      }
      objects.add(at);
      long size = shape.size(at);
      if (size <= 0 || size > top - at) {
        throw new IllegalStateException("object at heap offset " + (at - reservationStart) + " of " + size + " bytes runs past the top");
      }
      at += size;
    }
    for (long object : objects) {
      GcCollector.Shape shape = shapes.apply(GcCollector.ALL.get(JAVA_INT, object + ObjectLayout.TYPE_ID));
      for (int offset : shape.referenceOffsets()) {
        check(GcCollector.ALL.get(JAVA_LONG, object + offset), object);
      }
      if (shape.referenceElements()) {
        long end = object + shape.size(object);
        for (long word = object + ObjectLayout.FIELDS; word + 8 <= end; word += 8) {
          check(GcCollector.ALL.get(JAVA_LONG, word), object);
        }
      }
    }
    roots.accept(word -> check(word, 0));
    return objects.size();
  }

  private static String name(ObjectLayout.Kind kind) {
    return kind == null ? "no kind" : switch (kind) {
      case STRUCT -> "a struct";
      case ARRAY -> "an array";
      case EXCEPTION -> "an exception";
    };
  }

  private void check(long word, long holder) {
    if (word == 0 || (word & ObjectLayout.ALIGNMENT - 1) != 0 || word < reservationStart || word >= reservationEnd) {
      return;
    }
    if (!objects.contains(word)) {
      throw new IllegalStateException((holder == 0 ? "a root" : "the object at heap offset " + (holder - reservationStart))
          + " refers to heap offset " + (word - reservationStart) + ", no object of the current semispace");
    }
  }
}
