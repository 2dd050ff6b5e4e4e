package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wat.Wat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A host function that closes the instance whose export called it (a {@code shutdown} host
 * function, a request that ends its tenant): the wasm code finishes on intact memory, since the
 * free waits for the outermost entry's exit, and the call returns its results, converted by the
 * function's type as it was linked, not as a word of the freed VMContext says (red team 19 F3: the
 * type id was read from the freed VMFuncRef after the exit, a released and zeroed pool slot or a
 * closed arena, and the call ended in the JDK's {@code ArrayIndexOutOfBoundsException} or {@code
 * Already closed}). Later calls of the closed instance's functions are refused in one line. Both
 * targets, with the engine's instance pool and without.
 */
class CloseFromHostCallResultsTest {
  private static final String WAT = """
      (module
        (import "h" "close" (func $close))
        (memory 1)
        (func (export "number") (param i64) (result i64) (call $close) (local.get 0))
        (func (export "i31") (param i32) (result anyref) (call $close) (ref.i31 (local.get 0)))
        (func (export "extern") (param externref) (result externref) (call $close) (local.get 0)))
      """;
  /** An embedder's opaque externref value, which comes back unchanged. */
  private static final long HOST_VALUE = 0x7ffe_0000_1234L;

  static List<Arguments> targetsAndPools() {
    return List.of(Arguments.of(Target.X86_64, true), Arguments.of(Target.X86_64, false),
        Arguments.of(Target.AARCH64, true), Arguments.of(Target.AARCH64, false));
  }

  private record Call(String export, Val argument) {}

  @ParameterizedTest(name = "{0}, pooled {1}")
  @MethodSource("targetsAndPools")
  void theCallReturnsItsResultsAndLaterCallsAreRefused(Target target, boolean pooled) {
    Engine.Builder builder = Engine.builder().target(target);
    if (pooled) {
      builder.pooling(PoolingAllocation.ofInstances(2));
    }
    Engine engine = builder.build();
    List<Call> calls = List.of(new Call("number", Val.i64(0x7ffe_0000_5678L)), new Call("i31", Val.i32(-1234)),
        new Call("extern", new Val.Ref(ValType.EXTERNREF, HOST_VALUE)));
    try (WasmModule module = WasmModule.compile(engine, Wat.toBinaryWithNames(WAT, "closes-itself.wat"));
        Store store = new Store(engine)) {
      AtomicReference<Instance> closing = new AtomicReference<>();
      Linker linker = new Linker(store).func("h", "close", FuncType.of(List.of(), List.of()), (caller, args) -> {
        Instance instance = closing.get();
        if (instance != null) {
          instance.close();
        }
        return List.of();
      });
      Instance open = linker.instantiate(module);
      for (Call call : calls) {
        // what the function returns while its instance stays open: the expected results
        List<Val> expected = open.func(call.export()).call(call.argument());
        // several cycles: a pooled instance's slot is released at each exit and taken again
        for (int cycle = 0; cycle < 3; cycle++) {
          Instance instance = linker.instantiate(module);
          closing.set(instance);
          Func func = instance.func(call.export());
          assertEquals(expected, func.call(call.argument()), call.export() + " closed from its host call, cycle " + cycle);
          closing.set(null);
          IllegalStateException refused = assertThrows(IllegalStateException.class, () -> func.call(call.argument()));
          assertTrue(refused.getMessage().contains("is closed"), refused.getMessage());
          assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
        }
      }
      assertEquals(List.of(Val.i64(5)), open.func("number").call(Val.i64(5)), "the open instance still runs");
    }
  }
}
