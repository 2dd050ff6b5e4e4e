package dev.kiln.tests.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.loader.instance.Instance;
import dev.kiln.loader.runtime.Trap;
import dev.kiln.loader.runtime.WasmFrame;
import dev.kiln.tests.backend.BoundsCheckEliminationEndToEndTest.Isa;
import dev.kiln.tests.backend.BoundsCheckEliminationEndToEndTest.Running;
import dev.kiln.tests.support.Wat;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.code.Opcode;
import dev.kiln.wasm.module.Module;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * call_indirect and return_call_indirect through tables whose slots never change, which the
 * compiler turns into compares of the index and direct calls (compiler.translate.FixedTables), on
 * both targets: every slot calls what its last element segment put there (a later segment over an
 * earlier one, one function in two slots, a function of another type index with the same
 * signature), every other index traps as the checked call does (out of bounds, null, other
 * signature), a trap in a directly called slot function keeps both frames, and tables that code
 * writes are still read at each call (table.set, table.copy into it), as is a table with more slots
 * of the type than the compares cover.
 */
class GuardedCallIndirectEndToEndTest {
  private static final String WAT = """
      (module
        (type $ii (func (param i32) (result i32)))
        (type $ii_again (func (param i32) (result i32)))
        (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
        (func $dbl (type $ii) (i32.mul (local.get 0) (i32.const 2)))
        (func $neg (type $ii) (i32.sub (i32.const 0) (local.get 0)))
        (func $quotient (type $ii_again) (i32.div_u (i32.const 100) (local.get 0)))
        (func $wide (param i64) (result i64) (local.get 0))
        (table $fixed 10 funcref)
        (elem (table $fixed) (i32.const 0) func $inc $dbl $wide $inc)
        (elem (table $fixed) (i32.const 1) func $neg)
        (elem (table $fixed) (i32.const 6) func $quotient)
        (func $call (export "call") (param $slot i32) (param $x i32) (result i32)
          (call_indirect $fixed (type $ii) (local.get $x) (local.get $slot)))
        (func (export "tail") (param $slot i32) (param $x i32) (result i32)
          (return_call_indirect $fixed (type $ii) (local.get $x) (local.get $slot)))

        (table $written 4 funcref)
        (elem (table $written) (i32.const 0) func $inc $dbl)
        (func (export "call_written") (param $slot i32) (param $x i32) (result i32)
          (call_indirect $written (type $ii) (local.get $x) (local.get $slot)))
        (func (export "set_neg") (param $slot i32) (table.set $written (local.get $slot) (ref.func $neg)))

        (table $copied 4 funcref)
        (elem (table $copied) (i32.const 0) func $inc $dbl)
        (func (export "call_copied") (param $slot i32) (param $x i32) (result i32)
          (call_indirect $copied (type $ii) (local.get $x) (local.get $slot)))
        (func (export "copy_fixed_into_copied") (param $to i32) (param $from i32)
          (table.copy $copied $fixed (local.get $to) (local.get $from) (i32.const 1)))

        (table $many 12 funcref)
        (elem (table $many) (i32.const 0) func $inc $dbl $neg $inc $dbl $neg $inc $dbl $neg $quotient)
        (func (export "call_many") (param $slot i32) (param $x i32) (result i32)
          (call_indirect $many (type $ii) (local.get $x) (local.get $slot))))
      """;

  private static Module module() {
    return Wasm.load(Wat.toWasm(WAT, "--enable-tail-call"));
  }

  private static int call(Instance instance, String name, int slot, int x) {
    return (int) instance.invoke(name, slot, x).getFirst().bits();
  }

  private static TrapCode trap(Instance instance, String name, int slot, int x) {
    return assertThrows(Trap.class, () -> instance.invoke(name, slot, x)).code();
  }

  @ParameterizedTest
  @EnumSource(Isa.class)
  void everySlotOfAFixedTableCallsWhatItsLastSegmentPutThere(Isa isa) throws Exception {
    try (Running running = Running.start(isa, module())) {
      Instance instance = running.instance();
      for (String export : List.of("call", "tail")) {
        assertEquals(6, call(instance, export, 0, 5), export);
        assertEquals(-5, call(instance, export, 1, 5), export + ": the second segment's $neg");
        assertEquals(6, call(instance, export, 3, 5), export + ": $inc in a second slot");
        assertEquals(20, call(instance, export, 6, 5), export + ": a type of the same signature");
        assertEquals(TrapCode.BAD_SIGNATURE, trap(instance, export, 2, 5), export);
        assertEquals(TrapCode.UNINITIALIZED_ELEMENT, trap(instance, export, 4, 5), export);
        assertEquals(TrapCode.UNINITIALIZED_ELEMENT, trap(instance, export, 9, 5), export);
        assertEquals(TrapCode.UNDEFINED_ELEMENT, trap(instance, export, 10, 5), export);
        assertEquals(TrapCode.UNDEFINED_ELEMENT, trap(instance, export, -1, 5), export);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Isa.class)
  void aTrapInADirectlyCalledSlotFunctionKeepsBothFrames(Isa isa) throws Exception {
    Module module = module();
    try (Running running = Running.start(isa, module)) {
      Trap trap = assertThrows(Trap.class, () -> running.instance().invoke("call", 6, 0));
      assertEquals(TrapCode.INTEGER_DIVISION_BY_ZERO, trap.code());
      List<String> frames = trap.backtrace().stream().filter(WasmFrame::isWasmFunction)
          .map(f -> f.name().orElse("?") + "@" + f.wasmOffset().orElse(-1)).toList();
      assertEquals(List.of("quotient@" + TrapOffsetEndToEndTest.at(module, 3, Opcode.I32_DIV_U, 0),
          "call@" + TrapOffsetEndToEndTest.at(module, 5, Opcode.CALL_INDIRECT, 0)), frames);
    }
  }

  @ParameterizedTest
  @EnumSource(Isa.class)
  void tablesThatCodeWritesAreReadAtEachCall(Isa isa) throws Exception {
    try (Running running = Running.start(isa, module())) {
      Instance instance = running.instance();
      assertEquals(6, call(instance, "call_written", 0, 5));
      instance.invoke("set_neg", 0);
      assertEquals(-5, call(instance, "call_written", 0, 5));
      instance.invoke("set_neg", 3);
      assertEquals(-5, call(instance, "call_written", 3, 5));

      assertEquals(10, call(instance, "call_copied", 1, 5));
      instance.invoke("copy_fixed_into_copied", 1, 1);
      assertEquals(-5, call(instance, "call_copied", 1, 5));
      instance.invoke("copy_fixed_into_copied", 2, 2);
      assertEquals(TrapCode.BAD_SIGNATURE, trap(instance, "call_copied", 2, 5));
    }
  }

  @ParameterizedTest
  @EnumSource(Isa.class)
  void aTableWithMoreSlotsOfTheTypeThanTheComparesCoverCallsThroughTheChecks(Isa isa) throws Exception {
    try (Running running = Running.start(isa, module())) {
      Instance instance = running.instance();
      int[] expected = {6, 10, -5, 6, 10, -5, 6, 10, -5, 20};
      for (int slot = 0; slot < expected.length; slot++) {
        assertEquals(expected[slot], call(instance, "call_many", slot, 5), "slot " + slot);
      }
      assertEquals(TrapCode.UNINITIALIZED_ELEMENT, trap(instance, "call_many", 11, 5));
      assertEquals(TrapCode.UNDEFINED_ELEMENT, trap(instance, "call_many", 12, 5));
    }
  }
}
