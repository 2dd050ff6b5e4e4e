package dev.kiln.codegen.aarch64.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.aarch64.asm.FpReg;
import dev.kiln.codegen.abi.CallLayout;
import dev.kiln.codegen.abi.Frame;
import dev.kiln.codegen.abi.ValueLocation;
import dev.kiln.codegen.aarch64.asm.Gpr;
import dev.kiln.ir.Type;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where {@link WasmCallConv} puts parameters and results, and the frame arithmetic. */
class WasmCallConvTest {
  private static ValueLocation<Gpr, FpReg> gpr(Gpr g) {
    return new ValueLocation.InGpr<>(g);
  }

  private static ValueLocation<Gpr, FpReg> fpr(FpReg v) {
    return new ValueLocation.InFpr<>(v);
  }

  @Test
  void registersComeAfterTheVmctxPairClassByClass() {
    CallLayout<Gpr, FpReg> l = WasmCallConv.CONVENTION.layout(List.of(Type.I32, Type.F64, Type.I64, Type.F32),
        List.of(Type.I64, Type.F32));
    assertEquals(List.of(gpr(Gpr.X2), fpr(FpReg.V0), gpr(Gpr.X3), fpr(FpReg.V1)), l.params());
    assertEquals(List.of(gpr(Gpr.X0), fpr(FpReg.V0)), l.results());
    assertFalse(l.hasReturnArea());
    assertEquals(0, l.stackArgBytes());
  }

  @Test
  void overflowingResultsTakeAReturnAreaWhosePointerIsX2() {
    CallLayout<Gpr, FpReg> l = WasmCallConv.CONVENTION.layout(List.of(Type.I32),
        List.of(Type.I32, Type.I64, Type.I32, Type.F64, Type.F64, Type.F32, Type.V128));
    assertTrue(l.hasReturnArea());
    assertEquals(List.of(gpr(Gpr.X3)), l.params(), "x2 carries the return-area pointer");
    assertEquals(List.of(gpr(Gpr.X0), gpr(Gpr.X1), new ValueLocation.InReturnArea<>(0), fpr(FpReg.V0),
        fpr(FpReg.V1), new ValueLocation.InReturnArea<>(8), new ValueLocation.InReturnArea<>(16)),
        l.results());
    assertEquals(32, l.returnAreaBytes());
  }

  @Test
  void extraParametersGoOnTheStackInEightOrSixteenByteSlots() {
    List<Type> params = new java.util.ArrayList<>(Collections.nCopies(7, Type.I64));
    params.addAll(Collections.nCopies(9, Type.F32));
    params.add(Type.V128);
    params.add(Type.I32);
    CallLayout<Gpr, FpReg> l = WasmCallConv.CONVENTION.layout(params, List.of());
    assertEquals(gpr(Gpr.X7), l.params().get(5));
    assertEquals(new ValueLocation.OnStack<>(0), l.params().get(6));
    assertEquals(fpr(FpReg.V7), l.params().get(14));
    assertEquals(new ValueLocation.OnStack<>(8), l.params().get(15));
    assertEquals(fpr(FpReg.V0), l.params().get(7));
    assertEquals(new ValueLocation.OnStack<>(16), l.params().get(16), "a v128 slot is 16-aligned");
    assertEquals(new ValueLocation.OnStack<>(32), l.params().get(17));
    assertEquals(48, l.stackArgBytes());
  }

  @Test
  void framesKeepSpSixteenAligned() {
    Frame<Gpr> f = FrameEmitter.frame(List.of(Gpr.X19, Gpr.X20, Gpr.X21), 24);
    assertEquals(32, f.savedBytes(), "three registers take two pairs, the last with xzr");
    assertEquals(32, f.allocatedLocalBytes());
    assertEquals(64, f.sizeBelowFramePointer());
    assertEquals(0, FrameEmitter.LEAF.sizeBelowFramePointer());
  }
}
