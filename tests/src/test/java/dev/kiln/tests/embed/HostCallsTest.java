package dev.kiln.tests.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.loader.host.CallingInstance;
import dev.kiln.loader.host.HostCalls;
import dev.kiln.loader.host.HostFunction;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmValue;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Host functions share one array-call entry per store and executor ({@link HostCalls}), find their
 * callback by the id in their context block, and see the calling instance as a {@link CallingInstance}.
 */
class HostCallsTest {
  private static final FuncType I32_TO_I32 = new FuncType(List.of(ValType.I32), List.of(ValType.I32));

  @RegisterExtension
  final EmbeddingSession kiln = new EmbeddingSession();
  private final NativeStore store = kiln.store();
  private final ImportNamespace linker = kiln.linker();

  private static int i32(List<WasmValue> values) {
    return ((WasmValue.I32) values.getFirst()).value();
  }

  @Test
  void manyHostFunctionsShareOneEntryAndEachCallReachesItsOwnCallback() {
    for (int k = 0; k < 40; k++) {
      int offset = k * 1000;
      linker.defineFunction("host", "f" + k, I32_TO_I32, args -> List.of(new WasmValue.I32(i32(args) + offset)));
    }
    assertEquals(1, HostCalls.of(store).entryCount());
    LoadedInstance instance = kiln.instantiate("""
        (module
          (import "host" "f3" (func $a (param i32) (result i32)))
          (import "host" "f17" (func $b (param i32) (result i32)))
          (import "host" "f39" (func $c (param i32) (result i32)))
          (func (export "run") (param i32) (result i32)
            (i32.add (call $a (local.get 0))
              (i32.add (call $b (local.get 0)) (call $c (local.get 0))))))
        """);
    assertEquals(3000 + 17000 + 39000 + 3 * 5, i32(instance.function("run").call(new WasmValue.I32(5))));
    assertEquals(1, HostCalls.of(store).entryCount());
  }

  @Test
  void theEntryIsMadeAndCalledOnceThroughItsUpcallStubBeforeAnyGuestRuns() {
    linker.defineFunction("host", "same", I32_TO_I32, args -> args);
    HostCalls calls = HostCalls.of(store);
    assertEquals(1, calls.entryCount(), "a host function's creation gives the store the entry");
    assertEquals(1, HostCalls.warmedEntryCount(),
        "the process's one native entry was called once, so the guest's first call finds it linked");
    LoadedInstance instance = kiln.instantiate("""
        (module
          (import "host" "same" (func $same (param i32) (result i32)))
          (func (export "run") (param i32) (result i32) (call $same (local.get 0))))
        """);
    assertEquals(7, i32(instance.function("run").call(new WasmValue.I32(7))));
    linker.defineFunction("host", "other", I32_TO_I32, args -> args);
    assertEquals(1, HostCalls.warmedEntryCount(), "later functions and the guest's calls reuse the warm entry");
  }

  @Test
  void aClosedFunctionsIdServesTheNextOneAndTheOthersKeepTheirs() {
    HostFunction first = HostFunction.create(store, I32_TO_I32, args -> List.of(new WasmValue.I32(1)));
    HostFunction second = HostFunction.create(store, I32_TO_I32, args -> List.of(new WasmValue.I32(2)));
    first.close();
    HostFunction third = HostFunction.create(store, I32_TO_I32, args -> List.of(new WasmValue.I32(3)));
    kiln.open(second::close);
    kiln.open(third::close);
    linker.define("host", "second", new dev.kiln.loader.instance.Extern.Function(second.function()));
    linker.define("host", "third", new dev.kiln.loader.instance.Extern.Function(third.function()));
    LoadedInstance instance = kiln.instantiate("""
        (module
          (import "host" "second" (func $s (param i32) (result i32)))
          (import "host" "third" (func $t (param i32) (result i32)))
          (func (export "run") (result i32)
            (i32.add (i32.mul (call $s (i32.const 0)) (i32.const 10)) (call $t (i32.const 0)))))
        """);
    assertEquals(23, i32(instance.function("run").call()));
  }

  @Test
  void aHostFunctionReentersWasmWhichCallsAnotherHostFunction() {
    AtomicReference<LoadedInstance> self = new AtomicReference<>();
    linker.defineFunction("host", "double", I32_TO_I32, args -> List.of(new WasmValue.I32(2 * i32(args))));
    linker.defineFunction("host", "reenter", I32_TO_I32, (caller, args) -> {
      assertSame(self.get(), caller.instance().orElseThrow());
      int n = i32(args);
      return n == 0 ? List.of(new WasmValue.I32(1))
          : List.of(new WasmValue.I32(i32(self.get().function("down").call(new WasmValue.I32(n - 1))) + 1));
    });
    LoadedInstance instance = kiln.instantiate("""
        (module
          (import "host" "double" (func $double (param i32) (result i32)))
          (import "host" "reenter" (func $reenter (param i32) (result i32)))
          (func (export "down") (param i32) (result i32)
            (call $double (call $reenter (local.get 0)))))
        """);
    self.set(instance);
    // down(n) = 2 * (down(n-1) + 1), down via reenter(0) = 2 * 1.
    assertEquals(2 * (2 * (2 * 1 + 1) + 1), i32(instance.function("down").call(new WasmValue.I32(2))));
  }

