package dev.kiln.compiler.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.Reloc;
import dev.kiln.codegen.TrapSite;
import dev.kiln.codegen.abi.HostCallFailure;
import dev.kiln.compiler.UnsupportedFeatureException;
import dev.kiln.compiler.link.LinkedText;
import dev.kiln.compiler.link.PlacedFunction;
import dev.kiln.compiler.testsupport.StubBackend;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import dev.kiln.wat.Wat;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompilerTest {
  /**
   * A local declaration Kiln refuses to compile: more than 2^20 locals (valid wasm, refused in
   * {@code FuncTranslator.declareLocals}), the one refusal left once every operator is translated.
   */
  private static final String REFUSED_LOCALS = "(local" + " i32".repeat((1 << 20) + 1) + ")";
  private static final String REFUSAL = "1048577 locals at 0x";

  private static final FuncKey TRAP = FuncKey.wasmToBuiltinTrampoline(Builtin.TRAP.index());
  private static final FuncKey GROW = FuncKey.builtin(Builtin.MEMORY_GROW.index());
  /**
   * What this module with a table and a function import gets besides its functions, in key order: the
   * table builtins' trampolines, the throw stub its host-call trampolines' failure path calls
   * (HostCallFailure), and the compiled lazy-init builtin. No live code here calls any of them.
   */
  private static final List<FuncKey> TABLE_BUILTINS = List.of(
      FuncKey.wasmToBuiltinTrampoline(Builtin.TABLE_GROW.index()), FuncKey.wasmToBuiltinTrampoline(Builtin.TABLE_FILL.index()),
      FuncKey.wasmToBuiltinTrampoline(Builtin.TABLE_COPY.index()), FuncKey.wasmToBuiltinTrampoline(Builtin.TABLE_INIT.index()),
      HostCallFailure.THROW_STUB, FuncKey.builtin(Builtin.TABLE_LAZY_INIT.index()));

  /** One import shifts every defined function's index; f1 is reached only through a call; f3 by nothing. */
  private static final String MODULE = """
      (module
        (import "env" "log" (func $log (param i32)))
        (func $entry (export "entry") (result i32) (call $helper))
        (func $helper (result i32) (i32.const 7))
        (func $in_table (result i32) (i32.const 8))
        (func $dead (result i32) (i32.const 9))
        (table 1 funcref)
        (elem (i32.const 0) $in_table)
        (func $started)
        (start $started))
      """;

  private static List<FuncKey> keys(LinkedText linked) {
    return linked.functions().stream().map(PlacedFunction::key).toList();
  }

  @Test
  void compilesEveryDefinedFunctionAndTheTrampolinesOfEscapingOnes() {
    Module module = Wasm.load(Wat.toBinaryWithNames(MODULE, "test.wat"));
    StubBackend backend = new StubBackend();
    CompiledModule compiled = Compiler.compile(module, backend, new CompileOptions(2));
    assertEquals(5 + 1, backend.compiled.get(), "five functions and the lazy-init builtin");
    List<FuncKey> expected = new java.util.ArrayList<>(List.of(
        FuncKey.definedWasmFunction(0, 0), FuncKey.definedWasmFunction(0, 1), FuncKey.definedWasmFunction(0, 2),
        FuncKey.definedWasmFunction(0, 3), FuncKey.definedWasmFunction(0, 4),
        FuncKey.arrayToWasmTrampoline(0, 0), FuncKey.arrayToWasmTrampoline(0, 2),
        FuncKey.arrayToWasmTrampoline(0, 4), FuncKey.wasmToArrayTrampoline(0), TRAP));
    expected.addAll(TABLE_BUILTINS);
    assertEquals(expected, compiled.functions().keys());
    // Roots: escaping functions (export, table), the start function (which the loader enters through
    // its trampoline though it does not escape), their trampolines, the WASM_TO_ARRAY trampoline of
    // the imported function's type (how the loader links a host function) and the trap handler.
    assertEquals(List.of(
            FuncKey.definedWasmFunction(0, 0), FuncKey.definedWasmFunction(0, 2), FuncKey.definedWasmFunction(0, 4),
            FuncKey.arrayToWasmTrampoline(0, 0), FuncKey.arrayToWasmTrampoline(0, 2),
            FuncKey.arrayToWasmTrampoline(0, 4), FuncKey.wasmToArrayTrampoline(0), TRAP),
        compiled.roots());
    assertEquals("yes", compiled.settings().get("stub"));
  }

  @Test
  void eachCompileAsksTheBackendForOneOfItsOwn() {
    // What a backend keeps across a compile's functions (call places, keyed by the module's
    // signatures) is that compile's: a backend that outlives compiles keeps nothing of a module.
    Module module = Wasm.load(Wat.toBinaryWithNames(MODULE, "test.wat"));
    StubBackend backend = new StubBackend();
    Compiler.compile(module, backend, new CompileOptions(2));
    Compiler.compile(module, backend, new CompileOptions(1));
    assertEquals(2, backend.compilesBegun.get());
  }

  @Test
  void theBackendEmitsOneEntryTrampolinePerSignatureAndEachCallsItsOwnFunction() {
    Module module = Wasm.load(Wat.toBinary("""
        (module
          (func (export "a") (result i32) (i32.const 1))
          (func (export "b") (result i32) (i32.const 2))
          (func (export "c") (param i64))
          (func (export "d") (result i32) (i32.const 3)))
        """, "trampolines.wat"));
    StubBackend backend = new StubBackend();
    CompiledModule compiled = Compiler.compile(module, backend, new CompileOptions(2));
    assertEquals(2, backend.entryTrampolines.get(), "one per signature, not one per function");
    for (int i = 0; i < 4; i++) {
      CompiledFunction trampoline = compiled.functions().get(FuncKey.arrayToWasmTrampoline(0, i)).orElseThrow();
      assertEquals(List.of(FuncKey.definedWasmFunction(0, i).raw()),
          trampoline.relocs().stream().map(Reloc::targetKey).toList());
    }
  }

  @Test
  void linkingKeepsCalleesOfRootsAndDropsTheRest() {
    CompiledModule compiled = Compiler.compile(Wasm.load(Wat.toBinaryWithNames(MODULE, "test.wat")), new StubBackend(), new CompileOptions(1));
    LinkedText linked = ArtifactEmitter.link(compiled);
    // The table builtins of a module with a table are compiled and kept only when live code calls
    // them (a module without a memory has no memory.grow builtin at all); the stub backend's host-call
    // trampoline does not call the throw stub, so it goes too.
    List<FuncKey> dropped = new java.util.ArrayList<>(List.of(FuncKey.definedWasmFunction(0, 3)));
    dropped.addAll(TABLE_BUILTINS);
    assertEquals(dropped, linked.dropped());
    assertTrue(keys(linked).contains(FuncKey.definedWasmFunction(0, 1)), "helper is called by entry");
    // Names come from the name section (Wat.toBinaryWithNames writes $ids there), else from the key.
    assertEquals("entry", linked.functions().getFirst().symbolName());
    assertEquals("entry::array_to_wasm_trampoline", linked.functions().get(4).symbolName());
    assertEquals("started::array_to_wasm_trampoline", linked.functions().get(6).symbolName());
    assertEquals(TRAP.toString(), linked.functions().getLast().symbolName());
  }

  @Test
  void outputIsTheSameForAnyNumberOfJobs() {
    StringBuilder wat = new StringBuilder("(module\n");
    for (int i = 0; i < 64; i++) {
      wat.append("(func (export \"f").append(i).append("\") (param i64) (result i64) local.get 0 ")
          .append(i % 5 == 0 ? "" : "call " + (i - 1)).append(" i64.const ").append(i).append(" i64.add)\n");
    }
    Module module = Wasm.load(Wat.toBinaryWithNames(wat.append(")").toString(), "test.wat"));
    byte[] serial = ArtifactEmitter.link(Compiler.compile(module, new StubBackend(), new CompileOptions(1))).text();
    for (int jobs : new int[] {2, 4, 16}) {
      byte[] parallel = ArtifactEmitter.link(Compiler.compile(module, new StubBackend(), new CompileOptions(jobs))).text();
      assertArrayEquals(serial, parallel, jobs + " jobs");
    }
  }

  @Test
  void noMoreFunctionsCompileAtOnceThanJobs() {
    StringBuilder wat = new StringBuilder("(module\n");
    for (int i = 0; i < 40; i++) {
      wat.append("(func (result i32) i32.const ").append(i).append(")\n");
    }
    Module module = Wasm.load(Wat.toBinaryWithNames(wat.append(")").toString(), "test.wat"));
    for (int jobs : new int[] {1, 3}) {
      StubBackend backend = new StubBackend();
      // With several jobs the first compilation waits for a second one, so the overlap shows
      // however late a loaded machine starts the pool's other threads.
      backend.awaitSecondCompilation = jobs > 1;
      Compiler.compile(module, backend, new CompileOptions(jobs));
      assertEquals(40, backend.compiled.get());
      assertTrue(backend.maxRunning.get() <= jobs, backend.maxRunning.get() + " at once with " + jobs + " jobs");
      if (jobs > 1) {
        assertTrue(backend.maxRunning.get() > 1, "functions were compiled one at a time with " + jobs + " jobs");
      }
    }
  }

  @Test
  void scheduleTakesTheSmallHalfSmallestFirstThenTheRestLargestFirst() {
    // Costs by index; total 100: 1 + 2 + 3 + 4 + 5 + 10 + 20 = 45 <= 50 and 45 + 25 > 50, so the
    // small half is those seven, ascending, and then 30 and 25, largest first. On one thread no
    // job is over half the total.
    int[] costs = {10, 30, 1, 20, 3, 2, 25, 5, 4};
    assertArrayEquals(new int[] {2, 5, 4, 8, 7, 0, 3, 1, 6}, Compiler.schedule(costs, 1));
    // On two threads a job over a quarter of the total (30) starts at once.
    assertArrayEquals(new int[] {1, 2, 5, 4, 8, 7, 0, 3, 6}, Compiler.schedule(costs, 2));
  }

  @Test
  void scheduleStartsAFunctionThatWouldOutlastTheRestFirst() {
    // One job of 60 beside forty of 1 on two threads: after the small ones it would end at 80.
    int[] costs = new int[41];
    java.util.Arrays.fill(costs, 1);
    costs[17] = 60;
    int[] order = Compiler.schedule(costs, 2);
    assertEquals(17, order[0]);
    assertArrayEquals(java.util.stream.IntStream.rangeClosed(0, 40).filter(j -> j != 17).toArray(),
        java.util.Arrays.copyOfRange(order, 1, order.length));
  }

  @Test
  void scheduleOrdersEqualCostsByIndexAndCoversEveryJob() {
    assertArrayEquals(new int[] {0, 1, 2, 3}, Compiler.schedule(new int[] {0, 0, 0, 0}, 2),
        "all zero: every job is in the small half, by index");
    assertArrayEquals(new int[] {0, 1, 2}, Compiler.schedule(new int[] {5, 5, 5}, 1),
        "ties: the small half and the rest each by index");
    assertArrayEquals(new int[] {0}, Compiler.schedule(new int[] {7}, 2));
    assertArrayEquals(new int[0], Compiler.schedule(new int[0], 2));
  }

  @Test
  void backendFailureNamesTheLowestFailingFunction() {
    Module module = Wasm.load(Wat.toBinaryWithNames(MODULE, "test.wat"));
    FunctionCompileException e = assertThrows(FunctionCompileException.class,
        () -> Compiler.compile(module, new StubBackend(1), new CompileOptions(4)));
    assertEquals(2, e.functionIndex()); // defined 1 + one imported function
    assertTrue(e.getMessage().contains("function 2"), e.getMessage());
    assertTrue(e.getMessage().contains("stub refuses function 1"), e.getMessage());
  }

  @Test
  void unsupportedFeaturePassesThroughWithItsMessage() {
    Module module = Wasm.load(Wat.toBinaryWithNames("""
        (module
          (func (result i32) (i32.const 1))
          (func (export "f") (param i32) (result i32) %s
            local.get 0))
        """.formatted(REFUSED_LOCALS), "test.wat"));
    UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
        () -> Compiler.compile(module, new StubBackend(), new CompileOptions(2)));
    assertEquals(1, e.functionIndex());
    assertTrue(e.getMessage().startsWith(REFUSAL), e.getMessage());
  }

  @Test
  void withRefusedFunctionsTrapARefusedFunctionBecomesATrappingStubAndTheRestCompiles() {
    Module module = Wasm.load(Wat.toBinaryWithNames("""
        (module
          (func (export "int") (result i32) (i32.const 1))
          (func (export "refused") (param i32) (result i32) %s
            local.get 0)
          (func (export "calls_refused") (result i32) %s
            (call 1 (i32.const 2))))
        """.formatted(REFUSED_LOCALS, REFUSED_LOCALS), "test.wat"));
    StubBackend backend = new StubBackend();
    CompiledModule compiled = Compiler.compile(module, backend, new CompileOptions(2).withRefusedFunctionsTrap());

    // Its own refused locals make calls_refused a refusal too, whatever it calls.
    assertEquals(List.of(1, 2), List.copyOf(compiled.refusals().keySet()));
    assertTrue(compiled.refusals().get(1).startsWith(REFUSAL), compiled.refusals().get(1));
    assertEquals(1, backend.compiled.get(), "only the integer function reached the backend");
    CompiledFunction intFunction = compiled.functions().get(FuncKey.definedWasmFunction(0, 0)).orElseThrow();
    assertEquals(List.of(TrapCode.UNREACHABLE.code()),
        intFunction.trapSites().stream().map(TrapSite::trapCode).toList(), "compiled normally");
    CompiledFunction stub = compiled.functions().get(FuncKey.definedWasmFunction(0, 1)).orElseThrow();
    assertEquals(List.of(TrapCode.UNSUPPORTED.code()), stub.trapSites().stream().map(TrapSite::trapCode).toList());
    // Exported stubs keep their trampolines, so the host can call them and see the trap.
    assertTrue(compiled.functions().containsKey(FuncKey.arrayToWasmTrampoline(0, 1)));
    assertEquals("trap", compiled.settings().get("kiln.refused_functions"));
    assertTrue(keys(ArtifactEmitter.link(compiled)).contains(FuncKey.definedWasmFunction(0, 1)));
  }

  @Test
  void withoutTheOptionNothingIsRefusedSilently() {
    CompiledModule compiled = Compiler.compile(Wasm.load(Wat.toBinaryWithNames(MODULE, "test.wat")), new StubBackend(), new CompileOptions(1));
    assertTrue(compiled.refusals().isEmpty());
    assertFalse(compiled.settings().containsKey("kiln.refused_functions"));
  }

  @Test
  void memoryGrowIsACompiledBuiltinKeptOnlyWhenLiveCodeGrows() {
    String grows = """
        (module
          (memory 1)
          (func (export "grow") (result i32) (memory.grow (i32.const 1))))
        """;
    StubBackend backend = new StubBackend();
    CompiledModule compiled = Compiler.compile(Wasm.load(Wat.toBinaryWithNames(grows, "test.wat")), backend, CompileOptions.defaults());
    LinkedText linked = ArtifactEmitter.link(compiled);
    assertTrue(keys(linked).contains(GROW), keys(linked).toString());
    assertFalse(keys(linked).contains(FuncKey.wasmToBuiltinTrampoline(Builtin.MEMORY_GROW.index())),
        "no trampoline, no call into the runtime");
    assertEquals(List.of(), linked.dropped());
    assertEquals(List.of(), backend.builtinSlots, "no builtin trampoline at all");

    CompiledModule idle = Compiler.compile(Wasm.load(Wat.toBinaryWithNames("(module (memory 1) (func (export \"f\")))", "test.wat")),
        new StubBackend(), CompileOptions.defaults());
    assertEquals(List.of(GROW), ArtifactEmitter.link(idle).dropped(), "compiled, then dropped: nothing grows");
  }
}
