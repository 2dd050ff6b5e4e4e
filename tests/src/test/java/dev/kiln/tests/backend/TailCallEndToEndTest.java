package dev.kiln.tests.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.wat.Wat;
import dev.kiln.wasm.Wasm;
import org.junit.jupiter.api.Test;

/**
 * {@code return_call} on x86-64 where the spec scripts do not look: a million tail calls that pass
 * stack arguments (written over the caller's incoming area, so the stack stays flat: a plain call
 * would run into the stack limit long before), floats and a return area passed on through the
 * chain, and a callee needing more stack-argument space than its caller received (the caller's
 * argument area grows in its prologue, {@code codegen.abi.ArgumentArea}; the unbounded case is
 * {@code ScriptExecutionTest} in wast and {@link StackArgumentCallsEndToEndTest}).
 */
class TailCallEndToEndTest {
  @Test
  void tailCallsWithStackArgumentsReturnAreasAndFloatsRunInConstantStack() throws Exception {
    String wat = """
        (module
          (func $count (param $n i64) (param i64 i64 i64 i64 i64 i64 i64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64)
                       (result i64 i64 i64 f64)
            (if (i64.eqz (local.get $n))
              (then (return (local.get 1) (local.get 7) (i64.const 42) (local.get 17))))
            (return_call $count (i64.sub (local.get $n) (i64.const 1))
              (i64.add (local.get 1) (i64.const 1)) (local.get 2) (local.get 3) (local.get 4)
              (local.get 5) (local.get 6) (i64.add (local.get 7) (i64.const 2))
              (local.get 8) (local.get 9) (local.get 10) (local.get 11) (local.get 12)
              (local.get 13) (local.get 14) (local.get 15) (local.get 16)
              (f64.add (local.get 17) (f64.const 0.5))))
          (func (export "count") (param i64) (result i64)
            (local i64 i64 i64 f64)
            (call $count (local.get 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0)
              (i64.const 0) (i64.const 0) (i64.const 0) (f64.const 0) (f64.const 0) (f64.const 0)
              (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 0)
              (f64.const 0))
            (local.set 4) (local.set 3) (local.set 2) (local.set 1)
            (i64.add (i64.add (local.get 1) (local.get 2))
              (i64.add (local.get 3) (i64.trunc_f64_s (local.get 4)))))
          (func $wide (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)
            (i64.sub (local.get 0) (local.get 9)))
          (func (export "grow") (param i64) (result i64)
            (return_call $wide (local.get 0) (i64.const 1) (i64.const 2) (i64.const 3)
              (i64.const 4) (i64.const 5) (i64.const 6) (i64.const 7) (i64.const 8)
              (i64.const 1000))))
        """;
    CompiledModule compiled = Compiler.compile(Wasm.load(Wat.toBinaryWithNames(wat, "test.wat")),
        new X64Backend(CpuFeatures.host(), true), CompileOptions.defaults());
    byte[] artifact = ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "tail");
    try (NativeStore store = new NativeStore();
        LoadedModule loaded = LoadedModule.fromBytes(artifact, null);
        LoadedInstance instance = LoadedInstance.instantiate(loaded, store)) {
      long n = 1_000_000;
      // count: n + 2n + 42 + n/2
      assertEquals(n + 2 * n + 42 + n / 2, instance.invoke("count", n).get(0).bits());
      assertEquals(7 - 1000, instance.invoke("grow", 7).get(0).bits());
    }
  }
}
