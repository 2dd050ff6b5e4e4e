package dev.kiln.compiler.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.ir.ExternalName;
import dev.kiln.ir.Function;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import dev.kiln.ir.builder.FunctionBuilder;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.types.ValType;
import dev.kiln.wat.Wat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A call in a function that holds no GC reference spills nothing, and finds that out without
 * reading the operand stack below its operands for references (every call of a C or C++ program);
 * nor is the stack read where a construct begins or its paths meet. Once a value on the stack is a
 * reference, the stack is read there and the reference spilled.
 */
class SpillShortcutTest {
  private static final int DEPTH = 1_000;
  private static final int CALLS = 100;

  @Test
  void aCallInAFunctionWithoutReferencesReadsNoStackPosition() {
    ModuleEnvironment env = new ModuleEnvironment(Wasm.load(Wat.toBinary("(module (func))", "none.wat")));
    FunctionBuilder b = new FunctionBuilder(
        new Function(new ExternalName.Named("f"), new Signature(List.of(), List.of())));
    b.switchToBlock(b.createBlock());
    NullChecks nulls = new NullChecks(b);
    GcSafepoints gc = new GcSafepoints(env, b, nulls);
    OperandStack stack = new OperandStack();
    SafepointSpills spills = new SafepointSpills(b, gc, nulls, stack, new int[0],
        ReferenceLiveness.of(env.module().code().get(0), new boolean[0]), () -> 0, 1, false);
    for (int i = 0; i < DEPTH; i++) {
      stack.push(b.ins().iconst(Type.I32, i));
    }
    for (int call = 0; call < CALLS; call++) {
      assertNull(spills.spillForCall(1));
      // a construct begins and ends above the stack, its paths meeting at its end
      spills.enterFrame(DEPTH);
      spills.useStackReferences(DEPTH);
      spills.leaveFrame();
    }
    assertEquals(0, spills.stackPositionsRead(), "no reference: the stack is not read");

    // A reference on the stack: the call reads the stack below its operand and spills it, and a
    // construct above it reads the stack where it begins and where its paths meet.
    stack.push(gc.mark(b.ins().iconst(Type.I64, 0), ValType.EXTERNREF));
    stack.push(b.ins().iconst(Type.I32, 0));
    assertNotNull(spills.spillForCall(1));
    assertEquals(DEPTH + 1, spills.stackPositionsRead());
    spills.enterFrame(DEPTH + 2);
    spills.useStackReferences(DEPTH + 2);
    spills.leaveFrame();
    assertEquals(3 * (DEPTH + 1) + 2, spills.stackPositionsRead());
  }
}
