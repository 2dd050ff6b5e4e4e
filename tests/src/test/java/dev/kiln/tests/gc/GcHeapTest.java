package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.gc.ObjectLayout;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.StoreLimits;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Struct and array objects in the store's GC heap (artifact.gc.ObjectLayout, loader
 * runtime.GcHeap, compiler translate.GcObjects), on x86-64 and AArch64: fields of every storage
 * type round-trip, objects made by constant expressions are the ones compiled code reads, casts
 * follow declared subtyping, words the host makes up near the heap are never taken for objects, and
 * allocation stops at the store's memory limit, which the heap shares with linear memory, with a
 * trap the store survives.
 */
class GcHeapTest {
  private static final String OBJECTS = """
      (module
        (type $point (sub (struct (field $x (mut i32)) (field $y (mut i64)))))
        (type $point3 (sub $point (struct (field $x (mut i32)) (field $y (mut i64)) (field $z (mut f64)))))
        (type $mixed (struct (field (mut i8)) (field (mut i16)) (field (mut f32)) (field (mut anyref))
            (field (mut v128))))
        (type $bytes (array (mut i8)))
        (type $words (array (mut i64)))
        (global $origin (ref $point3) (struct.new $point3 (i32.const 1) (i64.const 2) (f64.const 3.5)))
        (global $table (ref $words) (array.new_fixed $words 3 (i64.const 10) (i64.const 20) (i64.const 30)))
        (func (export "mixed") (param i32 i32) (result i32 i32 i32 f32 i32 i64)
          (local $m (ref $mixed))
          (local.set $m (struct.new $mixed (local.get 0) (local.get 1) (f32.const 1.25)
              (ref.i31 (i32.const 99)) (v128.const i64x2 7 -8)))
          (struct.get_s $mixed 0 (local.get $m))
          (struct.get_u $mixed 0 (local.get $m))
          (struct.get_s $mixed 1 (local.get $m))
          (struct.get $mixed 2 (local.get $m))
          (i31.get_u (ref.cast (ref i31) (struct.get $mixed 3 (local.get $m))))
          (i64x2.extract_lane 1 (struct.get $mixed 4 (local.get $m))))
        (func (export "origin") (result i32 i64 f64)
          (struct.get $point3 0 (global.get $origin))
          (struct.get $point 1 (global.get $origin))
          (struct.get $point3 2 (global.get $origin)))
        (func (export "table_sum") (result i64)
          (i64.add (array.get $words (global.get $table) (i32.const 0))
            (i64.add (array.get $words (global.get $table) (i32.const 1))
              (array.get $words (global.get $table) (i32.const 2)))))
        ;; fill [2, 8) with 0xAB, copy [0, 6) over [3, 9) (overlapping), read one byte
        (func (export "bytes") (param $at i32) (result i32)
          (local $a (ref $bytes))
          (local.set $a (array.new $bytes (i32.const 1) (i32.const 10)))
          (array.fill $bytes (local.get $a) (i32.const 2) (i32.const 0xAB) (i32.const 6))
          (array.copy $bytes $bytes (local.get $a) (i32.const 3) (local.get $a) (i32.const 0) (i32.const 6))
          (array.get_u $bytes (local.get $a) (local.get $at)))
        (func (export "new_point") (param i32) (result anyref) (struct.new $point (local.get 0) (i64.const 0)))
        (func (export "new_point3") (result anyref) (struct.new_default $point3))
        (func (export "is_point") (param anyref) (result i32) (ref.test (ref $point) (local.get 0)))
        (func (export "is_point3") (param anyref) (result i32) (ref.test (ref $point3) (local.get 0)))
        (func (export "is_eq") (param anyref) (result i32) (ref.test (ref eq) (local.get 0)))
        (func (export "is_array") (param anyref) (result i32) (ref.test (ref array) (local.get 0)))
        (func (export "x") (param anyref) (result i32) (struct.get $point 0 (ref.cast (ref $point) (local.get 0)))))
      """;

  /** Allocates 64 KiB arrays until told to stop, next to a memory that grows after. */
  private static final String ALLOCATOR = """
      (module
        (type $block (array (mut i64)))
        (memory 1)
        (type $link (struct (field $b (ref $block)) (field $next (ref null $link))))
        (global $keep (mut (ref null $block)) (ref.null $block))
        (global $chain (mut (ref null $link)) (ref.null $link))
        ;; keeps every block it makes: only the limit stops it
        (func (export "hoard") (param $n i32)
          (loop $more
            (global.set $chain (struct.new $link (array.new_default $block (i32.const 8190)) (global.get $chain)))
            (br_if $more (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
        (func (export "allocate") (param $n i32)
          (loop $more
            (global.set $keep (array.new_default $block (i32.const 8190)))
            (br_if $more (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
        (func (export "huge") (array.new_default $block (i32.const -1)) (drop))
        (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
      """;

  private static LoadedModule load(Target target, String wat) {
    return GcModules.load(target, wat);
  }

