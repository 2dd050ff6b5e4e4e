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
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.Wat;
import org.junit.jupiter.api.Test;

/**
 * Red team 6, F2, end to end: one function of v128 constants {@code i32x4 k k k k}, whose pool keys
 * all hash alike (ir's GuestKeyOrderTest checks the order that keeps the pool O(n log n)). The
 * module compiles, and every constant keeps its own pool entry: the result folds all of them.
 */
class CollidingConstantsEndToEndTest {
  @Test
  void aFunctionOfConstantsWithCollidingHashesCompilesAndKeepsEachConstant() throws Exception {
    int n = 5_000;
    StringBuilder body = new StringBuilder("(v128.const i32x4 0 0 0 0)");
    int expected = 0;
    for (int k = 1; k <= n; k++) {
      body.append(" (v128.xor (v128.const i32x4 ").append((k + " ").repeat(4)).append("))");
      expected ^= k;
    }
    String wat = "(module (func (export \"f\") (result i32) " + body + " (i32x4.extract_lane 3)))";
    CompiledModule compiled = Compiler.compile(Wasm.load(Wat.toBinaryWithNames(wat, "test.wat")),
        new X64Backend(CpuFeatures.host(), true), CompileOptions.defaults());
    byte[] artifact = ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "constants");
    try (NativeStore store = new NativeStore();
        LoadedModule loaded = LoadedModule.fromBytes(artifact, null);
        LoadedInstance instance = LoadedInstance.instantiate(loaded, store)) {
      assertEquals(expected, (int) instance.invoke("f").get(0).bits());
    }
  }
}
