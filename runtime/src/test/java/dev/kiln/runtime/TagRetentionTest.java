package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.loader.runtime.TagRegistry;
import dev.kiln.wat.Wat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A long-lived store keeps a tag only while something can still name it (red team 10 F7: every tag
 * of every closed instance stayed, 5,000 tags x 2,000 instantiations held 950 MiB of Java heap
 * under a 16 MiB limit). Counted as the store's {@link TagRegistry} entries over instantiate and
 * close cycles, as an embedder running an instance per request would make them: none left by
 * instances that threw nothing (the heap holds no object that could name one); past its instances,
 * a tag stays exactly while a live exception object names it, as a collection finds (a held {@link
 * ExnRef} is thrown again after its instance is gone), and is charged to the store's memory limit
 * until it leaves; an instance per request that throws and drops its exceptions keeps a bounded
 * number whatever the count of cycles (the old rule kept every thrown tag until the store closed);
 * a tag imported by a live instance stays; a freed instance's tag thrown by a host function is
 * refused.
 */
class TagRetentionTest {
  private static final int TAGS = 200;
  private static final int CYCLES = 40;
  private static final String WAT = """
      (module
        (tag $e (export "e") (param i32))
        %s
        (func (export "quiet") (result i32) (i32.const 7))
        (func (export "caught-inside") (block $h (try_table (catch_all $h) (throw $e (i32.const 0)))))
        (func (export "catch") (param i32) (result exnref)
          (block $h (result exnref)
            (try_table (catch_all_ref $h) (throw $e (local.get 0)))
            (unreachable)))
        (func (export "rethrow") (param exnref) (throw_ref (local.get 0))))
      """.formatted("(tag (param i64 f64))\n".repeat(TAGS - 1));
  private static final int REQUESTS = 1_000;
  private static final int REQUEST_TAGS = 4;
  private static final String REQUEST = """
      (module
        (tag $e (param i32))
        (tag $unused1) (tag $unused2) (tag $unused3 (param i64))
        (func $throws (param i32) (throw $e (local.get 0)))
        (func (export "caught-by-caller") (param i32) (result i32)
          (block $h (result i32)
            (try_table (catch $e $h) (call $throws (local.get 0)))
            (unreachable)))
        (func (export "throw-out") (call $throws (i32.const 7))))
      """;
  private static final String IMPORTER = """
      (module
        (import "a" "e" (tag $e (param i32)))
        (func (export "throw") (param i32) (throw $e (local.get 0))))
      """;
  private static final String HOST_THROWER = """
      (module
        (import "env" "host" (func $host))
        (func (export "catch-all") (result i32)
          (block $h
            (try_table (catch_all $h) (call $host))
            (return (i32.const 0)))
          (i32.const 1)))
      """;

  private static void collect(Store store) {
    store.internal().collectGarbage(new long[0], false);
  }

  private static int retainedTags(Store store) {
    return store.internal().attached(TagRegistry.class).map(TagRegistry::size).orElse(0);
  }

  private static long memoryUsed(Store store) {
    return store.internal().resources().memoryBytes().used();
  }

