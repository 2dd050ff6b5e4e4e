package dev.kiln.tests.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.wat.Wat;
import dev.kiln.wasm.Wasm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hand-written modules that stress what the spec scripts touch lightly: stack arguments in and
 * out, results through return areas across calls, more live values than registers across calls,
 * long br_tables, deep recursion into the stack limit. Each goes through the real pipeline, as
 * {@code kiln run} does on a {@code .wasm}: {@link Compiler} (allocation checker on), {@link
 * ArtifactEmitter}, {@link LoadedModule#fromBytes}, {@link LoadedInstance#instantiate}, {@link
 * LoadedInstance#invoke}.
 */
class BackendEndToEndTest {
  private static final X64Backend BACKEND = new X64Backend(CpuFeatures.host(), true);

  private final NativeStore store = new NativeStore();
  private LoadedModule module;
  private LoadedInstance instance;

  @AfterEach
  void close() {
    if (instance != null) {
      instance.close();
    }
    if (module != null) {
      module.close();
    }
    store.close();
  }

  private void load(String wat) {
    CompiledModule compiled = Compiler.compile(Wasm.load(Wat.toBinaryWithNames(wat, "test.wat")), BACKEND, CompileOptions.defaults());
    byte[] artifact = ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "test");
    module = LoadedModule.fromBytes(artifact, null);
    instance = LoadedInstance.instantiate(module, store);
  }

  /** Calls an export and returns its results' bits (an i32 in the low 32 bits). */
  private long[] call(String name, long... args) {
    return instance.invoke(name, args).stream().mapToLong(v -> v.bits()).toArray();
  }

  @Test
  void stackArgumentsAndReturnAreasAcrossCalls() throws Exception {
    load("""
        (module
          (func $spread (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64 i64 i64 i64)
            (i64.sub (local.get 0) (local.get 9))
            (i64.mul (local.get 1) (local.get 8))
            (i64.add (local.get 2) (i64.mul (local.get 7) (i64.const 100)))
            (i64.or (i64.shl (local.get 3) (i64.const 32)) (local.get 6)))
          (func (export "outer") (param i64 i64) (result i64)
            (local i64 i64 i64 i64)
            (call $spread (local.get 0) (local.get 1) (i64.const 3) (i64.const 4) (i64.const 5)
                          (i64.const 6) (i64.const 7) (i64.const 8) (i64.const 9) (i64.const 10))
            (local.set 5) (local.set 4) (local.set 3) (local.set 2)
            (i64.add (i64.add (local.get 2) (local.get 3)) (i64.add (local.get 4) (local.get 5)))))
        """);
    // (1000-10) + (2*9) + (3+800) + (4<<32 | 7)
    assertEquals(990 + 18 + 803 + ((4L << 32) | 7), call("outer", 1000, 2)[0]);
  }

  @Test
  void manyValuesLiveAcrossACallAreSpilledAndReloaded() throws Exception {
    StringBuilder locals = new StringBuilder();
    StringBuilder sets = new StringBuilder();
    StringBuilder sum = new StringBuilder("(local.get 1)");
    for (int i = 2; i < 22; i++) {
      locals.append(" i64");
      sets.append("(local.set ").append(i).append(" (i64.mul (local.get 0) (i64.const ")
          .append(i).append(")))\n");
      sum = new StringBuilder("(i64.add ").append(sum).append(" (local.get ").append(i).append("))");
    }
    load("""
        (module
          (func $id (param i64) (result i64) (local.get 0))
          (func (export "f") (param i64) (result i64)
            (local i64%s)
            %s
            (local.set 1 (call $id (local.get 0)))
            %s))
        """.formatted(locals, sets, sum));
    long expected = 3;
    for (int i = 2; i < 22; i++) {
      expected += 3L * i;
    }
    assertEquals(expected, call("f", 3)[0]);
  }

  @Test
  void aLongBrTableReachesEveryCase() throws Exception {
    StringBuilder blocks = new StringBuilder();
    StringBuilder labels = new StringBuilder();
    int n = 200;
    for (int i = 0; i < n; i++) {
      labels.append(" ").append(i);
    }
    String body = "(br_table" + labels + " " + n + " (local.get 0))";
    for (int i = 0; i <= n; i++) {
      body = "(block " + body + ") (return (i32.const " + (i * 3) + "))";
    }
    blocks.append(body);
    load("""
        (module (func (export "t") (param i32) (result i32) %s (i32.const -1)))
        """.formatted(blocks));
    for (int i : new int[] {0, 1, 127, 128, 199, 200, 5000, -1}) {
      int k = Integer.compareUnsigned(i, n) >= 0 ? n : i;
      assertEquals(k * 3, (int) call("t", i)[0], "case " + i);
    }
  }

  @Test
  void unboundedRecursionRunsIntoTheStackLimit() throws Exception {
    load("""
        (module
          (func $down (export "down") (param i64) (result i64)
            (i64.add (call $down (i64.add (local.get 0) (i64.const 1))) (i64.const 1)))
          (func (export "fib") (param i64) (result i64)
            (if (result i64) (i64.lt_u (local.get 0) (i64.const 2))
              (then (local.get 0))
              (else (i64.add (call 1 (i64.sub (local.get 0) (i64.const 1)))
                             (call 1 (i64.sub (local.get 0) (i64.const 2))))))))
        """);
    TrapException trap = assertThrows(TrapException.class, () -> call("down", 0));
    assertEquals(TrapCode.STACK_OVERFLOW, trap.code());
    assertEquals(6765, call("fib", 20)[0], "the store is usable after the overflow");
  }

  @Test
  void divisionTrapsCarryTheirCodes() throws Exception {
    load("""
        (module
          (func (export "div") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
          (func (export "rem") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1))))
        """);
    assertEquals(TrapCode.INTEGER_OVERFLOW,
        assertThrows(TrapException.class, () -> call("div", Long.MIN_VALUE, -1)).code());
    assertEquals(TrapCode.INTEGER_DIVISION_BY_ZERO,
        assertThrows(TrapException.class, () -> call("div", 1, 0)).code());
    assertEquals(0, (int) call("rem", Integer.MIN_VALUE, -1)[0]);
    assertEquals(-3, call("div", -7, 2)[0]);
  }
}
