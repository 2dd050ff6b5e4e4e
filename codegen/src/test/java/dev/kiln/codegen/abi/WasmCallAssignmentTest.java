package dev.kiln.codegen.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.codegen.abi.WasmCallAssignment.Slot.FloatRegister;
import dev.kiln.codegen.abi.WasmCallAssignment.Slot.InReturnArea;
import dev.kiln.codegen.abi.WasmCallAssignment.Slot.IntRegister;
import dev.kiln.codegen.abi.WasmCallAssignment.Slot.OnStack;
import dev.kiln.ir.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

class WasmCallAssignmentTest {
  /** Four integer and two float parameter registers, one result register of each class. */
  private static final WasmCallAssignment.Registers SMALL = new WasmCallAssignment.Registers(4, 2, 1, 1);

  @Test
  void parametersFillTheRegistersAfterTheVmctxPairThenTheStack() {
    WasmCallAssignment a = WasmCallAssignment.assign(
        List.of(Type.I32, Type.F64, Type.I64, Type.F32, Type.I32, Type.F32, Type.V128), List.of(),
        SMALL, 16);
    assertEquals(List.of(new IntRegister(2), new FloatRegister(0), new IntRegister(3),
        new FloatRegister(1), new OnStack(0), new OnStack(8), new OnStack(16)), a.params());
    assertEquals(32, a.stackArgBytes(), "8 + 8, then a v128 at 16, rounded to the alignment");
    assertEquals(0, a.returnAreaBytes());
  }

  @Test
  void resultsPastTheirRegistersGoToTheReturnAreaWhosePointerTakesTheThirdIntegerRegister() {
    WasmCallAssignment a = WasmCallAssignment.assign(List.of(Type.I64, Type.I64),
        List.of(Type.I32, Type.F32, Type.I64, Type.V128, Type.F64), SMALL, 16);
    assertEquals(List.of(new IntRegister(0), new FloatRegister(0), new InReturnArea(0),
        new InReturnArea(16), new InReturnArea(32)), a.results());
    assertEquals(48, a.returnAreaBytes(), "8, a v128 aligned to 16, 8: 40 rounded up");
    assertEquals(List.of(new IntRegister(3), new OnStack(0)), a.params(),
        "register 2 carries the return-area pointer");
    assertEquals(16, a.stackArgBytes());
  }

  @Test
  void anIsaNeedsRoomForTheVmctxPairAndAReturnAreaPointer() {
    assertThrows(IllegalArgumentException.class, () -> new WasmCallAssignment.Registers(2, 8, 2, 2));
  }
}
