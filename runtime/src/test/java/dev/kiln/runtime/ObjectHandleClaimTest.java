package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.loader.runtime.GcStress;
import dev.kiln.wat.Wat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every way a struct goes from a store to Java makes its {@link AnyRef} under the same hold of the
 * store as the read of its word, and every way back reads the handle's word under the hold that
 * hands it in: a collection, which moves the objects, runs only under a hold, so one on another
 * thread between the read and the handle would leave Java the object's old address, a forged
 * array's reach over 16 GiB past the heap once the guest shapes what lies there (red team 14 F4:
 * {@link Table#get}, {@link Func#call}'s results, an uncaught exception's payload).
 *
 * <p>{@link #everyPathConvertsUnderTheHoldThatReadTheWord} is deterministic, on one thread: the store
 * collects each time the hold is let go ({@link GcStress#COLLECT_ON_RELEASE_PROPERTY}), as another
 * thread could, so a conversion after the hold meets a moved object every time. {@link
 * #aSecondThreadCollectingNeverStalesAHandle} is the red team's race itself, bounded. x86-64: the
 * conversions are the runtime's, which AArch64 code shares (its collector runs on the same
 * thread's upcalls).
 */
class ObjectHandleClaimTest {
  private static final String WAT = """
      (module
        (type $s (struct (field i64) (field i64)))
        (type $arr (array (mut i64)))
        (table $t (export "t") 2 anyref)
        (global $g (export "g") (mut anyref) (ref.null any))
        (tag $x (export "x") (param anyref))
        (func (export "init")
          (table.set $t (i32.const 1) (struct.new $s (i64.const 0x1111) (i64.const 0x2222)))
          (global.set $g (table.get $t (i32.const 1))))
        (func (export "get") (result anyref) (table.get $t (i32.const 1)))
        (func (export "throw") (throw $x (table.get $t (i32.const 1))))
        ;; 1 when the reference is the struct, 2 when it is no $s, 3 when its field is wrong
        (func (export "check") (param anyref) (result i32)
          (if (i32.eqz (ref.test (ref $s) (local.get 0))) (then (return (i32.const 2))))
          (if (i64.ne (struct.get $s 1 (ref.cast (ref $s) (local.get 0))) (i64.const 0x2222))
            (then (return (i32.const 3))))
          (i32.const 1))
        ;; garbage in front of the struct, so each collection moves it
        (func (export "churn") (param $n i32)
          (table.set $t (i32.const 0) (array.new_default $arr (local.get $n)))
          (loop $l
            (drop (array.new_default $arr (i32.const 6000)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br_if $l (i32.gt_s (local.get $n) (i32.const 0))))))
      """;

  private static Instance instantiate(Store store, Engine engine) {
    Instance instance = new Linker(store).instantiate(WasmModule.compile(engine, Wat.toBinaryWithNames(WAT,
        "handle-claim.wat")));
    instance.func("init").call();
    return instance;
  }

  /** The ways a struct reaches Java, each a fresh handle. */
  private static Map<String, Supplier<Val>> reads(Instance instance) {
    Table table = instance.table("t");
    Func get = instance.func("get");
    Func thrower = instance.func("throw");
    Global global = instance.global("g");
    return Map.of(
        "Table.get", () -> table.get(1),
        "Func.call result", () -> get.call().getFirst(),
        "uncaught exception payload", () -> payloadOf(thrower),
        "Global.get", global::get);
  }

  /** The payload of the exception {@code thrower} ends with. */
  private static Val payloadOf(Func thrower) {
    try {
      thrower.call();
    } catch (WasmThrow thrown) {
      return thrown.payload().getFirst();
    }
    throw new AssertionError("the function returned");
  }

  @Test
  void everyPathConvertsUnderTheHoldThatReadTheWord() {
    Engine engine = Engine.builder().target(Target.X86_64).build();
    String before = System.setProperty(GcStress.COLLECT_ON_RELEASE_PROPERTY, "true");
    Store store;
    try {
      store = new Store(engine);
    } finally {
      if (before == null) {
        System.clearProperty(GcStress.COLLECT_ON_RELEASE_PROPERTY);
      } else {
        System.setProperty(GcStress.COLLECT_ON_RELEASE_PROPERTY, before);
      }
    }
    try (store) {
      Instance instance = instantiate(store, engine);
      Func check = instance.func("check");
      Table table = instance.table("t");
      // every path checked, each failure reported (assertAll)
      assertAll(new TreeMap<>(reads(instance)).entrySet().stream().map(read -> () -> {
        long collections = store.gcStatistics().collections();
        Val value = read.getValue().get();
        assertInstanceOf(Val.Gc.class, value, read.getKey());
        // the handle goes back in (Func.call, Table.set, Global.set) under the hold that uses it
        assertEquals(List.of(Val.i32(1)), check.call(value), read.getKey());
        table.set(1, value);
        instance.global("g").set(value);
        assertEquals(List.of(Val.i32(1)), check.call(table.get(1)), read.getKey() + ", then Table.set");
        assertEquals(List.of(Val.i32(1)), check.call(instance.global("g").get()), read.getKey() + ", then Global.set");
        assertTrue(store.gcStatistics().collections() > collections + 3, "the object moved between the holds");
      }));
    }
  }

  @Test
  void aSecondThreadCollectingNeverStalesAHandle() throws InterruptedException {
    Engine engine = Engine.builder().target(Target.X86_64).build();
    try (Store store = Store.builder(engine).maxMemoryBytes(2L << 20).build()) {
      Instance instance = instantiate(store, engine);
      Func churn = instance.func("churn");
      Func check = instance.func("check");
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong churns = new AtomicLong();
      Thread collector = new Thread(() -> {
        for (int n = 1; !stop.get(); n = n % 97 + 1) {
          try {
            churn.call(Val.i32(n));
            churns.incrementAndGet();
          } catch (IllegalStateException busy) {
            Thread.onSpinWait();
          }
        }
      }, "collector");
      collector.start();
      Map<String, Long> outcomes = new TreeMap<>();
      try {
        // at least 1.5 s of racing, and then until every path has been read once (a loaded machine
        // may give the reading thread little of that time); 60 s bounds a path that never succeeds
        long start = System.nanoTime();
        Set<String> pathsRead = new HashSet<>();
        while (System.nanoTime() - start < 1_500_000_000L
            || (pathsRead.size() < reads(instance).size() && System.nanoTime() - start < 60_000_000_000L)) {
          for (var read : reads(instance).entrySet()) {
            String outcome;
            try {
              Val value = read.getValue().get();
              outcome = value instanceof Val.Gc ? checked(check, value) : "not an object";
            } catch (IllegalStateException e) {
              if (busy(e)) {
                continue;
              }
              outcome = "refused: " + e.getMessage();
            }
            outcomes.merge(read.getKey() + ": " + outcome, 1L, Long::sum);
            pathsRead.add(read.getKey());
          }
        }
      } finally {
        stop.set(true);
        collector.join();
      }
      assertTrue(outcomes.keySet().stream().allMatch(k -> k.endsWith(": ok")), outcomes::toString);
      assertEquals(reads(instance).size(), outcomes.size(), "every path read: " + outcomes);
      assertTrue(churns.get() > 0 && store.gcStatistics().collections() > 0, "the other thread collected");
    }
  }

  /** What {@code check} says of {@code value}, retried while the other thread holds the store. */
  private static String checked(Func check, Val value) {
    while (true) {
      try {
        int result = ((Val.I32) check.call(value).getFirst()).value();
        return result == 1 ? "ok" : "stale (" + result + ")";
      } catch (IllegalStateException e) {
        if (!busy(e)) {
          return "refused: " + e.getMessage();
        }
        Thread.onSpinWait();
      }
    }
  }

  /** Whether {@code e} says the other thread holds the store (the one refusal the race expects). */
  private static boolean busy(IllegalStateException e) {
    return e.getMessage().contains("is in use by thread");
  }
}
