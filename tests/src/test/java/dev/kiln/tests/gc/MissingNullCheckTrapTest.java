package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.WithoutNullChecks;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.tests.support.Artifacts;
import dev.kiln.tests.support.Concurrently;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.Wat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A null reference's field read or written by code whose null check is missing (a compiler bug,
 * made here by {@link WithoutNullChecks}) is a {@code null reference} trap
 * of the store that ran it, unwound to its innermost entry: on x86-64 through the fault handler
 * ({@code loader.sys.FaultHandlerCode}, which finds the entry by the frame chain), where the fault
 * ended the JVM before (without the handler's null path this class's JVM dies of SIGSEGV); under the
 * AArch64 emulator through its refused access ({@code emulator.UnicornExecutor}), where the run
 * ended in the emulator's failure before.
 */
class MissingNullCheckTrapTest {
  private static final FuncType I32_TO_I32 = new FuncType(List.of(ValType.I32), List.of(ValType.I32));
  private static final String WAT = """
      (module
        (type $s (struct (field (mut i32)) (field i64)))
        (type $a (array (mut i32)))
        (type $ft (func (result i32)))
        (import "host" "reenter" (func $reenter (param i32) (result i32)))
        (func $seven (result i32) (i32.const 7))
        (elem declare func $seven)
        ;; null unless c: the null is a run-time value, so no pass can tell
        (func $s (param $c i32) (result (ref null $s))
          (if (result (ref null $s)) (local.get $c)
            (then (struct.new $s (i32.const 5) (i64.const 6))) (else (ref.null $s))))
        (func (export "get") (param $c i32) (result i32) (struct.get $s 0 (call $s (local.get $c))))
        (func (export "set") (param $c i32) (result i32)
          (struct.set $s 0 (call $s (local.get $c)) (i32.const 9)) (i32.const 1))
        (func (export "len") (param $c i32) (result i32)
          (array.len (if (result (ref null $a)) (local.get $c)
            (then (array.new_default $a (i32.const 3))) (else (ref.null $a)))))
        (func (export "callRef") (param $c i32) (result i32)
          (call_ref $ft (if (result (ref null $ft)) (local.get $c)
            (then (ref.func $seven)) (else (ref.null $ft)))))
        (func $deep (export "deep") (param $n i32) (result i32)
          (if (result i32) (local.get $n)
            (then (i32.add (i32.const 1) (call $deep (i32.sub (local.get $n) (i32.const 1)))))
            (else (struct.get $s 0 (call $s (i32.const 0))))))
        (func (export "outer") (param $n i32) (result i32)
          (i32.add (i32.const 100) (call $reenter (local.get $n)))))
      """;

