package dev.kiln.tests.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmFrame;
import dev.kiln.tests.backend.BoundsCheckEliminationEndToEndTest.Isa;
import dev.kiln.tests.backend.BoundsCheckEliminationEndToEndTest.Running;
import dev.kiln.wat.Wat;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.code.Opcode;
import dev.kiln.wasm.module.Module;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Inlined calls on both targets: results equal those of the same module compiled without inlining
 * (a recursive function unrolled once, a leaf called in a loop, a callee writing through memory),
 * the inlined callees are gone from the code (nothing else calls them), and a trap inside inlined
 * code still has a frame per wasm function, each named and at its own instruction, as it has
 * without inlining.
 */
class InliningEndToEndTest {
  private static final String WAT = """
      (module
        (memory 1)
        (func $quotient (param i32) (result i32)
          (i32.div_u (i32.const 100) (local.get 0)))
        (func $divide (export "divide") (param i32) (result i32)
          (i32.add (i32.const 1) (call $quotient (local.get 0))))
        (func $fib (export "fib") (param i32) (result i32)
          (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
            (then (local.get 0))
            (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                           (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
        (func $mul_to (param $at i32) (param $a i64) (param $b i64)
          (i64.store (local.get $at) (i64.mul (local.get $a) (local.get $b))))
        (func (export "products") (param $n i32) (result i64)
          (local $i i32) (local $sum i64)
          (loop $next
            (call $mul_to (i32.const 16) (i64.extend_i32_u (local.get $i)) (i64.const 0x1234567))
            (local.set $sum (i64.add (local.get $sum) (i64.load (i32.const 16))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
          (local.get $sum))
        (func $one (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
        (func $deep (export "deep") (param i32) (result i32)
          (call $deep (call $one (local.get 0)))))
      """;

  @ParameterizedTest
  @EnumSource(Isa.class)
  void inlinedCodeComputesWhatCallsDid(Isa isa) throws Exception {
    Module module = Wasm.load(Wat.toBinaryWithNames(WAT, "test.wat"));
    try (Running inlined = Running.start(isa, module);
        Running called = Running.start(isa, module, CompileOptions.defaults().withInlining(false))) {
      for (int n : new int[] {0, 1, 2, 10, 20}) {
        assertEquals(called.instance().invoke("fib", n), inlined.instance().invoke("fib", n), "fib(" + n + ")");
      }
      for (int n : new int[] {1, 7, 1000}) {
        assertEquals(called.instance().invoke("products", n), inlined.instance().invoke("products", n),
            "products(" + n + ")");
      }
      assertEquals(called.instance().invoke("divide", 7), inlined.instance().invoke("divide", 7));
      // $quotient and $mul_to have no call left, so the linker dropped them; $fib is exported.
      assertTrue(inlined.loaded().code(FuncKey.definedWasmFunction(0, 0)).isEmpty(), "$quotient was inlined");
      assertTrue(inlined.loaded().code(FuncKey.definedWasmFunction(0, 3)).isEmpty(), "$mul_to was inlined");
      assertTrue(called.loaded().code(FuncKey.definedWasmFunction(0, 0)).isPresent());
    }
  }

  /**
   * A callee every call of which was inlined is not compiled at all (the linker would drop it), while
   * one whose call stays, one nothing calls and, without inlining, every function still are.
   */
  @ParameterizedTest
  @EnumSource(Isa.class)
  void calleesInlinedEverywhereAreNotCompiled(Isa isa) {
    Module module = Wasm.load(Wat.toBinaryWithNames(WAT.replace("(memory 1)", """
        (memory 1)
        (func $unused (result i32) (i32.const 5))
        (func $tail (param i32) (result i32) (return_call $one (local.get 0)))
        (func (export "tail") (param i32) (result i32) (call $tail (local.get 0)))"""), "test.wat"));
    // $unused 0, $tail 1, tail 2, $quotient 3, $divide 4, $fib 5, $mul_to 6, products 7, $one 8, $deep 9
    CompiledModule inlined = Compiler.compile(module, BoundsCheckEliminationEndToEndTest.backend(isa),
        CompileOptions.defaults());
    List<FuncKey> away = List.of(FuncKey.definedWasmFunction(0, 3), FuncKey.definedWasmFunction(0, 6));
    assertEquals(away, inlined.inlinedAway());
    for (FuncKey key : away) {
      assertFalse(inlined.functions().containsKey(key), key + " compiled");
    }
    // $tail returns through a tail call, so its call stays; $one is called by $tail's tail call
    assertTrue(inlined.functions().containsKey(FuncKey.definedWasmFunction(0, 1)), "$tail");
    assertTrue(inlined.functions().containsKey(FuncKey.definedWasmFunction(0, 8)), "$one");
    assertTrue(inlined.functions().containsKey(FuncKey.definedWasmFunction(0, 0)), "$unused, a candidate no caller asked for");
    assertEquals(inlined.functions().size() + away.size(), Compiler.compile(module,
        BoundsCheckEliminationEndToEndTest.backend(isa), CompileOptions.defaults().withInlining(false)).functions().size());
  }

  @ParameterizedTest
  @EnumSource(Isa.class)
  void aTrapInInlinedCodeHasAFramePerFunction(Isa isa) throws Exception {
    Module module = Wasm.load(Wat.toBinaryWithNames(WAT, "test.wat"));
    try (Running inlined = Running.start(isa, module);
        Running called = Running.start(isa, module, CompileOptions.defaults().withInlining(false))) {
      List<String> expected = List.of("quotient@" + TrapOffsetEndToEndTest.at(module, 0, Opcode.I32_DIV_U, 0),
          "divide@" + TrapOffsetEndToEndTest.at(module, 1, Opcode.CALL, 0));
      for (Running running : List.of(inlined, called)) {
        TrapException trap = assertThrows(TrapException.class, () -> running.instance().invoke("divide", 0));
        assertEquals(TrapCode.INTEGER_DIVISION_BY_ZERO, trap.code());
        List<String> frames = trap.backtrace().stream().filter(WasmFrame::isWasmFunction)
            .map(f -> f.name().orElse("?") + "@" + f.wasmOffset().orElse(-1)).toList();
        assertEquals(expected, frames, trap.backtrace().toString());
      }
    }
  }

  /**
   * $deep's first code is the inlined $one: its stack overflow, in $deep's prologue, still names
   * $deep as the innermost frame, not $one, which has not been entered.
   */
  @ParameterizedTest
  @EnumSource(Isa.class)
  void aStackOverflowAtEntryNamesTheFunctionNotItsFirstInlinedCallee(Isa isa) throws Exception {
    Module module = Wasm.load(Wat.toBinaryWithNames(WAT, "test.wat"));
    try (Running running = Running.start(isa, module)) {
      TrapException trap = assertThrows(TrapException.class, () -> running.instance().invoke("deep", 0));
      assertEquals(TrapCode.STACK_OVERFLOW, trap.code());
      assertEquals("deep", trap.backtrace().getFirst().name().orElse("?"), trap.backtrace().subList(0, 3).toString());
    }
  }
}
