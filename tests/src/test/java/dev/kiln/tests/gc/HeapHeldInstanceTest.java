package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.GlobalType;
import dev.kiln.artifact.info.Limits;
import dev.kiln.artifact.info.TableType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.loader.global.GlobalInstance;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.loader.table.TableInstance;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.StoreResources;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Instances of GC modules are not pinned to their store: the collector decides (loader
 * runtime.HeapHeldOwners). A closed instance whose function reference a live object holds stays,
 * and its function runs through that object; once nothing reaches its references, a collection
 * frees it, its VMContext's bytes and its instance count given back. Its own global, which holds an
 * object with its own reference, does not keep it: the roots of a closed instance count only once
 * something else reaches it.
 */
class HeapHeldInstanceTest {
  /**
   * Each instance makes a box of its own function (kept in its global {@code $mine} too) and holds
   * one box, anyone's, in {@code $held}, whose function {@code call} calls.
   */
  private static final String BOXES = """
      (module
        (type $f (func (result i32)))
        (type $box (struct (field (ref $f))))
        (global $mine (mut anyref) (ref.null any))
        (global $held (mut anyref) (ref.null any))
        (func $secret (type $f) (i32.const 42))
        (func $nothing (type $f) (i32.const 0))
        (elem declare func $secret $nothing)
        (func (export "make") (result anyref)
          (global.set $mine (struct.new $box (ref.func $secret)))
          (global.get $mine))
        (func (export "other") (result anyref) (struct.new $box (ref.func $nothing)))
        (func (export "keep") (param anyref) (global.set $held (local.get 0)))
        (func (export "drop") (global.set $held (ref.null any)))
        (func (export "call") (result i32)
          (call_ref $f (struct.get $box 0 (ref.cast (ref $box) (global.get $held))))))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void aClosedInstanceLivesWhileAnObjectHoldsItsReferenceAndIsFreedAfter(Target target) {
    try (NativeStore store = new NativeStore(); LoadedModule boxes = GcModules.load(target, BOXES);
        LoadedInstance holding = LoadedInstance.instantiate(boxes, store)) {
      LoadedInstance made = LoadedInstance.instantiate(boxes, store);
      holding.invoke("keep", made.invoke("make").getFirst().bits());
      // an object of the holder's that Java holds: the heap keeps a chunk through both collections
      long[] other = {holding.invoke("other").getFirst().bits()};
      made.close();

      store.collectGarbage(other, true);
      long usedWithBoth = store.resources().memoryBytes().used();
      assertEquals(2, store.resources().count(StoreResources.Kind.INSTANCE), "an object holds its reference");
      assertEquals(42, holding.invoke("call").getFirst().bits(), "its function, through the holder's object");
      store.collectGarbage(other, true);
      assertEquals(42, holding.invoke("call").getFirst().bits(), "after a second collection");

      holding.invoke("drop");
      store.collectGarbage(other, true);
      assertEquals(1, store.resources().count(StoreResources.Kind.INSTANCE), "nothing reaches it: freed");
      assertEquals(usedWithBoth - made.hostBytes(), store.resources().memoryBytes().used(),
          "its VMContext's bytes given back");
      assertEquals(16, store.collectGarbage(other, true), "its own global's box went with it; the held one stays");
    }
  }

  /**
   * A store that instantiates and closes GC modules, each keeping an object with its own function
   * reference in its global, stays within a small instance limit: closing them makes the store
   * collect and free the unreachable ones (before, each stayed until the store closed and the
   * limit refused the 33rd).
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void instantiatingAndClosingGcModulesDoesNotGrowTheStore(Target target) {
    try (NativeStore store = new NativeStore(dev.kiln.loader.runtime.StoreLimits.DEFAULTS.withMaxInstances(32));
        LoadedModule boxes = GcModules.load(target, BOXES)) {
      for (int i = 0; i < 200; i++) {
        LoadedInstance made = LoadedInstance.instantiate(boxes, store);
        made.invoke("make");
        made.close();
      }
      assertTrue(store.resources().count(StoreResources.Kind.INSTANCE) <= 16,
          store.resources().count(StoreResources.Kind.INSTANCE) + " instances live");
      assertFalse(store.context().get(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_BASE) == 0);
    }
  }

  /**
   * A closed instance reached only through another closed one's global stays while that one is
   * reached: the roots of each reached candidate are traced in turn.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void aClosedInstanceReachedThroughAnotherClosedOnesGlobalStays(Target target) {
    try (NativeStore store = new NativeStore(); LoadedModule boxes = GcModules.load(target, BOXES);
        LoadedInstance outer = LoadedInstance.instantiate(boxes, store)) {
      LoadedInstance first = LoadedInstance.instantiate(boxes, store);
      LoadedInstance middle = LoadedInstance.instantiate(boxes, store);
      middle.invoke("keep", first.invoke("make").getFirst().bits());
      outer.invoke("keep", middle.invoke("make").getFirst().bits());
      first.close();
      middle.close();

      store.collectGarbage(new long[0], true);
      assertEquals(3, store.resources().count(StoreResources.Kind.INSTANCE), "outer reaches middle, middle first");
      assertEquals(42, outer.invoke("call").getFirst().bits());
      outer.invoke("drop");
      store.collectGarbage(new long[0], true);
      assertEquals(1, store.resources().count(StoreResources.Kind.INSTANCE), "both unreachable now");
    }
  }

  /**
   * Closed instances that reach one another only through their own globals' objects are all freed:
   * a chain of boxes from each to the previous one's function.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void closedInstancesReachedOnlyFromOneAnotherAreFreed(Target target) {
    try (NativeStore store = new NativeStore(); LoadedModule boxes = GcModules.load(target, BOXES)) {
      List<LoadedInstance> chain = new ArrayList<>();
      long previous = 0;
      for (int i = 0; i < 5; i++) {
        LoadedInstance made = LoadedInstance.instantiate(boxes, store);
        LoadedInstance holding = LoadedInstance.instantiate(boxes, store);
        holding.invoke("keep", previous == 0 ? made.invoke("make").getFirst().bits() : previous);
        previous = made.invoke("make").getFirst().bits();
        chain.add(made);
        chain.add(holding);
      }
      chain.forEach(LoadedInstance::close);
      store.collectGarbage(new long[0], true);
      assertEquals(0, store.resources().count(StoreResources.Kind.INSTANCE));
    }
  }

  /** Keeps a box of its own function in the host's externref global or table it imports. */
  private static String keepsInHost(String kind) {
    String keep = kind.equals("global")
        ? "(global.set $g (extern.convert_any (struct.new $box (ref.func $secret))))"
        : "(table.set $g (i32.const 0) (extern.convert_any (struct.new $box (ref.func $secret))))";
    return """
        (module
          (type $f (func (result i32)))
          (type $box (struct (field (ref $f))))
          (import "env" "g" %s)
          (func $secret (type $f) (i32.const 42))
          (elem declare func $secret)
          (func (export "keep") %s))
        """.formatted(kind.equals("global") ? "(global $g (mut externref))" : "(table $g 1 externref)", keep);
  }

  static List<Arguments> hostObjects() {
    List<Arguments> cases = new ArrayList<>();
    for (Target target : Target.values()) {
      cases.add(Arguments.of(target, "global"));
      cases.add(Arguments.of(target, "table"));
    }
    return cases;
  }

  /**
   * A host global or table is a counted edge too (red team 19 F4): a closed instance keeping its
   * reference in a closed host global or table it imports made a cycle (its roots counted while the
   * instance used it, and reached the instance). Both go at the next collection; while the host
   * object is open, its roots count and the instance stays.
   */
  @ParameterizedTest
  @MethodSource("hostObjects")
  void aClosedInstanceAndTheClosedHostObjectItKeepsItselfInAreFreed(Target target, String kind) {
    try (NativeStore store = new NativeStore(); LoadedModule module = GcModules.load(target, keepsInHost(kind))) {
      Extern host = kind.equals("global")
          ? new Extern.Global(GlobalInstance.create(store, new GlobalType(ValType.EXTERNREF, true),
              new WasmValue.Ref(ValType.EXTERNREF, 0)))
          : new Extern.Table(TableInstance.createHost(store,
              new TableType(ValType.EXTERNREF, new Limits(1, OptionalLong.empty()), false), 0, false));
      LoadedInstance keeper = LoadedInstance.instantiate(module, store, List.of(host));
      keeper.invoke("keep");
      keeper.close();
      store.collectGarbage(new long[0], true);
      assertEquals(1, store.resources().count(StoreResources.Kind.INSTANCE), "the open " + kind + " reaches it");
      host.owner().close();
      store.collectGarbage(new long[0], true);
      assertEquals(0, store.resources().count(StoreResources.Kind.INSTANCE), "nothing open reaches either");
      assertFalse(host.owner().isAlive(), "the host " + kind + " went with its last user");
    }
  }
}
