package dev.kiln.tests.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.artifact.FuncKeyKind;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.GlobalType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.seal.ArtifactSeal;
import dev.kiln.artifact.seal.SigningKey;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.loader.func.FunctionInstance;
import dev.kiln.loader.global.GlobalInstance;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.tests.support.Engine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedding API end to end: wasm text through the real compiler, {@link Engine}, {@link ImportNamespace}
 * and {@link LoadedInstance}, with host functions written in Java reached through WASM_TO_ARRAY
 * trampolines (docs/ARCHITECTURE.md section 4).
 */
class EmbeddingApiTest {
  @RegisterExtension
  final EmbeddingSession kiln = new EmbeddingSession();
  private final NativeStore store = kiln.store();
  private final ImportNamespace linker = kiln.linker();

  private static FuncType type(List<ValType> params, List<ValType> results) {
    return new FuncType(params, results);
  }

  @Test
  void hostFunctionsReceiveAndReturnIntegersInRegistersOnTheStackAndInTheReturnArea() {
    List<List<WasmValue>> seen = new ArrayList<>();
    // Eight parameters: four after the vmctx pair go in registers, the rest on the caller's stack.
    linker.defineFunction("env", "mix", type(
        List.of(ValType.I32, ValType.I64, ValType.I32, ValType.I64, ValType.I32, ValType.I64, ValType.I32, ValType.I64),
        List.of(ValType.I64, ValType.I32, ValType.I64)), args -> {
          seen.add(args);
          long sum = 0;
          for (WasmValue v : args) {
            sum += v instanceof WasmValue.I32 i ? i.value() : ((WasmValue.I64) v).value();
          }
          // Three integer results: two in rax/rdx, the third in the caller's return area.
          return List.of(new WasmValue.I64(sum), new WasmValue.I32(-7), new WasmValue.I64(Long.MIN_VALUE));
        });
    LoadedInstance instance = kiln.instantiate("""
        (module
          (import "env" "mix" (func $mix (param i32 i64 i32 i64 i32 i64 i32 i64) (result i64 i32 i64)))
          (func (export "run") (result i64 i32 i64)
            (call $mix (i32.const -1) (i64.const 0x100000000) (i32.const 2) (i64.const -3)
                       (i32.const 4) (i64.const 5) (i32.const 6) (i64.const 0x7fffffffffffffff))))
        """);
    List<WasmValue> results = instance.function("run").call();
    assertEquals(List.of(new WasmValue.I32(-1), new WasmValue.I64(0x1_0000_0000L), new WasmValue.I32(2),
        new WasmValue.I64(-3), new WasmValue.I32(4), new WasmValue.I64(5), new WasmValue.I32(6),
        new WasmValue.I64(Long.MAX_VALUE)), seen.getFirst());
    long expectedSum = -1 + 0x1_0000_0000L + 2 - 3 + 4 + 5 + 6 + Long.MAX_VALUE;
    assertEquals(List.of(new WasmValue.I64(expectedSum), new WasmValue.I32(-7), new WasmValue.I64(Long.MIN_VALUE)),
        results);
  }

  @Test
  void hostFunctionsReceiveAndReturnFloats() {
    linker.defineFunction("env", "scale", type(
        List.of(ValType.F32, ValType.F64, ValType.I32), List.of(ValType.F64, ValType.F32)), args -> {
          float f = ((WasmValue.F32) args.get(0)).value();
          double d = ((WasmValue.F64) args.get(1)).value();
          int k = ((WasmValue.I32) args.get(2)).value();
          return List.of(new WasmValue.F64(d * k), new WasmValue.F32(f * k));
        });
    LoadedInstance instance = kiln.instantiate("""
        (module
          (import "env" "scale" (func $scale (param f32 f64 i32) (result f64 f32)))
          (func (export "run") (param f32 f64 i32) (result f64 f32)
            (call $scale (local.get 0) (local.get 1) (local.get 2))))
        """);
    assertEquals(List.of(new WasmValue.F64(-7.5), new WasmValue.F32(4.5f)),
        instance.function("run").call(new WasmValue.F32(1.5f), new WasmValue.F64(-2.5), new WasmValue.I32(3)));
    Object[] javaResults = (Object[]) instance.function("run").callJava(0.25f, 8.0, 2);
    assertEquals(16.0, javaResults[0]);
    assertEquals(0.5f, javaResults[1]);
  }