  @Test
  void aThrowingHostFunctionTrapsItsCallerAndTheNextCallWorks() {
    IllegalArgumentException failure = new IllegalArgumentException("refused");
    linker.defineFunction("host", "check", I32_TO_I32, args -> {
      if (i32(args) < 0) {
        throw failure;
      }
      return args;
    });
    LoadedInstance instance = kiln.instantiate("""
        (module
          (import "host" "check" (func $check (param i32) (result i32)))
          (func (export "run") (param i32) (result i32) (call $check (local.get 0))))
        """);
    TrapException trap = assertThrows(TrapException.class, () -> instance.function("run").call(new WasmValue.I32(-1)));
    assertEquals(TrapCode.HOST_FUNCTION_FAILED, trap.code());
    assertSame(failure, trap.getCause());
    assertEquals(7, i32(instance.function("run").call(new WasmValue.I32(7))));
  }

  @Test
  void aCallerReadsTheMemoryOfTheInstanceThatCalledIt() {
    List<String> seen = new ArrayList<>();
    linker.defineFunction("host", "log", new FuncType(List.of(ValType.I32, ValType.I32), List.of()),
        (CallingInstance caller, List<WasmValue> args) -> {
          MemorySegment memory = caller.memory("memory").orElseThrow();
          int at = i32(args);
          int length = ((WasmValue.I32) args.get(1)).value();
          seen.add(new String(memory.asSlice(at, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
          return List.of();
        });
    String template = """
        (module
          (import "host" "log" (func $log (param i32 i32)))
          (memory (export "memory") 1)
          (data (i32.const 16) "%s")
          (func (export "run") (call $log (i32.const 16) (i32.const %d))))
        """;
    LoadedInstance first = kiln.instantiate(template.formatted("first guest", 11));
    LoadedInstance second = kiln.instantiate(template.formatted("the second one", 14));
    second.function("run").call();
    first.function("run").call();
    assertEquals(List.of("the second one", "first guest"), seen);
  }

  @Test
  void aWordCallbackGetsRawI32AndI64WordsAndItsI32ResultReachesWasmAndJava() {
    FuncType type = new FuncType(List.of(ValType.I32, ValType.I64, ValType.I32), List.of(ValType.I32));
    List<CallingInstance> callers = new ArrayList<>();
    HostFunction f = HostFunction.createWords(store, type, (caller, args) -> {
      callers.add(caller);
      // i32 -1 arrives as its 32 bits; the i64 whole.
      return (int) args[0] + (int) (args[1] >>> 32) + (int) args[2];
    }, dev.kiln.loader.exec.HostTarget.current().orElseThrow());
    kiln.open(f::close);
    linker.define("host", "words", new dev.kiln.loader.instance.Extern.Function(f.function()));
    LoadedInstance instance = kiln.instantiate("""
        (module
          (import "host" "words" (func $w (param i32 i64 i32) (result i32)))
          (func (export "run") (result i32)
            (call $w (i32.const -1) (i64.const 0x0000_0007_0000_0000) (i32.const 40))))
        """);
    assertEquals(46, i32(instance.function("run").call()));
    assertTrue(callers.getFirst().instance().isPresent(), "a call from wasm sees its instance");
    assertEquals(-5, i32(f.function().call(new WasmValue.I32(-8), new WasmValue.I64(2L << 32), new WasmValue.I32(1))));
    assertSame(CallingInstance.NONE, callers.getLast());
  }

  @Test
  void aWordCallbackTakesAndReturnsNumbersOnlyAndAtMostOneResult() {
    var target = dev.kiln.loader.exec.HostTarget.current().orElseThrow();
    HostFunction.WordCallback body = (caller, args) -> 0;
    assertThrows(IllegalArgumentException.class, () -> HostFunction.createWords(store,
        new FuncType(List.of(ValType.V128), List.of()), body, target));
    assertThrows(IllegalArgumentException.class, () -> HostFunction.createWords(store,
        new FuncType(List.of(), List.of(ValType.FUNCREF)), body, target));
    assertThrows(IllegalArgumentException.class, () -> HostFunction.createWords(store,
        new FuncType(List.of(), List.of(ValType.I32, ValType.I32)), body, target));
  }

  @Test
  void aWordCallbackOfFloatsGetsAndReturnsTheirBits() {
    FuncType type = new FuncType(List.of(ValType.F32, ValType.F64), List.of(ValType.F32));
    HostFunction f = HostFunction.createWords(store, type,
        (caller, args) -> Float.floatToRawIntBits(Float.intBitsToFloat((int) args[0])
            * (float) Double.longBitsToDouble(args[1])),
        dev.kiln.loader.exec.HostTarget.current().orElseThrow());
    kiln.open(f::close);
    linker.define("host", "scale", new dev.kiln.loader.instance.Extern.Function(f.function()));
    LoadedInstance instance = kiln.instantiate("""
        (module
          (import "host" "scale" (func $s (param f32 f64) (result f32)))
          (func (export "run") (result f32) (call $s (f32.const -1.5) (f64.const 4))))
        """);
    assertEquals(new WasmValue.F32(-6f), instance.function("run").call().getFirst());
    assertEquals(new WasmValue.F32(3f), f.function().call(new WasmValue.F32(1.5f), new WasmValue.F64(2)).getFirst());
  }

  @Test
  void aCallFromJavaHasNoCallingInstance() {
    AtomicReference<CallingInstance> seen = new AtomicReference<>();
    HostFunction f = HostFunction.create(store, I32_TO_I32, (CallingInstance caller, List<WasmValue> args) -> {
      seen.set(caller);
      return args;
    });
    kiln.open(f::close);
    assertEquals(4, i32(f.function().call(new WasmValue.I32(4))));
    assertSame(CallingInstance.NONE, seen.get());
    assertTrue(seen.get().instance().isEmpty());
    assertTrue(seen.get().memory("memory").isEmpty());
    assertInstanceOf(CallingInstance.class, seen.get());
  }
}