  /** The module compiled for {@code target} without its null checks. */
  private static byte[] withoutNullChecks(Target target) {
    assumeTrue(Executors.canRun(target), target + " code does not run here");
    WithoutNullChecks backend = new WithoutNullChecks(switch (target) {
      case X86_64 -> new X64Backend(CpuFeatures.host(), false);
      case AARCH64 -> new AArch64Backend(false);
    });
    byte[] artifact = Artifacts.compile(Wasm.load(Wat.toBinaryWithNames(WAT, "missing-null-check.wat")), backend,
        new CompileOptions(1));
    assertTrue(backend.dropped() >= 5, "the checks were there to drop: " + backend.dropped());
    return artifact;
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aFieldOfNullIsANullReferenceTrapAndTheStoreRunsOn(Target target) throws Exception {
    byte[] artifact = withoutNullChecks(target);
    try (NativeStore store = new NativeStore(); LoadedModule loaded = LoadedModule.fromBytes(artifact, null)) {
      LoadedInstance instance = instantiate(loaded, store);
      for (int round = 0; round < 3; round++) {
        assertNullTrap(target, () -> instance.invoke("get", 0), "get");
        assertNullTrap(target, () -> instance.invoke("set", 0), "set");
        assertNullTrap(target, () -> instance.invoke("len", 0), "len");
        assertNullTrap(target, () -> instance.invoke("callRef", 0), "callRef");
        assertEquals(5, instance.invoke("get", 1).getFirst().bits());
        assertEquals(1, instance.invoke("set", 1).getFirst().bits());
        assertEquals(3, instance.invoke("len", 1).getFirst().bits());
        assertEquals(7, instance.invoke("callRef", 1).getFirst().bits());
      }
      instance.close();
    }
  }

  /** The handler climbs every wasm frame to the entry, and the backtrace still names them. */
  @ParameterizedTest
  @EnumSource(Target.class)
  void aFaultUnderManyWasmFramesUnwindsThemAll(Target target) throws Exception {
    byte[] artifact = withoutNullChecks(target);
    try (NativeStore store = new NativeStore(); LoadedModule loaded = LoadedModule.fromBytes(artifact, null)) {
      LoadedInstance instance = instantiate(loaded, store);
      for (int depth : new int[] {1, 10, 5_000}) {
        TrapException trap = assertNullTrap(target, () -> instance.invoke("deep", depth), "deep " + depth);
        assertTrue(trap.backtrace().size() > Math.min(depth, 10), trap.backtrace().toString());
      }
      instance.close();
    }
  }

  /**
   * wasm -> host -> wasm of the same store: the inner call's fault unwinds the inner activation only,
   * and the host function that made it sees the trap and returns; the outer activation runs on.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void aFaultInANestedEntryUnwindsToThatEntry(Target target) throws Exception {
    byte[] artifact = withoutNullChecks(target);
    try (NativeStore store = new NativeStore(); LoadedModule loaded = LoadedModule.fromBytes(artifact, null)) {
      ImportNamespace linker = new ImportNamespace(store, loaded.file().target());
      AtomicReference<LoadedInstance> self = new AtomicReference<>();
      linker.defineFunction("host", "reenter", I32_TO_I32, (caller, args) -> {
        int n = ((WasmValue.I32) args.getFirst()).value();
        TrapException inner = assertThrows(TrapException.class, () -> self.get().function(n % 2 == 0 ? "get" : "deep")
            .call(new WasmValue.I32(0)));
        assertEquals(TrapCode.NULL_REFERENCE, inner.code());
        return List.of(new WasmValue.I32(n == 0 ? 1 : 1 + ((WasmValue.I32) self.get().function("outer")
            .call(new WasmValue.I32(n - 1)).getFirst()).value()));
      });
      LoadedInstance instance = linker.instantiate(loaded);
      self.set(instance);
      // outer(n) = 100 + reenter(n), reenter(n) = 1 + outer(n - 1), reenter(0) = 1.
      assertEquals(100 + 1 + 100 + 1 + 100 + 1, instance.invoke("outer", 2).getFirst().bits());
      instance.close();
    }
  }

  /**
   * Threads of their own stores fault at the same time while other modules are loaded and closed
   * (the code table changes under the handler): every fault is its own store's trap.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void concurrentStoresTrapWhileModulesComeAndGo(Target target) throws Exception {
    byte[] artifact = withoutNullChecks(target);
    try (LoadedModule loaded = LoadedModule.fromBytes(artifact, null)) {
      Concurrently.run(4, id -> {
        for (int round = 0; round < 20; round++) {
          if (id == 0) {
            LoadedModule.fromBytes(artifact, null).close();
            continue;
          }
          try (NativeStore store = new NativeStore()) {
            LoadedInstance instance = instantiate(loaded, store);
            for (int i = 0; i < 20; i++) {
              assertNullTrap(target, () -> instance.invoke("deep", id), "deep");
              assertEquals(5, instance.invoke("get", 1).getFirst().bits());
            }
            instance.close();
          }
        }
      });
    }
  }

  /** An instance of {@code loaded} in {@code store} whose host function returns 0. */
  private static LoadedInstance instantiate(LoadedModule loaded, NativeStore store) {
    return new ImportNamespace(store, loaded.file().target())
        .defineFunction("host", "reenter", I32_TO_I32, args -> List.of(new WasmValue.I32(0)))
        .instantiate(loaded);
  }

  /**
   * The call traps with {@code null reference}; on x86-64 the faulting frame has its wasm offset
   * (the emulator's pc can be its block's start, where no wasm instruction may begin: UnicornExecutor).
   */
  private static TrapException assertNullTrap(Target target, org.junit.jupiter.api.function.Executable call,
      String what) {
    TrapException trap = assertThrows(TrapException.class, call, what);
    assertEquals(TrapCode.NULL_REFERENCE, trap.code(), what);
    assertTrue(target != Target.X86_64 || trap.backtrace().getFirst().wasmOffset().isPresent(),
        "the faulting function's frame has its wasm offset: " + trap.backtrace());
    return trap;
  }
}