  @Test
  void hostFunctionsPassReferencesThroughAndAFuncrefTheyReturnIsCallable() {
    List<WasmValue> seen = new ArrayList<>();
    linker.defineFunction("env", "keep", type(List.of(ValType.EXTERNREF, ValType.FUNCREF),
        List.of(ValType.FUNCREF, ValType.EXTERNREF)), args -> {
          seen.addAll(args);
          return List.of(args.get(1), args.get(0));
        });
    LoadedInstance instance = kiln.instantiate("""
        (module
          (import "env" "keep" (func $keep (param externref funcref) (result funcref externref)))
          (type $answer (func (result i32)))
          (table 1 funcref)
          (func $forty_two (result i32) (i32.const 42))
          (elem declare func $forty_two)
          (func (export "swap") (param externref) (result externref)
            (local $e externref)
            (call $keep (local.get 0) (ref.func $forty_two))
            (local.set $e)
            (drop)
            (local.get $e))
          (func (export "call_back") (result i32)
            (local $f funcref)
            (call $keep (ref.null extern) (ref.func $forty_two))
            (drop)
            (local.set $f)
            (table.set 0 (i32.const 0) (local.get $f))
            (call_indirect (type $answer) (i32.const 0))))
        """);
    WasmValue handle = new WasmValue.Ref(ValType.EXTERNREF, 0x1234_5678_9ABCL);
    assertEquals(List.of(handle), instance.function("swap").call(handle));
    assertEquals(handle, seen.get(0));
    assertTrue(seen.get(1) instanceof WasmValue.Ref r && r.type() == ValType.FUNCREF && r.address() != 0, seen.toString());
    assertEquals(42, instance.function("call_back").callJava(), "the funcref came back through Java intact");
  }

  @Test
  void aHostFunctionCallsBackIntoWasmAndATrapThereUnwindsToTheInnerEntryOnly() {
    AtomicReference<LoadedInstance> self = new AtomicReference<>();
    List<String> innerOutcomes = new ArrayList<>();
    linker.defineFunction("env", "reenter", type(List.of(ValType.I32), List.of(ValType.I32)), args -> {
      int n = ((WasmValue.I32) args.getFirst()).value();
      FunctionInstance inner = self.get().function("inner");
      try {
        // wasm -> Java -> wasm -> trap: the trap ends the inner call only.
        inner.call(new WasmValue.I32(0));
      } catch (TrapException trap) {
        innerOutcomes.add(trap.code().name());
      }
      return inner.call(new WasmValue.I32(n));
    });
    LoadedInstance instance = kiln.instantiate("""
        (module
          (import "env" "reenter" (func $reenter (param i32) (result i32)))
          (func $inner (export "inner") (param i32) (result i32)
            (if (i32.eqz (local.get 0)) (then unreachable))
            (i32.mul (local.get 0) (i32.const 10)))
          (func $outer (export "outer") (param i32) (result i32)
            (i32.add (call $reenter (local.get 0)) (i32.const 1))))
        """);
    self.set(instance);
    assertEquals(41, instance.function("outer").callJava(4));
    assertEquals(List.of("UNREACHABLE"), innerOutcomes);

    // A trap of the nested call that the host lets through is the outer call's trap: the nested
    // trap's code, its frames, then the host function's trampoline and the outer wasm frames.
    TrapException trap = assertThrows(TrapException.class, () -> instance.function("outer").callJava(0));
    assertEquals(TrapCode.UNREACHABLE, trap.code());
    assertEquals(List.of("inner", "outer"), trap.functionNames());
    assertEquals(FuncKeyKind.WASM_TO_ARRAY_TRAMPOLINE, trap.backtrace().get(1).key().kind(), trap.backtrace().toString());
    assertEquals(21, instance.function("outer").callJava(2), "the store is usable after the trap");
  }