  private static java.util.List<WasmValue> any(long word) {
    return java.util.List.of(new WasmValue.Ref(ValType.EXTERNREF, word));
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void fieldsOfEveryStorageTypeRoundTripAndConstantObjectsAreShared(Target target) {
    try (NativeStore store = new NativeStore(); LoadedModule module = load(target, OBJECTS);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      var mixed = instance.invoke("mixed", 0x1FFL, 0x18765L);
      assertEquals(-1, (int) mixed.get(0).bits(), "i8 0xFF sign-extended");
      assertEquals(0xFF, (int) mixed.get(1).bits(), "i8 0xFF zero-extended");
      assertEquals((short) 0x8765, (int) mixed.get(2).bits(), "i16 sign-extended, bit 16 dropped");
      assertEquals(Float.floatToRawIntBits(1.25f), (int) mixed.get(3).bits());
      assertEquals(99, (int) mixed.get(4).bits());
      assertEquals(-8, mixed.get(5).bits(), "the v128 field's high lane");
      var origin = instance.invoke("origin");
      assertEquals(1, (int) origin.get(0).bits());
      assertEquals(2, origin.get(1).bits());
      assertEquals(Double.doubleToRawLongBits(3.5), origin.get(2).bits());
      assertEquals(60, instance.invoke("table_sum").getFirst().bits());
      int[] expected = {1, 1, 0xAB, 1, 1, 0xAB, 0xAB, 0xAB, 0xAB, 1};
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], (int) instance.invoke("bytes", i).getFirst().bits(), "byte " + i);
      }
      TrapException outside = assertThrows(TrapException.class, () -> instance.invoke("bytes", 10));
      assertEquals(TrapCode.ARRAY_OUT_OF_BOUNDS, outside.code());
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void castsFollowDeclaredSubtypingAndMadeUpWordsAreNoObjects(Target target) {
    try (NativeStore store = new NativeStore(); LoadedModule module = load(target, OBJECTS);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      long point = instance.invoke("new_point", 41L).getFirst().bits();
      long point3 = instance.invoke("new_point3").getFirst().bits();
      assertEquals(NativeStore.ObjectKind.STRUCT, store.exclusive("test", () -> store.objectKind(point)));
      assertEquals(1, instance.invoke("is_point", any(point)).getFirst().bits());
      assertEquals(0, instance.invoke("is_point3", any(point)).getFirst().bits(), "a supertype is not its subtype");
      assertEquals(1, instance.invoke("is_point", any(point3)).getFirst().bits(), "through the display");
      assertEquals(41, instance.invoke("x", any(point)).getFirst().bits());
      assertEquals(0, instance.invoke("is_array", any(point)).getFirst().bits());
      // words a host could make up from a real object's: misaligned, past the allocated top, below
      // the heap; none is an object, and a cast of one traps instead of reading it
      long top = point3 + 32; // $point3: header, i32 at 8, i64 at 16, f64 at 24
      for (long madeUp : new long[] {point + 4, top, top + 8, point - 8 * 1024 * 1024, 8}) {
        assertEquals(0, instance.invoke("is_eq", any(madeUp)).getFirst().bits(), Long.toHexString(madeUp));
        assertEquals(0, instance.invoke("is_array", any(madeUp)).getFirst().bits(), Long.toHexString(madeUp));
        assertEquals(0, instance.invoke("is_point", any(madeUp)).getFirst().bits(), Long.toHexString(madeUp));
        TrapException cast = assertThrows(TrapException.class, () -> instance.invoke("x", any(madeUp)));
        assertEquals(TrapCode.CAST_FAILURE, cast.code());
        assertEquals(NativeStore.ObjectKind.NONE, store.exclusive("test", () -> store.objectKind(madeUp)));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void allocationStopsAtTheStoreLimitItSharesWithMemoryAndTheStoreSurvives(Target target) {
    long limit = 2L << 20;
    try (NativeStore store = new NativeStore(StoreLimits.DEFAULTS.withMaxMemoryBytes(limit));
        LoadedModule module = load(target, ALLOCATOR); LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      // 1 MiB of objects (16 arrays of 64 KiB) next to the 64 KiB memory: the memory may not grow
      // by another MiB, since the heap's chunks count against the same limit
      instance.invoke("allocate", 16L);
      assertEquals(-1, (int) instance.invoke("grow", 16L).getFirst().bits(), "the heap's bytes count");
      TrapException exhausted = assertThrows(TrapException.class, () -> instance.invoke("hoard", 1_000_000L));
      assertEquals(TrapCode.GC_HEAP_EXHAUSTED, exhausted.code());
      assertTrue(store.resources().memoryBytes().used() <= limit, "within the limit");
      TrapException huge = assertThrows(TrapException.class, () -> instance.invoke("huge"));
      assertEquals(TrapCode.GC_HEAP_EXHAUSTED, huge.code(), "2^32 - 1 elements of 8 bytes");
      // the store and the instance still work after the traps
      assertEquals(1, (int) instance.invoke("grow", 0L).getFirst().bits());
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void theHeapIsChunkAccountedFromItsBase(Target target) {
    try (NativeStore store = new NativeStore(); LoadedModule module = load(target, ALLOCATOR);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      long before = store.resources().memoryBytes().used();
      instance.invoke("allocate", 1L);
      assertEquals(ObjectLayout.CHUNK, store.resources().memoryBytes().used() - before,
          "one array of 8 + 8190 * 8 bytes fits one 64 KiB chunk");
      instance.invoke("allocate", 1L);
      assertEquals(2 * ObjectLayout.CHUNK, store.resources().memoryBytes().used() - before,
          "the second does not: one more chunk, no more");
    }
  }
}
