package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wat.Wat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link DirectCall}, the typed-call primitive of generated code and of {@link
 * Instance#func(String, Class)}: every number type both ways, several results, traps, misuse, a
 * nested call of the same entry (which reuses its value slots), a second thread refused while the
 * first is inside the store, and the types of a precompiled artifact read without loading it.
 */
class DirectCallTest {
  private static final byte[] MODULE = Wat.toBinaryWithNames("""
      (module
        (import "env" "inner" (func $inner (param i32) (result i32)))
        (import "env" "host" (func $host (param i32) (result i32)))
        (export "host" (func $host))
        (table (export "table") 1 funcref)
        (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
        (func (export "mix") (param i32 i64 f32 f64) (result f64)
          (f64.add (f64.add (f64.convert_i32_s (local.get 0)) (f64.convert_i64_s (local.get 1)))
                   (f64.add (f64.promote_f32 (local.get 2)) (local.get 3))))
        (func (export "negf") (param f32) (result f32) (f32.neg (local.get 0)))
        (func (export "neg64") (param i64) (result i64) (i64.sub (i64.const 0) (local.get 0)))
        (func (export "swap") (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))
        (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
        (func (export "viaHost") (param i32) (result i32) (i32.add (call $inner (local.get 0)) (local.get 0)))
        (func (export "takesRef") (param funcref) (result i32) (i32.const 0)))
      """, "direct.wat");

  private final Engine engine = Engine.create();

  private Instance instantiate(Store store, IntUnaryOperator inner) {
    return new Linker(store)
        .func("env", "inner", IntUnaryOperator.class, inner)
        .func("env", "host", IntUnaryOperator.class, x -> x * 3)
        .instantiate(WasmModule.compile(engine, MODULE));
  }

  @Test
  void everyNumberTypeGoesInAndComesOutAsItsBits() {
    try (Store store = new Store(engine)) {
      Instance instance = instantiate(store, x -> x);
      assertEquals(-3, (int) instance.func("add").direct().call(-1, -2));
      assertEquals(42, instance.func("add", IntBinaryOperator.class).applyAsInt(2, 40));
      double mix = Double.longBitsToDouble(instance.func("mix").direct()
          .call(-1, 1L << 40, Float.floatToRawIntBits(0.5f), Double.doubleToRawLongBits(0.25)));
      assertEquals(-1 + (double) (1L << 40) + 0.5 + 0.25, mix);
      assertEquals(-1.5f, Float.intBitsToFloat((int) instance.func("negf").direct().call(Float.floatToRawIntBits(1.5f))));
      assertEquals(Long.MIN_VALUE + 1, instance.func("neg64").direct().call(Long.MAX_VALUE));
      long[] out = new long[2];
      instance.func("swap").direct().call(new long[] {7, 1L << 33}, out);
      assertEquals(1L << 33, out[0]);
      assertEquals(7, (int) out[1]);
      // A host function the instance re-exports runs in Java: the same call, the same words.
      assertEquals(21, (int) instance.func("host").direct().call(7));
    }
  }

  @Test
  void aTrapIsTheApisTrapAndTheStoreStaysUsable() {
    try (Store store = new Store(engine)) {
      DirectCall div = instantiate(store, x -> x).func("div").direct();
      Trap trap = assertThrows(Trap.class, () -> div.call(1, 0));
      assertTrue(trap.getMessage().contains("divide by zero"), trap.getMessage());
      assertEquals(-4, (int) div.call(8, -2));
    }
  }

  @Test
  void aarch64CodeIsCalledThroughItsOwnExecutor() {
    // On an x86-64 host the store's AArch64 executor is the emulator: the entry must use it too.
    Engine aarch64 = Engine.builder().target(Target.AARCH64).build();
    try (Store store = new Store(aarch64)) {
      Instance instance = new Linker(store)
          .func("env", "inner", IntUnaryOperator.class, x -> x * 10)
          .func("env", "host", IntUnaryOperator.class, x -> x)
          .instantiate(WasmModule.compile(aarch64, MODULE));
      assertEquals(77, (int) instance.func("viaHost").direct().call(7));
      long[] out = new long[2];
      instance.func("swap").direct().call(new long[] {-1, 5}, out);
      assertEquals(5, out[0]);
      assertEquals(-1, (int) out[1]);
      assertThrows(Trap.class, () -> instance.func("div").direct().call(1, 0));
    }
  }

  @Test
  void wrongArgumentCountsAndNonNumberTypesAreRefused() {
    try (Store store = new Store(engine)) {
      Instance instance = instantiate(store, x -> x);
      DirectCall add = instance.func("add").direct();
      assertThrows(IllegalArgumentException.class, () -> add.call(1));
      assertThrows(IllegalArgumentException.class, () -> add.call(new long[] {1, 2, 3}, new long[1]));
      assertThrows(IllegalArgumentException.class, () -> instance.func("swap").direct().call(new long[] {1, 2}, new long[1]));
      // A funcref argument's bits would be an address the code follows: only Func.call, which checks it.
      assertThrows(IllegalArgumentException.class, () -> instance.func("takesRef").direct());
    }
  }

  @Test
  void aClosedInstanceCannotBeCalled() {
    try (Store store = new Store(engine)) {
      Instance instance = instantiate(store, x -> x);
      DirectCall add = instance.func("add").direct();
      instance.close();
      assertThrows(IllegalStateException.class, () -> add.call(1, 2));
    }
  }

  @Test
  void aNestedCallOfTheSameEntryLeavesTheOuterCallsArgumentsAndResult() {
    try (Store store = new Store(engine)) {
      AtomicReference<DirectCall> self = new AtomicReference<>();
      // inner(x) calls viaHost(x - 1) again until x is 0: each level reuses the entry's value slots.
      Instance instance = instantiate(store, x -> x == 0 ? 0 : (int) self.get().call(x - 1));
      self.set(instance.func("viaHost").direct());
      // viaHost(n) = inner(n) + n = viaHost(n - 1) + n: the triangular number.
      assertEquals(55, (int) self.get().call(10));
    }
  }

  @Test
  void anotherThreadCannotCallWhileTheStoreIsInUse() throws Exception {
    try (Store store = new Store(engine)) {
      AtomicReference<DirectCall> viaHost = new AtomicReference<>();
      AtomicReference<Throwable> intruder = new AtomicReference<>();
      Instance instance = instantiate(store, x -> {
        // While this thread is inside the store, another one tries to call the same entry with its
        // own arguments; it must be refused before it writes them.
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> viaHost.get().call(1000));
        try {
          other.join();
        } catch (RuntimeException e) {
          intruder.set(e.getCause());
        }
        return x;
      });
      viaHost.set(instance.func("viaHost").direct());
      assertEquals(14, (int) viaHost.get().call(7));
      assertTrue(intruder.get() instanceof IllegalStateException, String.valueOf(intruder.get()));
    }
  }

  @Test
  void aPrecompiledArtifactNamesItsImportsAndExportsWithoutLoading() {
    for (Target target : Target.values()) {
      byte[] artifact = Engine.builder().target(target).build().precompile(MODULE);
      List<ImportType> imports = WasmModule.precompiledImports(artifact);
      assertEquals(List.of(new ImportType("env", "inner", FuncType.of(List.of(ValType.I32), List.of(ValType.I32))),
          new ImportType("env", "host", FuncType.of(List.of(ValType.I32), List.of(ValType.I32)))), imports);
      List<ExportType> exports = WasmModule.precompiledExports(artifact);
      assertEquals("host", exports.getFirst().name());
      assertEquals(ExternKind.TABLE, exports.get(1).kind());
      assertEquals(FuncType.of(List.of(ValType.I32, ValType.I64), List.of(ValType.I64, ValType.I32)),
          exports.stream().filter(e -> e.name().equals("swap")).findFirst().orElseThrow().type());
      byte[] damaged = artifact.clone();
      damaged[damaged.length / 2] ^= 1;
      assertThrows(KilnException.class, () -> WasmModule.precompiledExports(damaged));
      assertArrayEquals(artifact, Engine.builder().target(target).build().precompile(MODULE));
    }
  }
}
