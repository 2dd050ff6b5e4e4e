package dev.kiln.codegen.x64.abi;

import static dev.kiln.ir.Type.F32;
import static dev.kiln.ir.Type.F64;
import static dev.kiln.ir.Type.I32;
import static dev.kiln.ir.Type.I64;
import static dev.kiln.ir.Type.V128;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.abi.CallLayout;
import dev.kiln.codegen.abi.Frame;
import dev.kiln.codegen.abi.ValueLocation;
import dev.kiln.codegen.abi.ValueLocation.InFpr;
import dev.kiln.codegen.abi.ValueLocation.InGpr;
import dev.kiln.codegen.abi.ValueLocation.InReturnArea;
import dev.kiln.codegen.abi.ValueLocation.OnStack;
import dev.kiln.codegen.abi.WasmCallAssignment;
import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.Xmm;
import dev.kiln.ir.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class WasmCallConvTest {
  @Test
  void integerParametersFollowTheVmctxPairAndFloatsStartAtXmm0() {
    CallLayout<Gpr, Xmm> l = WasmCallConv.CONVENTION.layout(List.of(I32, F64, I64, F32), List.of(I32));
    assertEquals(List.of(new InGpr<>(Gpr.RDX), new InFpr<>(Xmm.XMM0), new InGpr<>(Gpr.RCX),
        new InFpr<>(Xmm.XMM1)), l.params());
    assertEquals(List.of(new InGpr<>(Gpr.RAX)), l.results());
    assertEquals(0, l.stackArgBytes());
    assertFalse(l.hasReturnArea());
  }

  @Test
  void overflowingParametersGoToTheStackInOrderWithV128SlotsAligned() {
    CallLayout<Gpr, Xmm> l = WasmCallConv.CONVENTION.layout(List.of(I64, I64, I64, I64, I32, V128, I64), List.of());
    assertEquals(List.of(new InGpr<>(Gpr.RDX), new InGpr<>(Gpr.RCX), new InGpr<>(Gpr.R8),
        new InGpr<>(Gpr.R9), new OnStack<>(0), new InFpr<>(Xmm.XMM0), new OnStack<>(8)), l.params());
    assertEquals(16, l.stackArgBytes());

    List<Type> nineVectors = new ArrayList<>(Collections.nCopies(9, V128));
    nineVectors.add(0, I32);
    nineVectors.add(I64);
    CallLayout<Gpr, Xmm> v = WasmCallConv.CONVENTION.layout(nineVectors, List.of());
    assertEquals(new InFpr<>(Xmm.XMM7), v.params().get(8));
    assertEquals(new OnStack<>(0), v.params().get(9));
    assertEquals(new InGpr<>(Gpr.RCX), v.params().get(10));
  }

  @Test
  void resultsBeyondTwoPerClassUseTheReturnAreaWhosePointerTakesRdx() {
    CallLayout<Gpr, Xmm> l = WasmCallConv.CONVENTION.layout(List.of(I32, I64),
        List.of(I32, F32, I64, F64, I64, F64, V128));
    assertEquals(List.of(new InGpr<>(Gpr.RAX), new InFpr<>(Xmm.XMM0), new InGpr<>(Gpr.RDX),
        new InFpr<>(Xmm.XMM1), new InReturnArea<>(0), new InReturnArea<>(8), new InReturnArea<>(16)),
        l.results());
    assertEquals(32, l.returnAreaBytes());
    assertTrue(l.hasReturnArea());
    assertEquals(List.of(new InGpr<>(Gpr.RCX), new InGpr<>(Gpr.R8)), l.params(),
        "rdx carries the return-area pointer, so parameters start at rcx");
  }

  @Test
  void everyLayoutKeepsAreasSixteenByteMultiplesAndSlotsDisjoint() {
    Type[] types = Type.values();
    java.util.Random random = new java.util.Random(0x5eed);
    for (int round = 0; round < 500; round++) {
      List<Type> params = new ArrayList<>();
      List<Type> results = new ArrayList<>();
      for (int i = random.nextInt(20); i > 0; i--) {
        params.add(types[random.nextInt(types.length)]);
      }
      for (int i = random.nextInt(8); i > 0; i--) {
        results.add(types[random.nextInt(types.length)]);
      }
      CallLayout<Gpr, Xmm> l = WasmCallConv.CONVENTION.layout(params, results);
      assertEquals(0, l.stackArgBytes() % 16);
      assertEquals(0, l.returnAreaBytes() % 16);
      checkDisjoint(l.params(), params, l.stackArgBytes());
      checkDisjoint(l.results(), results, l.returnAreaBytes());
    }
  }

  private static void checkDisjoint(List<ValueLocation<Gpr, Xmm>> locations, List<Type> types, int area) {
    java.util.Set<Object> registers = new java.util.HashSet<>();
    boolean[] used = new boolean[area];
    for (int i = 0; i < locations.size(); i++) {
      Type t = types.get(i);
      switch (locations.get(i)) {
        case InGpr(Gpr r) -> {
          assertTrue(t.isInt(), t + " in a general-purpose register");
          assertFalse(r == Gpr.RDI || r == Gpr.RSI, "vmctx register reused");
          assertTrue(registers.add(r), "register used twice: " + r);
        }
        case InFpr(Xmm x) -> {
          assertFalse(t.isInt(), t + " in an xmm register");
          assertTrue(registers.add(x), "register used twice: " + x);
        }
        case OnStack(int offset) -> mark(used, offset, t);
        case InReturnArea(int offset) -> mark(used, offset, t);
      }
    }
  }

  private static void mark(boolean[] used, int offset, Type t) {
    assertEquals(0, offset % WasmCallAssignment.slotBytes(t), "slot misaligned");
    for (int b = offset; b < offset + WasmCallAssignment.slotBytes(t); b++) {
      assertFalse(used[b], "slot overlap at " + b);
      used[b] = true;
    }
  }

  @Test
  void framesPadTheirLocalsSoCallsSeeA16AlignedStack() {
    assertEquals(0, FrameEmitter.LEAF.sizeBelowFramePointer());
    Frame<Gpr> f = FrameEmitter.frame(List.of(Gpr.RBX), 4);
    assertEquals(8, f.allocatedLocalBytes());
    assertEquals(16, f.sizeBelowFramePointer());
    Frame<Gpr> g = FrameEmitter.frame(List.of(Gpr.R12, Gpr.R13), 0);
    assertEquals(16, g.savedBytes(), "two pushes of 8 bytes");
    assertEquals(0, g.allocatedLocalBytes());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> FrameEmitter.frame(List.of(Gpr.RAX), 0));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> FrameEmitter.frame(List.of(Gpr.RBP), 0));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> FrameEmitter.frame(List.of(Gpr.RBX, Gpr.RBX), 0));
  }
}
