package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The null checks the compiler leaves out (a reference of non-nullable type, an allocation's, one a
 * dominating check proved: {@code NullChecks}, {@code KnownZeroness}) are only those that cannot
 * trap. helper-98's attack on the first version: a {@code (ref $s)} local set from {@code
 * ref.as_non_null}, {@code br_on_null} or {@code ref.cast} of a nullable one holds the same IR value,
 * and its read marked that value non-null for every use, so the nullable local's access on a path
 * that never checked it lost its check: a null dereference crashed the process on x86-64 and read
 * unmapped memory on AArch64, {@code i31.get} of null returned 0, {@code ref.as_non_null} of null
 * passed. Each function here is called with null on the path without the check (it must trap with
 * the operator's code) and, where it has one, with an object on the path with it.
 */
class NullChecksTest {
  private static final String WAT = """
      (module
        (type $s (struct (field (mut i32))))
        (type $a (array (mut i32)))
        (type $ft (func (result i32)))
        (func $seven (result i32) (i32.const 7))
        (elem declare func $seven)

        (func $afterAsNonNull (param $c i32) (param $p (ref null $s)) (result i32)
          (local $q (ref $s))
          (if (local.get $c)
            (then (local.set $q (ref.as_non_null (local.get $p))) (drop (local.get $q))))
          (struct.get $s 0 (local.get $p)))
        (func (export "afterAsNonNull") (param $c i32) (result i32)
          (call $afterAsNonNull (local.get $c)
            (select (result (ref null $s)) (struct.new $s (i32.const 5)) (ref.null $s) (local.get $c))))

        (func $afterBrOnNull (param $p (ref null $s)) (result i32)
          (local $q (ref $s))
          (block $null
            (local.set $q (br_on_null $null (local.get $p)))
            (drop (local.get $q)))
          (struct.get $s 0 (local.get $p)))
        (func (export "afterBrOnNull") (result i32) (call $afterBrOnNull (ref.null $s)))

        (func $otherArm (param $c i32) (param $p (ref null $s)) (result i32)
          (local $q (ref $s))
          (if (result i32) (local.get $c)
            (then (local.set $q (ref.as_non_null (local.get $p))) (struct.get $s 0 (local.get $q)))
            (else (struct.get $s 0 (local.get $p)))))
        (func (export "otherArm") (result i32) (call $otherArm (i32.const 0) (ref.null $s)))

        (func $afterCast (param $c i32) (param $p anyref) (result i32)
          (local $q (ref $s))
          (if (local.get $c)
            (then (local.set $q (ref.cast (ref $s) (local.get $p))) (drop (local.get $q))))
          (struct.get $s 0 (ref.cast (ref null $s) (local.get $p))))
        (func (export "afterCast") (result i32) (call $afterCast (i32.const 0) (ref.null any)))

        (func $arrayLength (param $c i32) (param $p (ref null $a)) (result i32)
          (local $q (ref $a))
          (if (local.get $c)
            (then (local.set $q (ref.as_non_null (local.get $p))) (drop (local.get $q))))
          (array.len (local.get $p)))
        (func (export "arrayLength") (result i32) (call $arrayLength (i32.const 0) (ref.null $a)))

        (func $arraySet (param $c i32) (param $p (ref null $a)) (param $i i32)
          (local $q (ref $a))
          (if (local.get $c)
            (then (local.set $q (ref.as_non_null (local.get $p))) (drop (local.get $q))))
          (array.set $a (local.get $p) (local.get $i) (i32.const 7)))
        (func (export "arraySet") (param $i i32) (call $arraySet (i32.const 0) (ref.null $a) (local.get $i)))

        (func $callRef (param $c i32) (param $p (ref null $ft)) (result i32)
          (local $q (ref $ft))
          (if (local.get $c)
            (then (local.set $q (ref.as_non_null (local.get $p))) (drop (local.get $q))))
          (call_ref $ft (local.get $p)))
        (func (export "callRef") (param $c i32) (result i32)
          (call $callRef (local.get $c)
            (select (result (ref null $ft)) (ref.func $seven) (ref.null $ft) (local.get $c))))

        (func $i31 (param $c i32) (param $p i31ref) (result i32)
          (local $q (ref i31))
          (if (local.get $c)
            (then (local.set $q (ref.as_non_null (local.get $p))) (drop (local.get $q))))
          (i31.get_s (local.get $p)))
        (func (export "i31") (result i32) (call $i31 (i32.const 0) (ref.null i31)))

        (func $asNonNull (param $c i32) (param $p (ref null $s)) (result i32)
          (local $q (ref $s))
          (if (local.get $c)
            (then (local.set $q (ref.as_non_null (local.get $p))) (drop (local.get $q))))
          (ref.is_null (ref.as_non_null (local.get $p))))
        (func (export "asNonNull") (result i32) (call $asNonNull (i32.const 0) (ref.null $s))))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void aReferenceANonNullableLocalWasSetFromIsStillCheckedWhereItWasNot(Target target) {
    try (NativeStore store = new NativeStore(); LoadedModule module = GcModules.load(target, WAT);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      assertEquals(5, instance.invoke("afterAsNonNull", 1).getFirst().bits(), "checked, then read");
      assertEquals(7, instance.invoke("callRef", 1).getFirst().bits(), "checked, then called");
      traps(TrapCode.NULL_STRUCTURE_REFERENCE, instance, "afterAsNonNull", 0);
      traps(TrapCode.NULL_STRUCTURE_REFERENCE, instance, "afterBrOnNull");
      traps(TrapCode.NULL_STRUCTURE_REFERENCE, instance, "otherArm");
      traps(TrapCode.NULL_STRUCTURE_REFERENCE, instance, "afterCast");
      traps(TrapCode.NULL_ARRAY_REFERENCE, instance, "arrayLength");
      traps(TrapCode.NULL_ARRAY_REFERENCE, instance, "arraySet", 16);
      traps(TrapCode.INDIRECT_CALL_TO_NULL, instance, "callRef", 0);
      traps(TrapCode.NULL_I31_REFERENCE, instance, "i31");
      traps(TrapCode.NULL_REFERENCE, instance, "asNonNull");
    }
  }

  private static void traps(TrapCode code, LoadedInstance instance, String export, long... args) {
    TrapException trap = assertThrows(TrapException.class, () -> instance.invoke(export, args), export);
    assertEquals(code, trap.code(), export);
  }
}