  @Test
  void anExceptionOfAHostFunctionBecomesATrapWithTheExceptionAsCause() {
    IllegalStateException failure = new IllegalStateException("host gave up");
    linker.defineFunction("env", "fail", type(List.of(), List.of()), args -> {
      throw failure;
    });
    linker.defineFunction("env", "wrong", type(List.of(), List.of(ValType.I32)), args -> List.of(new WasmValue.I64(1)));
    LoadedInstance instance = kiln.instantiate("""
        (module
          (import "env" "fail" (func $fail))
          (import "env" "wrong" (func $wrong (result i32)))
          (func $caller (export "run") (call $fail))
          (func (export "wrong") (result i32) (call $wrong)))
        """);
    TrapException trap = assertThrows(TrapException.class, () -> instance.function("run").call());
    assertEquals(TrapCode.HOST_FUNCTION_FAILED, trap.code());
    assertSame(failure, trap.getCause());
    assertEquals(List.of("caller"), trap.functionNames(), "the trampoline's frame, then the wasm caller");
    TrapException badResult = assertThrows(TrapException.class, () -> instance.function("wrong").call());
    assertEquals(TrapCode.HOST_FUNCTION_FAILED, badResult.code());
    assertInstanceOf(IllegalStateException.class, badResult.getCause());
  }

  @Test
  void aTrapsBacktraceNamesEveryWasmFrameWithItsOffsetAcrossInstances() {
    LoadedInstance callee = kiln.instantiate("""
        (module
          (func $divide (export "divide") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))
        """);
    linker.defineInstance("lib", callee);
    LoadedInstance caller = kiln.instantiate("""
        (module
          (import "lib" "divide" (func $divide (param i32 i32) (result i32)))
          (func $middle (param i32) (result i32) (call $divide (i32.const 1) (local.get 0)))
          (func $outer (export "outer") (param i32) (result i32) (call $middle (local.get 0))))
        """);
    assertEquals(1, caller.function("outer").callJava(1));
    TrapException trap = assertThrows(TrapException.class, () -> caller.function("outer").callJava(0));
    assertEquals(TrapCode.INTEGER_DIVISION_BY_ZERO, trap.code());
    assertEquals(List.of("divide", "middle", "outer"), trap.functionNames());
    assertTrue(trap.backtrace().stream().allMatch(f -> f.wasmOffset().isPresent()), trap.backtrace().toString());
  }

  @Test
  void deepRecursionThroughAHostFunctionOnA256KiBThreadIsAStackOverflowTrap() throws Exception {
    AtomicReference<LoadedInstance> self = new AtomicReference<>();
    linker.defineFunction("env", "again", type(List.of(ValType.I32), List.of(ValType.I32)),
        args -> self.get().function("down").call(args.getFirst()));
    // 4096 wasm frames between host calls (at least 16 bytes each, 64 KiB and more a level): the
    // 256 KiB stack runs out within four host levels, far below the store's host-call depth limit
    // (64), whatever size the JIT has made the Java frames and the compiler the wasm ones (with 64,
    // then 256 wasm frames per level the depth limit sometimes came first).
    LoadedInstance instance = kiln.instantiate("""
        (module
          (import "env" "again" (func $again (param i32) (result i32)))
          (func $down (export "down") (param i32) (result i32)
            (if (result i32) (i32.eqz (i32.and (local.get 0) (i32.const 4095)))
              (then (call $again (i32.add (local.get 0) (i32.const 1))))
              (else (i32.add (call $down (i32.add (local.get 0) (i32.const 1))) (i32.const 1))))))
        """);
    self.set(instance);
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread small = new Thread(null, () -> {
      try {
        instance.function("down").callJava(1);
      } catch (Throwable t) {
        outcome.set(t);
      }
    }, "kiln-256k-host-recursion", 256 * 1024);
    small.start();
    small.join();
    TrapException trap = assertInstanceOf(TrapException.class, outcome.get());
    assertEquals(TrapCode.STACK_OVERFLOW, trap.code());
    assertFalse(trap.functionNames().isEmpty());
    assertTrue(trap.functionNames().stream().allMatch("down"::equals), trap.functionNames().toString());
  }

