package dev.kiln.tests.unicorn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.emulator.UnicornExecutor;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.tests.support.Artifacts;
import dev.kiln.wasm.Wasm;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Wasm compiled by the AArch64 backend calling Java through the emulator: host functions defined on
 * a {@link ImportNamespace} for {@link Target#AARCH64} (the store's Unicorn executor makes their addresses),
 * integer and float arguments and results, a host function that calls back into the same emulated
 * instance (a nested entry on the next engine), and a Java exception becoming a trap.
 */
class EmulatedImportsTest {
  private static final String WAT = """
      (module
        (import "env" "twice" (func $twice (param i64) (result i64)))
        (import "env" "half" (func $half (param f64) (result f64)))
        (import "env" "fail" (func $fail))
        (import "env" "reenter" (func $reenter (param i32) (result i32)))
        (func (export "calc") (param i64) (result i64) (i64.add (call $twice (local.get 0)) (i64.const 1)))
        (func (export "halve") (param f64) (result f64) (call $half (local.get 0)))
        (func (export "boom") (call $fail))
        (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
        (func (export "outer") (param i32) (result i32) (i32.mul (call $reenter (local.get 0)) (i32.const 10))))
      """;

  private static byte[] compileForAarch64() {
    return Artifacts.fromWat(WAT, new AArch64Backend(true));
  }

  @Test
  void compiledAarch64CodeCallsJavaHostFunctionsOnTheEmulator() throws Exception {
    AtomicReference<LoadedInstance> self = new AtomicReference<>();
    try (NativeStore store = new NativeStore(); LoadedModule module = LoadedModule.fromBytes(compileForAarch64(), null)) {
      assertEquals(Target.AARCH64, module.file().target());
      ImportNamespace linker = new ImportNamespace(store, Target.AARCH64);
      linker.defineFunction("env", "twice", new FuncType(List.of(ValType.I64), List.of(ValType.I64)),
          args -> List.of(new WasmValue.I64(((WasmValue.I64) args.get(0)).value() * 2)));
      linker.defineFunction("env", "half", new FuncType(List.of(ValType.F64), List.of(ValType.F64)),
          args -> List.of(new WasmValue.F64(((WasmValue.F64) args.get(0)).value() / 2)));
      linker.defineFunction("env", "fail", new FuncType(List.of(), List.of()), args -> {
        throw new IllegalStateException("the host says no");
      });
      linker.defineFunction("env", "reenter", new FuncType(List.of(ValType.I32), List.of(ValType.I32)),
          args -> self.get().function("inc").call(args.get(0)));
      try (LoadedInstance instance = linker.instantiate(module)) {
        self.set(instance);
        assertInstanceOf(UnicornExecutor.class, store.executorFor(Target.AARCH64));
        assertEquals(List.of(new WasmValue.I64(1L << 40 | 1)), instance.invoke("calc", 1L << 39));
        assertEquals(List.of(new WasmValue.F64(-0.75)), instance.invoke("halve", Double.doubleToRawLongBits(-1.5)));
        assertEquals(List.of(new WasmValue.I32(420)), instance.invoke("outer", 41), "wasm -> Java -> wasm -> Java -> wasm");
        TrapException trap = assertThrows(TrapException.class, () -> instance.invoke("boom"));
        assertEquals(TrapCode.HOST_FUNCTION_FAILED, trap.code());
        assertTrue(trap.getCause() instanceof IllegalStateException, String.valueOf(trap.getCause()));
        assertEquals(List.of(new WasmValue.I64(7)), instance.invoke("calc", 3L), "usable after the trap");
      }
    }
  }
}
