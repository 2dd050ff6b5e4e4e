package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.ObjectHandles;
import dev.kiln.loader.runtime.WasmValue;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The copying collector (loader runtime.GcCollector, GcHeap's semispaces) run from the host between
 * calls, on x86-64 and AArch64, with the heap verifier on: objects reachable from reference globals
 * and from words Java holds survive with their contents, moved, and the code goes on with the new
 * addresses (lists, trees, arrays of references, i31s and nulls among them); garbage is dropped and
 * its chunks go back to the store's memory limit; a second collection moves everything back.
 */
class GcCollectorTest {
  private static final String GRAPHS = """
      (module
        (type $node (struct (field $v i32) (field $next (mut (ref null $node)))))
        (type $refs (array (mut anyref)))
        (global $list (mut (ref null $node)) (ref.null $node))
        (global $trees (mut (ref null $refs)) (ref.null $refs))
      """ + GcModules.TREES + """
        ;; a list of n nodes n..1 in $list, and as much garbage: a node made and dropped per element
        (func (export "build") (param $n i32)
          (loop $again
            (drop (struct.new $node (i32.const -1) (ref.null $node)))
            (global.set $list (struct.new $node (local.get $n) (global.get $list)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br_if $again (local.get $n)))
          ;; slot 0 a tree, 1 an i31, 2 null, 3 the list again
          (global.set $trees (array.new_default $refs (i32.const 4)))
          (array.set $refs (global.get $trees) (i32.const 0) (call $make (i32.const 6)))
          (array.set $refs (global.get $trees) (i32.const 1) (ref.i31 (i32.const 77)))
          (array.set $refs (global.get $trees) (i32.const 3) (global.get $list)))
        (func (export "list_sum") (result i32)
          (local $l (ref null $node)) (local $s i32)
          (local.set $l (global.get $list))
          (block $done (loop $again
            (br_if $done (ref.is_null (local.get $l)))
            (local.set $s (i32.add (local.get $s) (struct.get $node $v (local.get $l))))
            (local.set $l (struct.get $node $next (local.get $l)))
            (br $again)))
          (local.get $s))
        (func (export "tree_sum") (result i32)
          (call $tsum (ref.cast (ref null $tree) (array.get $refs (global.get $trees) (i32.const 0)))))
        (func (export "i31") (result i32)
          (i31.get_u (ref.cast (ref i31) (array.get $refs (global.get $trees) (i32.const 1)))))
        (func (export "same_list") (result i32)
          (ref.eq (ref.cast (ref null eq) (array.get $refs (global.get $trees) (i32.const 3))) (global.get $list)))
        (func (export "fresh") (param i32) (result anyref) (struct.new $node (local.get 0) (ref.null $node)))
        (func (export "value") (param anyref) (result i32) (struct.get $node $v (ref.cast (ref $node) (local.get 0)))))
      """;

  private static LoadedModule load(Target target) {
    return GcModules.load(target, GRAPHS);
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void reachableObjectsSurviveMovedAndGarbageIsDropped(Target target) {
    try (NativeStore store = new NativeStore(); LoadedModule module = load(target);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      int n = 2000;
      instance.invoke("build", n);
      long held = instance.invoke("fresh", 4242L).getFirst().bits();
      long[] roots = {held};
      long firstBase = store.context().get(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_BASE);
      long usedBefore = store.context().get(ValueLayout.JAVA_LONG, StoreLayout.MEMORY_BYTES_USED);
      long topBefore = store.context().get(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_TOP)
          - store.context().get(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_BASE);

      long live = store.collectGarbage(roots, true);

      // the list (2000 nodes of 24 bytes), the tree (63 of 32), the array (40), the held node (24)
      assertEquals(n * 24L + 63 * 32 + 40 + 24, live);
      assertTrue(live < topBefore, "the dropped nodes are gone: " + live + " of " + topBefore);
      assertTrue(store.context().get(ValueLayout.JAVA_LONG, StoreLayout.MEMORY_BYTES_USED) <= usedBefore);
      assertNotEquals(held, roots[0], "the held object moved");
      expectGraphs(instance, n, roots[0]);

      long again = store.collectGarbage(roots, true);
      assertEquals(live, again, "nothing more to drop");
      assertEquals(firstBase, store.context().get(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_BASE),
          "two semispaces: the second collection copies back into the first");
      assertTrue(roots[0] - firstBase < live, "the held object is in the first semispace again");
      expectGraphs(instance, n, roots[0]);
      instance.invoke("build", 10); // allocation goes on after a collection, in zeroed memory
      assertEquals(55 + n * (n + 1) / 2, instance.invoke("list_sum").getFirst().bits());
    }
  }

  /**
   * The verifier is what the stress runs trust: a reference into the middle of an object, or into the
   * evacuated semispace, must fail it.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void verifierFindsReferencesThatAreNoObjectStart(Target target) {
    try (NativeStore store = new NativeStore(); LoadedModule module = load(target);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      instance.invoke("build", 10);
      long held = instance.invoke("fresh", 1L).getFirst().bits();
      long[] roots = {held};
      store.collectGarbage(roots, true);
      assertEquals(10 + 63 + 1 + 1, store.verifyHeap(roots));
      assertThrows(IllegalStateException.class, () -> store.verifyHeap(new long[] {roots[0] + 8}), "inside an object");
      assertThrows(IllegalStateException.class, () -> store.verifyHeap(new long[] {held}), "the old copy");
      // a field pointing into the middle of the held node
      long field = roots[0] + 16;
      java.lang.foreign.MemorySegment.ofAddress(field).reinterpret(8).set(ValueLayout.JAVA_LONG, 0, roots[0] + 8);
      assertThrows(IllegalStateException.class, () -> store.verifyHeap(roots), "a field inside an object");
    }
  }

  /**
   * An object Java holds through the public API's handle table (an {@code AnyRef}'s slot) is a root:
   * it survives a collection that nothing else keeps it through, and its slot names it at its new
   * address.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void objectHandlesAreRootsAndFollowTheirObjects(Target target) {
    try (NativeStore store = new NativeStore(); LoadedModule module = load(target);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      ObjectHandles handles = store.attachment(ObjectHandles.class, () -> new ObjectHandles(store, 16));
      long word = instance.invoke("fresh", 9091L).getFirst().bits();
      int slot = store.exclusive("test", () -> handles.add(word, NativeStore.ObjectKind.STRUCT));
      instance.invoke("build", 100); // garbage and live objects around it

      store.collectGarbage(new long[0], true);

      long moved = store.exclusive("test", () -> handles.word(slot, NativeStore.ObjectKind.STRUCT));
      assertNotEquals(word, moved, "the handle's object moved and the slot followed it");
      assertEquals(100 + 63 + 1 + 1, store.verifyHeap(new long[0]), "the list, tree, array and the held node");
      assertEquals(9091, instance.invoke("value", List.of(new WasmValue.Ref(ValType.EXTERNREF, moved)))
          .getFirst().bits());
    }
  }

  private static void expectGraphs(LoadedInstance instance, int n, long held) {
    assertEquals((long) n * (n + 1) / 2, instance.invoke("list_sum").getFirst().bits());
    long treeSum = 0;
    for (int k = 1; k <= 6; k++) {
      treeSum += (long) k << (6 - k);
    }
    assertEquals(treeSum, instance.invoke("tree_sum").getFirst().bits());
    assertEquals(77, instance.invoke("i31").getFirst().bits());
    assertEquals(1, instance.invoke("same_list").getFirst().bits());
    assertEquals(4242, instance.invoke("value", List.of(new WasmValue.Ref(ValType.EXTERNREF, held))).getFirst().bits());
  }
}
