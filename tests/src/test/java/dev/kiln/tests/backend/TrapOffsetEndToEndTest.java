package dev.kiln.tests.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmFrame;
import dev.kiln.tests.backend.BoundsCheckEliminationEndToEndTest.Isa;
import dev.kiln.tests.backend.BoundsCheckEliminationEndToEndTest.Running;
import dev.kiln.wat.Wat;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.code.InstructionReader;
import dev.kiln.wasm.code.Opcode;
import dev.kiln.wasm.module.FunctionBody;
import dev.kiln.wasm.module.Module;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A trap's wasm backtrace names the instruction that trapped, on both targets: each conditional
 * trap has an out-of-line site of its own in the address map (FunctionEmission.emitTrapSites), so
 * two traps of one reason in one function report two offsets, and a caller's frame reports its
 * call; the prologue's stack check reports the function's first instruction with code.
 */
class TrapOffsetEndToEndTest {
  private static final String WAT = """
      (module
        (memory 1)
        (func $quotient (param i32) (result i32)
          (i32.div_u (i32.const 10) (local.get 0)))
        (func (export "divide") (param i32) (result i32)
          (i32.add (i32.const 1) (call $quotient (local.get 0))))
        (func (export "two_loads") (param i32 i32) (result i32)
          (i32.add (i32.load (local.get 0)) (i32.load (local.get 1))))
        (func $down (export "down") (param i32) (result i32)
          (i32.add (call $down (i32.add (local.get 0) (i32.const 1))) (i32.const 1))))
      """;

  @ParameterizedTest
  @EnumSource(Isa.class)
  void trapsReportTheirOwnInstruction(Isa isa) throws Exception {
    Module module = Wasm.load(Wat.toBinaryWithNames(WAT, "test.wat"));
    try (Running running = Running.start(isa, module)) {
      LoadedInstance instance = running.instance();
      TrapException divide = assertThrows(TrapException.class, () -> instance.invoke("divide", 0));
      assertEquals(TrapCode.INTEGER_DIVISION_BY_ZERO, divide.code());
      assertEquals(List.of(at(module, 0, Opcode.I32_DIV_U, 0), at(module, 1, Opcode.CALL, 0)),
          offsets(divide).subList(0, 2));

      // The second load traps while the first is in bounds, and the reverse.
      TrapException second = assertThrows(TrapException.class, () -> instance.invoke("two_loads", 0, 65536));
      assertEquals(at(module, 2, Opcode.I32_LOAD, 1), BoundsCheckEliminationEndToEndTest.offset(second));
      TrapException first = assertThrows(TrapException.class, () -> instance.invoke("two_loads", 65536, 0));
      assertEquals(at(module, 2, Opcode.I32_LOAD, 0), BoundsCheckEliminationEndToEndTest.offset(first));

      // $down's first instruction with code is its first i32.add; then its recursive call.
      TrapException overflow = assertThrows(TrapException.class, () -> instance.invoke("down", 0));
      assertEquals(TrapCode.STACK_OVERFLOW, overflow.code());
      assertEquals(List.of(at(module, 3, Opcode.I32_ADD, 0), at(module, 3, Opcode.CALL, 0)),
          offsets(overflow).subList(0, 2));
    }
  }

  /** The module offset of the {@code nth} {@code opcode} in defined function {@code index}. */
  static int at(Module module, int index, Opcode opcode, int nth) {
    FunctionBody body = module.code().get(index);
    InstructionReader reader = new InstructionReader(body.source(), body.codeStart(),
        body.codeEnd());
    int seen = 0;
    while (reader.hasNext()) {
      if (reader.next() == opcode && seen++ == nth) {
        return reader.instructionStart();
      }
    }
    throw new AssertionError("no " + opcode + " #" + nth + " in function " + index);
  }

  private static List<Integer> offsets(TrapException trap) {
    return trap.backtrace().stream().map(WasmFrame::wasmOffset).filter(OptionalInt::isPresent)
        .map(OptionalInt::getAsInt).toList();
  }
}
