package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.gc.ObjectLayout;
import dev.kiln.artifact.info.ValType;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.NativeStore.ObjectKind;
import dev.kiln.loader.runtime.ObjectHandles;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.RefType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 35, gap 1: exception objects live in the GC heap beside structs and arrays, and word 4 of
 * an exception's header once held its bare count, where an array keeps its length, so every
 * host-side check that tells the kinds apart by that word took an exception for an array. Word 4
 * is now each kind's explicit tag ({@link ObjectLayout#kindOf}), and each check refuses an object of
 * the wrong hierarchy in one line: {@code NativeStore.objectKind}, the reference checks of what Java
 * hands in (an exception where an anyref or arrayref is expected, a struct where an exnref is, even
 * one a handle holds), the handle table, and the heap verifier (a header whose word 4 disagrees
 * with its type). Compiled code made by both targets writes the tag: the exception below is made
 * by a compiled {@code throw}.
 */
class HeapObjectKindTest {
  private static final String MODULE = """
      (module
        (type $s (struct (field i64)))
        (tag $t (param i64))
        (global $keep (mut (ref null $s)) (ref.null $s))
        (func (export "exception") (param $v i64) (result exnref)
          (block $h (result i64 exnref)
            (try_table (catch_ref $t $h) (throw $t (local.get $v)))
            (unreachable))
          (return))
        (func (export "struct") (param $v i64) (result anyref)
          (global.set $keep (struct.new $s (local.get $v)))
          (global.get $keep))
        ;; the casts compiled code makes, on whatever word the global holds
        (global $any (export "any") (mut anyref) (ref.null any))
        (func (export "is_struct") (result i32) (ref.test (ref struct) (global.get $any)))
        (func (export "is_array") (result i32) (ref.test (ref array) (global.get $any)))
        (func (export "is_s") (result i32) (ref.test (ref $s) (global.get $any))))
      """;

  private static final RefType ANYREF = new RefType(true, HeapType.Abstract.ANY);
  private static final RefType EXNREF = new RefType(true, HeapType.Abstract.EXN);

  @ParameterizedTest
  @EnumSource(Target.class)
  void anExceptionObjectIsNeverTakenForAStructOrArrayNorTheOtherWayRound(Target target) {
    withObjects(target, (store, instance, exception, struct) -> {
      store.exclusive("test", () -> {
        assertEquals(ObjectKind.EXCEPTION, store.objectKind(exception), "was ARRAY: the count read as a length");
        assertEquals(ObjectKind.STRUCT, store.objectKind(struct));

        IllegalArgumentException asAny = assertThrows(IllegalArgumentException.class,
            () -> store.checkReference(ValType.EXTERNREF, exception, ANYREF));
        assertEquals("an exception object where (ref null any) is expected (an exnref is of the exn hierarchy alone)",
            asAny.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.checkReference(ValType.EXTERNREF, exception,
            new RefType(true, HeapType.Abstract.ARRAY)), "an exception is no arrayref");
        assertThrows(IllegalArgumentException.class, () -> store.checkReference(ValType.EXTERNREF, exception,
            RefType.EXTERNREF), "nor an externref");

        // a struct held by a handle is still no exnref: holding alone once sufficed
        ObjectHandles handles = store.attachment(ObjectHandles.class, () -> new ObjectHandles(store, 16));
        handles.add(struct, ObjectKind.STRUCT);
        IllegalArgumentException asExn = assertThrows(IllegalArgumentException.class,
            () -> store.checkReference(ValType.EXTERNREF, struct, EXNREF));
        assertEquals("a struct where an exnref is expected (an exnref is of the exn hierarchy alone)",
            asExn.getMessage());
        IllegalArgumentException heldAsArray = assertThrows(IllegalArgumentException.class,
            () -> handles.add(exception, ObjectKind.ARRAY));
        assertTrue(heldAsArray.getMessage().startsWith("an exception object of "), heldAsArray.getMessage());

        int slot = handles.add(exception, ObjectKind.EXCEPTION);
        store.checkReference(ValType.EXTERNREF, exception, EXNREF); // the exception itself passes
        assertThrows(IllegalArgumentException.class, () -> handles.word(slot, ObjectKind.STRUCT));
        return null;
      });

      // the verifier checks word 4 against the type id: an exception whose word 4 reads as an array's length
      store.verifyHeap(new long[] {exception, struct});
      MemorySegment header = MemorySegment.ofAddress(exception).reinterpret(ObjectLayout.FIELDS);
      int kindWord = header.get(ValueLayout.JAVA_INT, ObjectLayout.LENGTH);
      assertEquals(ObjectLayout.exceptionWord(1), kindWord, "compiled throw writes the exception's tag and count");
      header.set(ValueLayout.JAVA_INT, ObjectLayout.LENGTH, 1);
      IllegalStateException damaged = assertThrows(IllegalStateException.class,
          () -> store.verifyHeap(new long[] {exception, struct}));
      assertTrue(damaged.getMessage().endsWith("is an exception by its type id but its header says an array"),
          damaged.getMessage());
      header.set(ValueLayout.JAVA_INT, ObjectLayout.LENGTH, kindWord);
    });
  }

  /**
   * Validation keeps an exnref from every any-typed cast ({@code ref.test}, {@code ref.cast} and
   * {@code br_on_cast} take an operand of the target's hierarchy, spec 3.0 3.4.x; {@code
   * GcInstructionRules.sameHierarchy}), and every way in from Java now refuses one. Should an
   * exception's word reach one anyway (written here into an anyref global's slot by hand, as a
   * confused host path would), the compiled casts still tell it from a struct or array by word 4:
   * {@code ref.test struct} compares it with the struct mark (its sign alone would take an
   * exception's mark for a struct's), {@code ref.test array} its sign (a bare count would be an
   * array's length), a concrete type the type id (a tag's function type is no struct type).
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void compiledCastsTellAnExceptionFromAStructOrArray(Target target) {
    withObjects(target, (store, instance, exception, struct) -> {
      long slot = ((Extern.Global) instance.export("any").orElseThrow()).global().slotAddress();
      MemorySegment global = MemorySegment.ofAddress(slot).reinterpret(8);

      global.set(ValueLayout.JAVA_LONG, 0, struct);
      assertEquals(List.of(1L, 0L, 1L), casts(instance), "a struct: struct, not array, $s");
      global.set(ValueLayout.JAVA_LONG, 0, exception);
      assertEquals(List.of(0L, 0L, 0L), casts(instance), "an exception: none of them");
      global.set(ValueLayout.JAVA_LONG, 0, 0);
    });
  }

  /** What a test does with an instance of {@link #MODULE}, a compiled throw's exception object and a struct. */
  private interface Objects {
    void test(NativeStore store, LoadedInstance instance, long exception, long struct);
  }

  private static void withObjects(Target target, Objects body) {
    try (NativeStore store = new NativeStore(); LoadedModule module = GcModules.load(target, MODULE);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      long exception = instance.invoke("exception", 7L).getFirst().bits();
      long struct = instance.invoke("struct", 9L).getFirst().bits();
      body.test(store, instance, exception, struct);
    }
  }

  private static List<Long> casts(LoadedInstance instance) {
    return List.of(instance.invoke("is_struct").getFirst().bits(), instance.invoke("is_array").getFirst().bits(),
        instance.invoke("is_s").getFirst().bits());
  }
}