  private static WasmModule module(Engine engine, String wat, String name) {
    return WasmModule.compile(engine, Wat.toBinaryWithNames(wat, name));
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void closedInstancesThatThrewNothingLeaveNoTags(Target target) {
    Engine engine = Engine.builder().target(target).build();
    try (WasmModule module = module(engine, WAT, "tags.wat"); Store store = new Store(engine)) {
      for (int cycle = 1; cycle <= CYCLES; cycle++) {
        Instance instance = new Linker(store).instantiate(module);
        assertEquals(TAGS, retainedTags(store), "while the instance lives, in cycle " + cycle);
        assertEquals(7, instance.func("quiet").call().getFirst().asInt());
        instance.close();
        assertEquals(0, retainedTags(store), "tags left after " + cycle + " instantiate/close cycles");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aTagStaysExactlyWhileALiveExceptionNamesItAndIsChargedMeanwhile(Target target) {
    Engine engine = Engine.builder().target(target).build();
    try (WasmModule module = module(engine, WAT, "tags.wat"); Store store = new Store(engine)) {
      List<Val> held = new ArrayList<>();
      List<Tag> tags = new ArrayList<>();
      for (int cycle = 1; cycle <= CYCLES; cycle++) {
        Instance instance = new Linker(store).instantiate(module);
        // an exception caught in its own function: the heap now holds an object
        instance.func("caught-inside").call();
        held.add(instance.func("catch").call(Val.i32(cycle)).getFirst());
        tags.add(instance.tag("e"));
        instance.close();
        assertTrue(retainedTags(store) >= cycle, "the held exceptions' tags outlive their instances");
        long beforeCollection = memoryUsed(store);
        int waiting = retainedTags(store) - (cycle - 1);
        collect(store);
        assertEquals(cycle, retainedTags(store), "one tag kept per held exception after cycle " + cycle);
        // the heap's accounted part is one chunk before and after: the difference is the tags' charges
        assertEquals((waiting - 1) * TagRegistry.RETAINED_BYTES, beforeCollection - memoryUsed(store),
            "the tags no live object names give their charge back");
      }
      // Every held exnref is still an exception of its (gone) instance's tag, thrown again elsewhere.
      Instance thrower = new Linker(store).instantiate(module);
      for (int i = 0; i < CYCLES; i++) {
        Val exn = held.get(i);
        WasmThrow thrown = assertThrows(WasmThrow.class, () -> thrower.func("rethrow").call(exn));
        assertEquals(tags.get(i), thrown.tag());
        assertEquals(List.of(Val.i32(i + 1)), thrown.payload());
      }
      thrower.close();
      collect(store);
      assertEquals(CYCLES, retainedTags(store));
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void anInstancePerRequestThatThrowsAndDropsItsExceptionsKeepsABoundedNumberOfTags(Target target) {
    Engine engine = Engine.builder().target(target).build();
    try (WasmModule module = module(engine, REQUEST, "request.wat"); Store store = new Store(engine)) {
      int most = 0;
      for (int cycle = 1; cycle <= REQUESTS; cycle++) {
        Instance instance = new Linker(store).instantiate(module);
        // thrown out of the function (the unwinder's walk), caught by its caller and dropped
        assertEquals(cycle, instance.func("caught-by-caller").call(Val.i32(cycle)).getFirst().asInt());
        // thrown out to Java and dropped there
        assertThrows(WasmThrow.class, () -> instance.func("throw-out").call());
        instance.close();
        most = Math.max(most, retainedTags(store));
      }
      // a collection is due once 256 tags wait for it: then none of these is named any longer
      assertTrue(most <= 256 + REQUEST_TAGS, "at most " + most + " tags kept over " + REQUESTS + " requests");
      collect(store);
      assertEquals(0, retainedTags(store), "no live exception names a tag of a freed instance");
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aTagStaysWhileAnImporterLives(Target target) {
    Engine engine = Engine.builder().target(target).build();
    try (WasmModule exporter = module(engine, WAT, "tags.wat");
        WasmModule importer = module(engine, IMPORTER, "importer.wat");
        Store store = new Store(engine)) {
      for (int cycle = 1; cycle <= CYCLES / 4; cycle++) {
        Instance a = new Linker(store).instantiate(exporter);
        Tag e = a.tag("e");
        Instance b = new Linker(store).instance("a", a).instantiate(importer);
        a.close();
        WasmThrow thrown = assertThrows(WasmThrow.class, () -> b.func("throw").call(Val.i32(5)));
        assertEquals(e, thrown.tag(), "the importer's throw still names the exporter's tag");
        b.close();
        collect(store);
        assertEquals(0, retainedTags(store), "the exception reached Java and died: its tag left");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aHostFunctionThrowingAFreedInstancesTagIsRefused(Target target) {
    Engine engine = Engine.builder().target(target).build();
    try (WasmModule module = module(engine, WAT, "tags.wat"); Store store = new Store(engine)) {
      Instance gone = new Linker(store).instantiate(module);
      Tag freed = gone.tag("e");
      gone.close();
      AtomicReference<Tag> throwing = new AtomicReference<>(freed);
      Instance host = new Linker(store)
          .func("env", "host", FuncType.of(List.of(), List.of()), (caller, args) -> {
            throw new WasmThrow(throwing.get(), List.of(Val.i32(1)));
          })
          .instantiate(module(engine, HOST_THROWER, "host-thrower.wat"));
      Trap trap = assertThrows(Trap.class, () -> host.func("catch-all").call());
      IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, trap.getCause());
      assertTrue(cause.getMessage().contains("freed instance"), cause.getMessage());
      Instance live = new Linker(store).instantiate(module);
      throwing.set(live.tag("e"));
      assertEquals(1, host.func("catch-all").call().getFirst().asInt(), "a live instance's tag is thrown and caught");
    }
  }
}
