package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.kiln.artifact.gc.ObjectLayout;
import dev.kiln.artifact.gc.ReferenceWord;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.runtime.NativeStore.ObjectKind;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.RefType;
import java.lang.foreign.MemorySegment;

/**
 * The type checks of a reference Java hands to a store (a call argument, a table or global write,
 * a host function's result or exception payload) against the precise type compiled code trusts it
 * to have (see the package documentation, "Raw addresses from Java"): {@link NativeStore} answers
 * whether a word is one of its function references or objects, this class whether it is of the
 * type.
 */
final class ReferenceChecks {
  private final NativeStore store;
  private final RuntimeTypes types;

  ReferenceChecks(NativeStore store, RuntimeTypes types) {
    this.store = store;
    this.types = types;
  }

  /**
   * {@link NativeStore#checkFunctionReference(long)}, and that the value has type {@code expected} (closed:
   * its heap type abstract or canonical): not null where the type is non-nullable, and a function
   * whose own type is a subtype of a concrete heap type (spec 3.0 3.3.x), since compiled code
   * ({@code call_ref}) trusts a reference's static type without a check.
   *
   * @throws IllegalArgumentException if the value is not one of the store's, or not of that type
   */
  void checkFunctionReference(long value, RefType expected) {
    store.checkFunctionReference(value);
    if (value == 0) {
      checkNullable(expected);
      return;
    }
    boolean matches = switch (expected.heap()) {
      case HeapType.Canonical c -> types.isSubtype(
          MemorySegment.ofAddress(value).reinterpret(VmLayout.FUNC_REF_SIZE).get(JAVA_INT, VmLayout.FUNC_REF_TYPE_ID),
          c.type());
      case HeapType.Abstract a -> a == HeapType.Abstract.FUNC;
      default -> false;
    };
    if (!matches) {
      throw new IllegalArgumentException("a function of another type where " + expected + " is expected");
    }
  }

  /**
   * Checks a reference Java hands to this store (a call argument, a table or global write) against
   * the precise type it is written as, which compiled code trusts (spec 3.0 3.3.x: a value of
   * {@code (ref ht)} is never null, one of a bottom heap type {@code none}/{@code noextern}/{@code
   * nofunc}/{@code noexn} is always null): a reference of the func hierarchy as {@link
   * #checkFunctionReference(long, RefType)} does; a struct or array by its header's type id; any
   * other reference, opaque to the store (an externref, a word of the any hierarchy), only against
   * those two rules. The hierarchy comes from the precise type, never from {@code kind}: the
   * artifact represents a concrete struct or array type as a funcref (wasm.types.RefType.kind).
   *
   * @param kind the value's type as the API sees it
   * @param value the reference's bits, 0 for null
   * @param precise the slot's precise type (closed: its heap type abstract or canonical)
   * @throws IllegalArgumentException if the type forbids the value
   */
  void checkReference(dev.kiln.artifact.info.ValType kind, long value, dev.kiln.wasm.types.ValueType precise) {
    if (!(precise instanceof RefType expected)) {
      return;
    }
    if (inFuncHierarchy(expected.heap())) {
      checkFunctionReference(value, expected);
      return;
    }
    if (value == 0) {
      checkNullable(expected);
      return;
    }
    if (expected.heap() instanceof HeapType.Abstract heap && holdsOnlyNull(heap)) {
      throw new IllegalArgumentException("a non-null reference where " + expected + " is expected (its only value"
          + " is null)");
    }
    if (expected.heap() instanceof HeapType.Abstract heap && heap.top() == HeapType.Abstract.EXN) {
      checkExceptionWord(value);
      return;
    }
    ObjectKind object = store.objectKindOfWordFromJava(value);
    if (object == ObjectKind.EXCEPTION) {
      throw new IllegalArgumentException("an exception object where " + expected + " is expected (an exnref is of"
          + " the exn hierarchy alone)");
    }
    if (object == ObjectKind.NONE) {
      checkAnyHierarchyWord(value, expected);
    } else {
      checkObjectWord(value, object, expected);
    }
  }