  @Test
  void deepRecursionInAnImportedFunctionOnA256KiBThreadIsAStackOverflowTrapAndBothInstancesCarryOn()
      throws Exception {
    LoadedInstance callee = kiln.instantiate("""
        (module
          (func $down (export "down") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0))
              (then (i32.const 0))
              (else (i32.add (call $down (i32.sub (local.get 0) (i32.const 1))) (i32.const 1))))))
        """);
    linker.defineInstance("lib", callee);
    LoadedInstance caller = kiln.instantiate("""
        (module
          (import "lib" "down" (func $down (param i32) (result i32)))
          (func $start (export "start") (param i32) (result i32) (call $down (local.get 0))))
        """);
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread small = new Thread(null, () -> {
      try {
        caller.function("start").callJava(-1);
      } catch (Throwable t) {
        outcome.set(t);
      }
      try {
        outcome.compareAndSet(null, "no trap");
        if (outcome.get() instanceof TrapException) {
          // The same thread, right after the trap: both instances still run.
          outcome.set(new Object[] {outcome.get(), caller.function("start").callJava(100),
              callee.function("down").callJava(7)});
        }
      } catch (Throwable t) {
        outcome.set(t);
      }
    }, "kiln-256k-cross-instance", 256 * 1024);
    small.start();
    small.join();
    Object[] results = assertInstanceOf(Object[].class, outcome.get(), () -> String.valueOf(outcome.get()));
    TrapException trap = (TrapException) results[0];
    assertEquals(TrapCode.STACK_OVERFLOW, trap.code());
    assertEquals("down", trap.functionNames().getFirst());
    assertEquals(100, results[1]);
    assertEquals(7, results[2]);
  }

  @Test
  void anEngineLoadsACwasmFileAndTheModuleDescribesItsImportsAndExports(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("m.cwasm");
    Files.write(file, WatCompiler.INSTANCE.compile(WatCompiler.wasm("""
        (module (import "env" "base" (global i32))
          (func (export "plus") (param i32) (result i32) (i32.add (global.get 0) (local.get 0))))
        """), dev.kiln.artifact.Target.X86_64, dev.kiln.artifact.vm.ExecutionLimits.NONE));
    LoadedModule module = new Engine().load(file);
    kiln.open(module);
    assertEquals(List.of("env.base"), module.info().imports().stream().map(i -> i.module() + "." + i.name()).toList());
    assertEquals(List.of("plus"), module.info().exports().stream().map(e -> e.name()).toList());
    GlobalInstance base = GlobalInstance.create(store, new GlobalType(ValType.I32, false), new WasmValue.I32(40));
    linker.define("env", "base", new Extern.Global(base));
    LoadedInstance instance = linker.instantiate(module);
    kiln.open(instance);
    assertEquals(42, instance.function("plus").callJava(2));
    assertThrows(IllegalStateException.class, () -> new Engine().compile(new byte[8]),
        "an engine without a compiler refuses .wasm input");
  }

