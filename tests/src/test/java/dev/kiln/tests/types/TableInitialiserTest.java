package dev.kiln.tests.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.Wat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tables with an initialiser (WebAssembly 3.0 {@code (table n t expr)}, binary 0x40 0x00), on both
 * targets, lazy and strict tables: every slot starts as the initialiser's value, element segments
 * then overwrite theirs (spec 3.0 4.5.4), also in a lazily initialised table whose segments would
 * otherwise be folded into an image read only for slots left at their start value; and a
 * non-nullable table needs one.
 */
class TableInitialiserTest {
  private static final String MODULE = """
      (module
        (type $v (func (result i32)))
        (func $seven (type $v) (i32.const 7))
        (func $nine (type $v) (i32.const 9))
        (table $t 4 (ref $v) (ref.func $seven))
        (elem (table $t) (i32.const 1) (ref $v) (ref.func $nine))
        (table $u 2 funcref (ref.func $nine))
        (func (export "call") (param i32) (result i32) (call_indirect $t (type $v) (local.get 0)))
        (func (export "call_ref") (param i32) (result i32) (call_ref $v (table.get $t (local.get 0))))
        (func (export "call_u") (param i32) (result i32) (call_indirect $u (type $v) (local.get 0)))
        (func (export "grow") (result i32) (table.grow $t (ref.func $nine) (i32.const 1))))
      """;

  @ParameterizedTest(name = "{0} lazy={1}")
  @MethodSource("dev.kiln.tests.types.TypedReferenceLinkingTest#targetsAndTableSettings")
  void everySlotStartsAsTheInitialiserAndSegmentsWriteOverIt(Target target, boolean lazy) {
    assumeTrue(Executors.canRun(target), "this host cannot run " + target + " code");
    try (NativeStore store = new NativeStore(); LoadedModule module = TypedReferenceLinkingTest.load(MODULE, target, lazy);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      assertEquals(7, call(instance, "call", 0));
      assertEquals(9, call(instance, "call", 1), "the segment's slot");
      assertEquals(7, call(instance, "call", 2));
      assertEquals(7, call(instance, "call_ref", 3));
      assertEquals(9, call(instance, "call_u", 1));
      assertEquals(4, call(instance, "grow"));
      assertEquals(9, call(instance, "call_ref", 4));
    }
  }

  @Test
  void aNonNullableTableWithoutAnInitialiserIsInvalid() {
    byte[] bytes = Wat.toBinaryWithNames("(module (type $v (func)) (table 1 (ref $v)))", "t.wat");
    assertThrows(InvalidException.class, () -> Wasm.load(bytes));
  }

  private static long call(LoadedInstance instance, String name, long... args) {
    return instance.invoke(name, args).getFirst().bits();
  }
}