  /**
   * An exnref the host hands in (spec 3.0 2.3.4: a reference to an exception object) must be one
   * of this store's exception objects: compiled code reads the word as one ({@code throw_ref} takes
   * its tag and payload, the unwinder hands it to a handler), so a made-up word would be a read of
   * any address. Java holds exception objects only through the store's {@link ObjectHandles} (which
   * keep them alive and follow them when a collection moves them), so the word must be one a
   * handle holds now, and its header an exception object's: a struct or array a handle holds is
   * no exnref ({@code ObjectLayout.kindOf}).
   */
  private void checkExceptionWord(long value) {
    ObjectKind object = store.objectKindOfWordFromJava(value);
    if (object == ObjectKind.STRUCT || object == ObjectKind.ARRAY) {
      throw new IllegalArgumentException((object == ObjectKind.ARRAY ? "an array" : "a struct") + " where an exnref"
          + " is expected (an exnref is of the exn hierarchy alone)");
    }
    if (object != ObjectKind.EXCEPTION || !store.heldByHandle(value)) {
      throw new IllegalArgumentException("an exnref that is not an exception object of " + store + " (an exception"
          + " reference goes back only to the store that made it)");
    }
  }

  /**
   * A struct or array of this store's heap, which Java holds only through the store's {@link
   * ObjectHandles} (the API refuses any other word inside the heap, {@link NativeStore#inGcHeap}), is a value of
   * {@code expected} if its kind or its type is (spec 3.0 3.3.x): any and eq take both kinds, an
   * externref takes one converted by {@code extern.convert_any} (the same word), a concrete type the
   * object's own type id or one of its subtypes, read from the header (ObjectLayout.TYPE_ID) as
   * {@code ref.cast} reads it.
   */
  private void checkObjectWord(long word, ObjectKind object, RefType expected) {
    boolean matches = switch (expected.heap()) {
      case HeapType.Canonical c -> types.isSubtype(
          MemorySegment.ofAddress(word).reinterpret(ObjectLayout.FIELDS).get(JAVA_INT, ObjectLayout.TYPE_ID), c.type());
      case HeapType.Abstract a -> switch (a) {
        case ANY, EQ, EXTERN -> true;
        case STRUCT -> object == ObjectKind.STRUCT;
        case ARRAY -> object == ObjectKind.ARRAY;
        default -> false;
      };
      default -> false;
    };
    if (!matches) {
      throw new IllegalArgumentException((object == ObjectKind.ARRAY ? "an array" : "a struct") + " of another type"
          + " where " + expected + " is expected");
    }
  }

  /** Null is a value of {@code expected} only if it is nullable (spec 3.0 3.3.x). */
  private static void checkNullable(RefType expected) {
    if (!expected.nullable()) {
      throw new IllegalArgumentException("null where a non-nullable " + expected + " is expected");
    }
  }

  /**
   * Compiled code trusts a word's type in the any hierarchy (spec 3.0 2.3.3): a struct or array word
   * is dereferenced ({@code array.len} reads the length of any {@code arrayref}), an {@code eqref} is
   * compared by its bits, an odd word is taken for an i31 ({@link ReferenceWord}). Java holds no GC
   * objects, so from Java a struct or array reference can only be null, an {@code i31ref} or {@code
   * eqref} only a canonical i31 word (tagged, its high half zero), and an odd host word anywhere
   * (externref, anyref) only a canonical i31 too: one with high bits set would pass every i31 test
   * yet compare unequal to the same i31 (red team 8 F1, F3).
   */
  private static void checkAnyHierarchyWord(long value, RefType expected) {
    boolean canonicalI31 = ReferenceWord.isCanonicalI31(value);
    boolean refused = switch (expected.heap()) {
      case HeapType.Canonical c -> true;
      case HeapType.Abstract a -> switch (a) {
        case STRUCT, ARRAY -> true;
        case EQ, I31 -> !canonicalI31;
        default -> ReferenceWord.isI31(value) && !canonicalI31;
      };
      default -> false;
    };
    if (refused) {
      throw new IllegalArgumentException("a reference Java cannot give where " + expected + " is expected: Java"
          + " holds no struct or array, and an i31 only as its canonical word");
    }
  }

  /** Whether closed heap type {@code heap} is func, nofunc or a defined function type (spec 3.0 2.3.3). */
  private static boolean inFuncHierarchy(HeapType heap) {
    return switch (heap) {
      case HeapType.Abstract a -> a.top() == HeapType.Abstract.FUNC;
      case HeapType.Canonical c -> c.type().subType().composite() instanceof dev.kiln.wasm.types.FuncType;
      default -> throw new IllegalArgumentException("not a closed heap type: " + heap);
    };
  }

  /** Whether {@code heap} is a bottom type, whose references are all null (spec 3.0 2.3.3). */
  private static boolean holdsOnlyNull(HeapType.Abstract heap) {
    return heap == heap.bottom(); // by the hierarchy, not a list of names (red team 14 F1's pattern)
  }
}