  @Test
  void anEngineWithAVerifyKeyRunsOnlyArtifactsSignedWithIt(@TempDir Path dir) throws Exception {
    SigningKey key = SigningKey.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    SigningKey otherKey = SigningKey.of("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));
    byte[] unsigned = WatCompiler.INSTANCE.compile(WatCompiler.wasm("""
        (module (func (export "seven") (result i32) (i32.const 7)))
        """), dev.kiln.artifact.Target.X86_64, dev.kiln.artifact.vm.ExecutionLimits.NONE);
    byte[] signed = unsigned.clone();
    ArtifactSeal.sign(signed, key);
    Path file = dir.resolve("signed.cwasm");
    Files.write(file, signed);

    Engine verifying = new Engine().withVerifyKey(key);
    for (LoadedModule module : List.of(verifying.load(file), verifying.fromArtifact(signed))) {
      kiln.open(module);
      LoadedInstance instance = linker.instantiate(module);
      kiln.open(instance);
      assertEquals(7, instance.function("seven").callJava());
    }
    CorruptArtifactException unsignedRefused = assertThrows(CorruptArtifactException.class,
        () -> verifying.fromArtifact(unsigned));
    assertTrue(unsignedRefused.getMessage().contains("the artifact is not signed"), unsignedRefused.getMessage());
    CorruptArtifactException wrongKey = assertThrows(CorruptArtifactException.class,
        () -> new Engine().withVerifyKey(otherKey).load(file));
    assertEquals(ArtifactSeal.SECTION, wrongKey.section());
    // Changed after signing, with the CRC32C recomputed: the digest passes, the tag does not.
    byte[] tampered = signed.clone();
    tampered[0x40 + 12] ^= 1;
    ByteBuffer seal = ByteBuffer.wrap(tampered).order(ByteOrder.LITTLE_ENDIAN);
    CRC32C crc = new CRC32C();
    crc.update(tampered, 0, tampered.length - ArtifactSeal.SIZE + 12);
    seal.putInt(tampered.length - ArtifactSeal.SIZE + 12, (int) crc.getValue());
    assertTrue(assertThrows(CorruptArtifactException.class, () -> verifying.fromArtifact(tampered)).getMessage()
        .contains("the HMAC-SHA256 tag does not match the key"));
  }

  @Test
  void memoriesGlobalsAndTablesAreSharedWithTheImporter() {
    LoadedInstance owner = kiln.instantiate("""
        (module
          (memory (export "mem") 1 3)
          (global (export "counter") (mut i64) (i64.const 5))
          (table (export "tab") 2 funcref)
          (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
          (func (export "size") (result i32) (memory.size)))
        """);
    linker.defineInstance("owner", owner);
    LoadedInstance user = kiln.instantiate("""
        (module
          (import "owner" "mem" (memory 1))
          (import "owner" "counter" (global $c (mut i64)))
          (import "owner" "tab" (table 1 funcref))
          (func $seven (result i32) (i32.const 7))
          (elem (i32.const 1) $seven)
          (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
          (func (export "bump") (result i64) (global.set $c (i64.add (global.get $c) (i64.const 1))) (global.get $c))
          (func (export "grow") (result i32) (memory.grow (i32.const 1))))
        """);
    user.function("poke").callJava(100, 42);
    assertEquals(42, owner.function("load").callJava(100));
    assertEquals(6L, user.function("bump").callJava());
    Extern.Global counter = (Extern.Global) owner.export("counter").orElseThrow();
    assertEquals(new WasmValue.I64(6), counter.global().get());
    assertEquals(1, user.function("grow").callJava());
    assertEquals(2, owner.function("size").callJava(), "a grow through the importer is the owner's too");
    Extern.Table table = (Extern.Table) owner.export("tab").orElseThrow();
    assertEquals(0, table.table().get(0));
    assertTrue(table.table().get(1) != 0, "the importer's element segment wrote the owner's table");
  }

  @Test
  void linkErrorsUseTheSpecsWords() {
    LoadedModule needsMemory = kiln.module("(module (import \"env\" \"mem\" (memory 2)))");
    ImportAssert.unlinkable("unknown import", () -> linker.instantiate(needsMemory));
    LoadedInstance owner = kiln.instantiate("""
        (module (memory (export "mem") 1) (global (export "g") i32 (i32.const 1))
          (func (export "f") (param i32)))
        """);
    linker.defineInstance("env", owner);
    ImportAssert.unlinkable("incompatible import type", () -> linker.instantiate(needsMemory));
    ImportAssert.unlinkable("incompatible import type",
        () -> linker.instantiate(kiln.module("(module (import \"env\" \"g\" (global (mut i32))))")));
    ImportAssert.unlinkable("incompatible import type",
        () -> linker.instantiate(kiln.module("(module (import \"env\" \"f\" (func (param i64))))")));
    ImportAssert.unlinkable("incompatible import type",
        () -> linker.instantiate(kiln.module("(module (import \"env\" \"f\" (memory 1)))")));
  }
}
