package dev.kiln.tests.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.loader.func.FunctionInstance;
import dev.kiln.loader.host.CallingInstance;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.tests.support.Engine;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rough, JMH-free look at the wasm -> Java host call round trip on the native executor, printed
 * for docs/PERFORMANCE.md and never asserted on time (a shared machine makes timed assertions
 * flaky): a wasm loop calls an i32 -> i32 host function N times, through the WASM_TO_ARRAY
 * trampoline, the store's shared upcall entry and the callback: with a plain callback, with one
 * that looks its caller's memory up, and with a word callback (arguments as raw words). Best of
 * several rounds; the sum the loop returns is checked, so a loop that skipped calls would fail.
 */
class HostCallCostReport {
  private static final int CALLS = 200_000;
  private static final String WAT = """
      (module
        (import "host" "inc" (func $inc (param i32) (result i32)))
        (memory (export "memory") 1)
        (func (export "loop") (param $n i32) (result i32) (local $acc i32)
          (block $done
            (loop $again
              (br_if $done (i32.eqz (local.get $n)))
              (local.set $acc (call $inc (local.get $acc)))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br $again)))
          (local.get $acc)))
      """;

  @Test
  void printHostCallRoundTrip() {
    FuncType type = new FuncType(List.of(ValType.I32), List.of(ValType.I32));
    Engine engine = new Engine().withCompiler(WatCompiler.INSTANCE);
    try (NativeStore store = new NativeStore(); LoadedModule module = engine.compile(WatCompiler.wasm(WAT))) {
      ImportNamespace plain = new ImportNamespace(store).defineFunction("host", "inc", type,
          args -> List.of(new WasmValue.I32(((WasmValue.I32) args.getFirst()).value() + 1)));
      ImportNamespace withCaller = new ImportNamespace(store).defineFunction("host", "inc", type, (CallingInstance caller, List<WasmValue> args) ->
          List.of(new WasmValue.I32(((WasmValue.I32) args.getFirst()).value()
              + (caller.memory("memory").orElseThrow().byteSize() == 65536 ? 1 : 0))));
      ImportNamespace words = new ImportNamespace(store).defineWords("host", "inc", type, (caller, args) -> (int) args[0] + 1);
      try (LoadedInstance a = plain.instantiate(module); LoadedInstance b = withCaller.instantiate(module);
          LoadedInstance c = words.instantiate(module)) {
        System.out.printf("host call round trip (native, best of 7 x %d): plain callback %.1f ns,"
            + " callback reading its caller's memory %.1f ns, word callback %.1f ns%n", CALLS,
            nsPerCall(a.function("loop")), nsPerCall(b.function("loop")), nsPerCall(c.function("loop")));
      }
    }
  }

  private static double nsPerCall(FunctionInstance loop) {
    double best = Double.MAX_VALUE;
    for (int round = 0; round < 7; round++) {
      long start = System.nanoTime();
      List<WasmValue> out = loop.call(new WasmValue.I32(CALLS));
      best = Math.min(best, (System.nanoTime() - start) / (double) CALLS);
      assertEquals(List.of(new WasmValue.I32(CALLS)), out);
    }
    return best;
  }
}
