package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.gc.ReferenceWord;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmValue;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reference word (dev.kiln.artifact.gc.ReferenceWord) as compiled code makes and reads it, on
 * x86-64 and AArch64: {@code ref.i31} produces exactly {@code (v << 1) | 1}, {@code i31.get_s/_u}
 * and the casts read words the loader's constant evaluator and the script runner encode the same
 * way, and a host word is only ever an i31 (bit 0 set) or an opaque non-eq reference: casting it
 * to i31 traps with "cast failure", a null one with "null i31 reference", and no cast makes it a
 * struct or array.
 */
class ReferenceWordTest {
  private static final String MODULE = """
      (module
        (global $seven i31ref (ref.i31 (i32.const 7)))
        (func (export "word") (param i32) (result externref) (extern.convert_any (ref.i31 (local.get 0))))
        (func (export "seven") (result externref) (extern.convert_any (global.get $seven)))
        (func (export "get_s") (param externref) (result i32)
          (i31.get_s (ref.cast (ref null i31) (any.convert_extern (local.get 0)))))
        (func (export "get_u") (param externref) (result i32)
          (i31.get_u (ref.cast (ref null i31) (any.convert_extern (local.get 0)))))
        (func (export "is_i31") (param externref) (result i32) (ref.test (ref i31) (any.convert_extern (local.get 0))))
        (func (export "is_eq") (param externref) (result i32) (ref.test (ref eq) (any.convert_extern (local.get 0))))
        (func (export "is_struct") (param externref) (result i32)
          (ref.test (ref null struct) (any.convert_extern (local.get 0))))
        (func (export "is_array") (param externref) (result i32) (ref.test (ref array) (any.convert_extern (local.get 0))))
        (func (export "is_any") (param externref) (result i32) (ref.test (ref any) (any.convert_extern (local.get 0))))
        (func (export "to_i31") (param externref) (result i32)
          (i31.get_u (ref.cast (ref i31) (any.convert_extern (local.get 0)))))
        (func (export "branch") (param externref) (result i32)
          (block $l (result (ref i31))
            (br_on_cast $l anyref (ref i31) (any.convert_extern (local.get 0)))
            (drop)
            (return (i32.const -1)))
          (i31.get_u))
        (func (export "same") (param externref externref) (result i32)
          (ref.eq (ref.cast eqref (any.convert_extern (local.get 0))) (ref.cast eqref (any.convert_extern (local.get 1))))))
      """;

  private static LoadedModule load(Target target) {
    return GcModules.load(target, MODULE);
  }

  private static WasmValue extern(long bits) {
    return new WasmValue.Ref(ValType.EXTERNREF, bits);
  }

  private static long call(LoadedInstance instance, String name, long... words) {
    List<WasmValue> args = java.util.Arrays.stream(words).mapToObj(ReferenceWordTest::extern).toList();
    return instance.invoke(name, args).getFirst().bits();
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void compiledCodeAndTheLoaderEncodeI31AsTheSharedWord(Target target) {
    try (NativeStore store = new NativeStore(); LoadedModule module = load(target);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      for (int v : new int[] {0, 1, 7, -1, 0x3FFF_FFFF, 0x4000_0000, 0x7FFF_FFFF, 0x8000_0000, 0xCAAA_AAAA}) {
        long word = instance.invoke("word", Integer.toUnsignedLong(v)).getFirst().bits();
        assertEquals(ReferenceWord.i31(v), word, "ref.i31 " + v);
        assertEquals((Integer.toUnsignedLong(v) << 1 | 1) & 0xFFFF_FFFFL, word, "the word of " + v);
        assertEquals(ReferenceWord.i31Signed(word), (int) call(instance, "get_s", word), "get_s " + v);
        assertEquals(ReferenceWord.i31Unsigned(word), (int) call(instance, "get_u", word), "get_u " + v);
        assertEquals(1, call(instance, "is_i31", word));
        assertEquals(1, call(instance, "is_eq", word));
        assertEquals(0, call(instance, "is_struct", word));
        assertEquals(ReferenceWord.i31Unsigned(word), (int) call(instance, "branch", word));
      }
      // the loader evaluates ref.i31 in a global's initialiser to the same word
      assertEquals(ReferenceWord.i31(7), instance.invoke("seven").getFirst().bits());
      assertEquals(1, call(instance, "same", ReferenceWord.i31(5), ReferenceWord.i31(5)));
      assertEquals(0, call(instance, "same", ReferenceWord.i31(5), ReferenceWord.i31(6)));
    }
  }

  /** What a hostile or careless host can pass as an externref, and what the guest may make of it. */
  @ParameterizedTest
  @EnumSource(Target.class)
  void aHostWordIsNeverAHeapObjectAndCastsOfItTrapCleanly(Target target) {
    try (NativeStore store = new NativeStore(); LoadedModule module = load(target);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      // even words: host references, in the any hierarchy but neither eq, i31, struct nor array
      for (long host : new long[] {2, 0x1234_5678_9ABCL, 0x8000_0000_0000_0000L, -2L, 8}) {
        assertEquals(1, call(instance, "is_any", host));
        assertEquals(0, call(instance, "is_i31", host));
        assertEquals(0, call(instance, "is_eq", host));
        assertEquals(0, call(instance, "is_struct", host));
        assertEquals(0, call(instance, "is_array", host));
        assertEquals(-1, (int) call(instance, "branch", host));
        TrapException cast = assertThrows(TrapException.class, () -> call(instance, "to_i31", host));
        assertEquals(TrapCode.CAST_FAILURE, cast.code());
        assertEquals("cast failure", cast.getMessage());
      }
      // null: ref.test of a non-null type says 0, a nullable struct test says 1, i31.get traps
      assertEquals(0, call(instance, "is_any", 0));
      assertEquals(1, call(instance, "is_struct", 0));
      TrapException get = assertThrows(TrapException.class, () -> call(instance, "get_u", 0));
      assertEquals(TrapCode.NULL_I31_REFERENCE, get.code());
      assertEquals("null i31 reference", get.getMessage());
      assertEquals(TrapCode.CAST_FAILURE,
          assertThrows(TrapException.class, () -> call(instance, "to_i31", 0)).code());
      // an odd host word is an i31 to the guest (the documented contract), so only a canonical one
      // (its high half zero) comes in: another would pass every i31 test yet not be ref.eq to the
      // same i31 (red team 8 F3)
      assertEquals(1, call(instance, "is_i31", ReferenceWord.i31(-1)));
      assertEquals(0x7FFF_FFFF, (int) call(instance, "get_u", ReferenceWord.i31(-1)));
      assertThrows(IllegalArgumentException.class, () -> call(instance, "is_i31", 0xFFFF_FFFF_FFFF_FFFFL));
    }
  }
}
