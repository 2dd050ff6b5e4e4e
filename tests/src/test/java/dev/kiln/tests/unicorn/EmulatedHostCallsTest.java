package dev.kiln.tests.unicorn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.loader.host.CallingInstance;
import dev.kiln.loader.host.HostCalls;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.tests.support.Artifacts;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The shared host-call entry on the emulator: AArch64 code's host functions all go through one
 * stub-page slot of the store's Unicorn executor ({@link HostCalls}), each call reaches its own
 * callback, and the callback's {@link CallingInstance} is the emulated instance, whose memory it reads.
 */
class EmulatedHostCallsTest {
  private static final String WAT = """
      (module
        (import "env" "add7" (func $add7 (param i32) (result i32)))
        (import "env" "add9" (func $add9 (param i32) (result i32)))
        (import "env" "log" (func $log (param i32 i32)))
        (memory (export "memory") 1)
        (data (i32.const 32) "emulated bytes")
        (func (export "sum") (param i32) (result i32) (i32.add (call $add7 (local.get 0)) (call $add9 (local.get 0))))
        (func (export "say") (call $log (i32.const 32) (i32.const 14))))
      """;

  private static byte[] compileForAarch64() {
    return Artifacts.fromWat(WAT, new AArch64Backend(true));
  }

  @Test
  void emulatedCodeReachesEveryHostFunctionThroughOneSlotAndSeesItsCaller() throws Exception {
    FuncType i32ToI32 = new FuncType(List.of(ValType.I32), List.of(ValType.I32));
    List<String> said = new ArrayList<>();
    AtomicReference<CallingInstance> logCaller = new AtomicReference<>();
    try (NativeStore store = new NativeStore(); LoadedModule module = LoadedModule.fromBytes(compileForAarch64(), null)) {
      ImportNamespace linker = new ImportNamespace(store, Target.AARCH64);
      linker.defineFunction("env", "add7", i32ToI32,
          args -> List.of(new WasmValue.I32(((WasmValue.I32) args.get(0)).value() + 7)));
      linker.defineFunction("env", "add9", i32ToI32,
          args -> List.of(new WasmValue.I32(((WasmValue.I32) args.get(0)).value() + 9)));
      linker.defineFunction("env", "log", new FuncType(List.of(ValType.I32, ValType.I32), List.of()),
          (CallingInstance caller, List<WasmValue> args) -> {
            logCaller.set(caller);
            MemorySegment memory = caller.memory("memory").orElseThrow();
            int at = ((WasmValue.I32) args.get(0)).value();
            int length = ((WasmValue.I32) args.get(1)).value();
            said.add(new String(memory.asSlice(at, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
            return List.of();
          });
      assertEquals(1, HostCalls.of(store).entryCount(), "three host functions, one emulator slot");
      try (LoadedInstance instance = linker.instantiate(module)) {
        assertEquals(List.of(new WasmValue.I32(2 * 100 + 16)), instance.invoke("sum", 100));
        instance.invoke("say");
        assertEquals(List.of("emulated bytes"), said);
        assertSame(instance, logCaller.get().instance().orElseThrow());
      }
    }
  }
}
