package dev.kiln.tests.tables;

import static dev.kiln.tests.support.Invocations.call;
import static dev.kiln.tests.support.Invocations.trap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.ModuleInstantiationException;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.table.TableInstance;
import dev.kiln.tests.support.Artifacts;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 64-bit tables (WebAssembly 3.0) attacked with element indices, counts and deltas of 2^32 and
 * more, on both targets, lazy and strict tables: each value's low 32 bits name a valid slot (or a
 * count or delta that would succeed), so an index truncated to 32 bits anywhere (the compiled bounds
 * check, the direct-call compare of a fixed table, the table builtins, the host's table API) reaches
 * a live slot instead of trapping. Every such access must trap (or grow return -1) and leave the
 * table as it was.
 */
class Table64IndexTest {
  private static final long FOUR_GI = 1L << 32;

  /**
   * {@code $fixed} is never written by code nor exported, so call_indirect through it compares the
   * index with its slots first ({@code FixedTables}); {@code $t} is written by code and exported.
   * Slot 0 of each holds {@code $seven}, slot 1 {@code $nine}.
   */
  private static final String MODULE = """
      (module
        (type $v (func (result i32)))
        (func $seven (result i32) (i32.const 7))
        (func $nine (result i32) (i32.const 9))
        (table $fixed i64 2 funcref)
        (elem (table $fixed) (i64.const 0) func $seven $nine)
        (table $t (export "t") i64 4 funcref)
        (elem (table $t) (i64.const 0) func $seven $nine $seven $nine)
        (table $t32 4 funcref)
        (elem $e func $seven $nine)
        (func (export "call_fixed") (param i64) (result i32) (call_indirect $fixed (type $v) (local.get 0)))
        (func (export "tail_fixed") (param i64) (result i32) (return_call_indirect $fixed (type $v) (local.get 0)))
        (func (export "call") (param i64) (result i32) (call_indirect $t (type $v) (local.get 0)))
        (func (export "tail") (param i64) (result i32) (return_call_indirect $t (type $v) (local.get 0)))
        (func (export "is_null") (param i64) (result i32) (ref.is_null (table.get $t (local.get 0))))
        (func (export "set_null") (param i64) (table.set $t (local.get 0) (ref.null func)))
        (func (export "fill_null") (param i64 i64) (table.fill $t (local.get 0) (ref.null func) (local.get 1)))
        (func (export "copy") (param i64 i64 i64) (table.copy $t $t (local.get 0) (local.get 1) (local.get 2)))
        (func (export "copy_to_32") (param i32 i64 i32) (table.copy $t32 $t (local.get 0) (local.get 1) (local.get 2)))
        (func (export "copy_from_32") (param i64 i32 i32) (table.copy $t $t32 (local.get 0) (local.get 1) (local.get 2)))
        (func (export "init") (param i64 i32 i32) (table.init $t $e (local.get 0) (local.get 1) (local.get 2)))
        (func (export "grow") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0)))
        (func (export "size") (result i64) (table.size $t)))
      """;

  static Stream<Arguments> targetsAndTableSettings() {
    return Stream.of(Target.values()).flatMap(t -> Stream.of(Arguments.of(t, true), Arguments.of(t, false)));
  }

  @ParameterizedTest(name = "{0} lazy={1}")
  @MethodSource("targetsAndTableSettings")
  void indicesOf2To32OrMoreTrapInsteadOfReachingTheSlotTheirLow32BitsName(Target target, boolean lazy) {
    assumeTrue(Executors.canRun(target), "this host cannot run " + target + " code");
    try (NativeStore store = new NativeStore(); LoadedModule module = load(target, lazy);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      assertEquals(7, call(instance, "call_fixed", 0));
      assertEquals(9, call(instance, "tail", 1));
      for (long index : new long[] {FOUR_GI, FOUR_GI + 1, Long.MIN_VALUE, -1}) {
        for (String call : new String[] {"call_fixed", "tail_fixed", "call", "tail"}) {
          assertEquals(TrapCode.UNDEFINED_ELEMENT, trap(instance, call, index),
              call + " " + Long.toUnsignedString(index));
        }
        assertEquals(TrapCode.TABLE_OUT_OF_BOUNDS, trap(instance, "is_null", index));
        assertEquals(TrapCode.TABLE_OUT_OF_BOUNDS, trap(instance, "set_null", index));
        assertEquals(TrapCode.TABLE_OUT_OF_BOUNDS, trap(instance, "fill_null", index, 1));
        assertEquals(TrapCode.TABLE_OUT_OF_BOUNDS, trap(instance, "copy", index, 1, 1));
        assertEquals(TrapCode.TABLE_OUT_OF_BOUNDS, trap(instance, "copy", 0, index, 1));
        assertEquals(TrapCode.TABLE_OUT_OF_BOUNDS, trap(instance, "copy_to_32", 0, index, 1));
        assertEquals(TrapCode.TABLE_OUT_OF_BOUNDS, trap(instance, "copy_from_32", index, 1, 1));
        assertEquals(TrapCode.TABLE_OUT_OF_BOUNDS, trap(instance, "init", index, 1, 1));
        assertEquals(-1, call(instance, "grow", index), "grow by " + Long.toUnsignedString(index));
      }
      // counts whose low 32 bits (1) would null slot 0 or copy $nine over it
      assertEquals(TrapCode.TABLE_OUT_OF_BOUNDS, trap(instance, "fill_null", 0, FOUR_GI + 1));
      assertEquals(TrapCode.TABLE_OUT_OF_BOUNDS, trap(instance, "copy", 0, 1, FOUR_GI + 1));
      assertTableUnchanged(instance);

      // the host's view of the same table: no index or delta reduced either
      TableInstance table = ((Extern.Table) instance.export("t").orElseThrow()).table();
      assertThrows(TableInstance.TableOutOfBoundsException.class, () -> table.get(FOUR_GI));
      assertThrows(TableInstance.TableOutOfBoundsException.class, () -> table.set(FOUR_GI, 0));
      assertThrows(TableInstance.TableOutOfBoundsException.class, () -> table.fill(FOUR_GI, 0, 1));
      assertThrows(TableInstance.TableOutOfBoundsException.class, () -> table.fill(0, 0, FOUR_GI + 1));
      assertEquals(-1, table.grow(FOUR_GI, 0));
      assertTableUnchanged(instance);

      // what does fit still works, results as i64
      assertEquals(4, call(instance, "grow", 2));
      assertEquals(6, call(instance, "size"));
      assertEquals(TrapCode.UNINITIALIZED_ELEMENT, trap(instance, "call", 5));
    }
  }

  /**
   * An active element segment at an i64 offset of 2^32 (low bits 0) fits no table of 4 slots: the
   * instantiation traps whether the segment is applied eagerly or folded into a lazy table's image.
   */
  @ParameterizedTest(name = "{0} lazy={1}")
  @MethodSource("targetsAndTableSettings")
  void anElementSegmentAt2To32IsOutOfBoundsNotAtSlot0(Target target, boolean lazy) {
    assumeTrue(Executors.canRun(target), "this host cannot run " + target + " code");
    String wat = """
        (module
          (type $v (func (result i32)))
          (func $seven (result i32) (i32.const 7))
          (table $t i64 4 funcref)
          (elem (table $t) (i64.const 0x1_0000_0000) func $seven)
          (func (export "call") (param i64) (result i32) (call_indirect $t (type $v) (local.get 0))))
        """;
    try (NativeStore store = new NativeStore(); LoadedModule module = load(wat, target, lazy)) {
      ModuleInstantiationException e = assertThrows(ModuleInstantiationException.class,
          () -> LoadedInstance.instantiate(module, store));
      assertEquals(Optional.of(TrapCode.TABLE_OUT_OF_BOUNDS), e.trapCode(), e.getMessage());
      assertTrue(e.getMessage().contains("[4294967296, +1)"), e.getMessage());
    }
  }

  private static void assertTableUnchanged(LoadedInstance instance) {
    assertEquals(4, call(instance, "size"));
    assertEquals(7, call(instance, "call", 0), "slot 0 still $seven");
    assertEquals(9, call(instance, "call", 1), "slot 1 still $nine");
    assertEquals(7, call(instance, "call_fixed", 0));
  }

  private static LoadedModule load(Target target, boolean lazy) {
    return load(MODULE, target, lazy);
  }

  private static LoadedModule load(String wat, Target target, boolean lazy) {
    return LoadedModule.fromBytes(Artifacts.fromWat(wat, Artifacts.backend(target),
        CompileOptions.defaults().withTableLazyInit(lazy)), null);
  }
}
