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
 * instances that threw nothing; one per exception object's tag, which must stay (a held {@link
 * ExnRef} is thrown again after its instance is gone, and a collection reads its payload types) and
 * is charged to the store's memory limit; a tag imported by a live instance stays; a freed
 * instance's tag thrown by a host function is refused.
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
  void aTagAnExceptionCarriesOutlivesItsInstanceAndIsCharged(Target target) {
    Engine engine = Engine.builder().target(target).build();
    try (WasmModule module = module(engine, WAT, "tags.wat"); Store store = new Store(engine)) {
      List<Val> held = new ArrayList<>();
      List<Tag> tags = new ArrayList<>();
      for (int cycle = 1; cycle <= CYCLES; cycle++) {
        Instance instance = new Linker(store).instantiate(module);
        // an exception caught in its own function reaches nothing outside it: its tag is not kept,
        // but its object gives the store's GC heap its first chunk before the measured calls
        instance.func("caught-inside").call();
        long before = memoryUsed(store);
        held.add(instance.func("catch").call(Val.i32(cycle)).getFirst());
        long first = memoryUsed(store) - before;
        instance.func("catch").call(Val.i32(-cycle));
        long second = memoryUsed(store) - before - first;
        assertEquals(TagRegistry.RETAINED_BYTES, first - second,
            "the first exception object of a tag pays for keeping the tag, the second does not");
        tags.add(instance.tag("e"));
        instance.close();
        assertEquals(cycle, retainedTags(store), "one carried tag kept per closed instance after cycle " + cycle);
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
      assertEquals(CYCLES, retainedTags(store));
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
        assertEquals(cycle, retainedTags(store), "only the carried tag of each cycle is kept");
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
