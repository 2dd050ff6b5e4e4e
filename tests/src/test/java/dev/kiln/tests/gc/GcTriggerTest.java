package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.GlobalType;
import dev.kiln.artifact.info.Limits;
import dev.kiln.artifact.info.TableType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.loader.global.GlobalInstance;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.table.TableInstance;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.StoreLimits;
import dev.kiln.loader.runtime.TrapException;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Collections triggered by compiled code's allocation slow path (loader runtime.GcSlowPath), on
 * x86-64 and AArch64: the live objects are reachable only from wasm locals, operand stacks and a
 * struct.new's own operands, in frames of a recursion, so they survive only if the frame walk finds
 * every safepoint's slots and the collector rewrites them; the garbage allocated meanwhile is many
 * times the store's memory limit. A guest that keeps everything it allocates traps with the heap's
 * out-of-memory trap, and the store goes on working.
 */
class GcTriggerTest {
  static final String PROGRAM = """
      (module
      """ + GcModules.LISTS + """
        (type $pair (struct (field $a (ref null $node)) (field $b (ref null $node))))
        (type $refs (array (mut (ref null $node))))
        ;; depth frames each holding a list in a local and in an array, and one on the operand stack
        ;; across the recursive call (then a pair made from it and another, struct.new's operands
        ;; across its own allocation), each level making ten lists' worth of garbage after the call
        (func $deep (param $depth i32) (param $n i32) (result i32)
          (local $mine (ref null $node)) (local $arr (ref null $refs)) (local $p (ref null $pair))
          (local $r i32)
          (local.set $mine (call $list (local.get $n)))
          (local.set $arr (array.new $refs (local.get $mine) (i32.const 3)))
          (if (i32.eqz (local.get $depth))
            (then (drop (call $list (i32.mul (local.get $n) (i32.const 8)))))
            (else
              (local.set $p (struct.new $pair
                (call $list (local.get $n))
                (block (result (ref null $node))
                  (local.set $r (call $deep (i32.sub (local.get $depth) (i32.const 1)) (local.get $n)))
                  (call $list (local.get $n)))))
              (drop (call $list (i32.mul (local.get $n) (i32.const 10))))
              (local.set $r (i32.add (local.get $r)
                (i32.add (call $sum (struct.get $pair $a (local.get $p)))
                         (call $sum (struct.get $pair $b (local.get $p))))))))
          (i32.add (local.get $r)
            (i32.add (call $sum (local.get $mine))
                     (call $sum (array.get $refs (local.get $arr) (i32.const 2))))))
        (func (export "deep") (param i32 i32) (result i32) (call $deep (local.get 0) (local.get 1)))
        ;; keeps every node: never ends but by a trap
        (func (export "hoard") (result i32)
          (local $l (ref null $node))
          (loop $again
            (local.set $l (struct.new $node (i32.const 1) (local.get $l)))
            (br $again))
          (i32.const 0))
        (func (export "small") (result i32) (call $sum (call $list (i32.const 10)))))
      """;

  /**
   * A small function the inliner takes, called while the caller holds a reference: its allocations
   * (and, through a wrapper, a large callee's) collect, so each of its calls must be a safepoint that
   * lists the caller's slots. Inlined at a call that was one, they did not: the caller's local kept
   * the object's old address, read another object's field (1 instead of 1000), and with a forged
   * array over it read and wrote outside the heap (red team 11 F1). Each call of the inlined body
   * now carries the call site's stack map ({@code CallInliner}); {@code $wrap}, whose only call site
   * is such a safepoint, is inlined (its code is gone from the artifact).
   */
  private static final String INLINED_CALLEE = """
      (module
        (type $S (struct (field $v (mut i64))))
        (func $churn (param $n i32)
          (local $i i32)
          (loop $l
            (drop (struct.new $S (i64.const 1)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
        (func $wrap (param $n i32) (call $churn (local.get $n)))
        (func (export "inlinedAllocation") (param $n i32) (result i64)
          (local $a (ref null $S))
          (local.set $a (struct.new $S (i64.const 1000)))
          (call $churn (local.get $n))
          (struct.get $S 0 (local.get $a)))
        (func (export "inlinedCall") (param $n i32) (result i64)
          (local $a (ref null $S))
          (local.set $a (struct.new $S (i64.const 1000)))
          (call $wrap (local.get $n))
          (struct.get $S 0 (local.get $a))))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void aReferenceHeldAcrossASmallCalleeThatCollectsStaysARoot(Target target) {
    try (NativeStore store = new NativeStore(); LoadedModule module = GcModules.load(target, INLINED_CALLEE);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      assertEquals(1000, instance.invoke("inlinedAllocation", 300_000).getFirst().bits());
      assertEquals(1000, instance.invoke("inlinedCall", 300_000).getFirst().bits());
      assertTrue(store.gcCollections() > 0, "the churn collected");
      assertTrue(module.code(FuncKey.definedWasmFunction(0, 1)).isEmpty(), "$wrap was inlined at the safepoint");
    }
  }

  /** Every level's own list twice (local, array), every level but the last the pair's two lists. */
  static long expected(int depth, int n) {
    long list = (long) n * (n + 1) / 2;
    return (depth + 1) * 2 * list + depth * 2 * list;
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void objectsHeldOnlyByWasmFramesSurviveCollectionsFromCompiledCode(Target target) {
    StoreLimits limits = StoreLimits.DEFAULTS.withMaxMemoryBytes(4L << 20);
    try (NativeStore store = new NativeStore(limits); LoadedModule module = GcModules.load(target, PROGRAM);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      int depth = 20;
      int n = 300;
      long result = instance.invoke("deep", depth, n).getFirst().bits();
      assertEquals(expected(depth, n), (int) result);
      assertTrue(store.gcCollections() > 0, "the slow path collected");
      assertEquals(0, store.gcRefusals());
    }
  }

  /**
   * {@code outer} holds a list in a local across a host call, which calls {@code outer} again (one
   * activation more per level) or, at the last level, {@code churn} in the same store.
   */
  private static final String NESTED = """
      (module
        (import "env" "reenter" (func $reenter (param i32) (result i32)))
      """ + GcModules.LISTS + """
        (func (export "outer") (param $level i32) (result i32)
          (local $mine (ref null $node))
          (local.set $mine (call $listFrom (i32.const 1000) (i32.mul (local.get $level) (i32.const 1000))))
          (i32.add (call $reenter (local.get $level)) (call $sum (local.get $mine))))
        ;; garbage: $rounds lists of 1000 nodes, 24 KB each
        (func (export "churn") (param $rounds i32) (result i32)
          (local $i i32) (local $s i32)
          (loop $again
            (local.set $s (i32.add (local.get $s) (call $sum (call $listFrom (i32.const 1000) (i32.const 0)))))
            (br_if $again (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $rounds))))
          (local.get $s)))
      """;

  /**
   * While wasm called the host, which called wasm of the same store again (three activations
   * deep), the innermost one allocates 400 lists of garbage, 9.6 MB, in a store limited to 4 MiB.
   * Each outer activation holds a list only in a frame behind the host function's Java frames: the
   * slow path walks every activation's frames ({@code SuspendedActivations}), so it collects rather
   * than run out of heap, and each outer list is intact when its host call returns. Before, nested
   * activations refused collection and this churn trapped {@code out of memory}.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void aNestedActivationCollectsWithTheOuterActivationsFramesAsRoots(Target target) {
    StoreLimits limits = StoreLimits.DEFAULTS.withMaxMemoryBytes(4L << 20);
    int levels = 2;
    int rounds = 400;
    try (NativeStore store = new NativeStore(limits); LoadedModule module = GcModules.load(target, NESTED)) {
      ImportNamespace linker = new ImportNamespace(store, target);
      AtomicReference<LoadedInstance> self = new AtomicReference<>();
      linker.defineFunction("env", "reenter", new FuncType(List.of(ValType.I32), List.of(ValType.I32)), args -> {
        int level = (int) args.getFirst().bits();
        // the host's own collection still refuses: it is no safepoint of the frames below it
        assertThrows(IllegalStateException.class, () -> store.collectGarbage(new long[0], false));
        WasmValue result = level == 0
            ? self.get().invoke("churn", rounds).getFirst()
            : self.get().invoke("outer", level - 1).getFirst();
        return List.of(result);
      });
      try (LoadedInstance instance = linker.instantiate(module)) {
        self.set(instance);
        int expected = rounds * 500500;
        for (int level = 0; level <= levels; level++) {
          expected += 1000 * (level * 1000) + 500500; // each level's list: 1000 nodes from level * 1000 + 1
        }
        assertEquals(expected, (int) instance.invoke("outer", levels).getFirst().bits());
        assertTrue(store.gcCollections() > 0, "the innermost activation collected");
        assertEquals(0, store.gcRefusals(), "no activation's frames were left unwalked");
      }
    }
  }

  /** Objects kept only in a host global and a host table (externref: internalised anyrefs). */
  private static final String HOST_HELD = """
      (module
        (import "env" "g" (global $g (mut externref)))
        (import "env" "t" (table $t 2 externref))
      """ + GcModules.LISTS + """
        (func (export "run") (result i32)
          (local $i i32)
          (global.set $g (extern.convert_any (call $listFrom (i32.const 100) (i32.const 1000))))
          (table.set $t (i32.const 1) (extern.convert_any (call $listFrom (i32.const 200) (i32.const 1000))))
          ;; 500 lists of garbage, 1.2 MB: more than a collection's threshold
          (loop $again
            (drop (call $listFrom (i32.const 100) (i32.const 0)))
            (br_if $again (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 500))))
          (i32.add (call $sum (ref.cast (ref null $node) (any.convert_extern (global.get $g))))
                   (call $sum (ref.cast (ref null $node) (any.convert_extern (table.get $t (i32.const 1))))))))
      """;

  /** A host global's and a host table's words are roots while they live (NativeStore.registerGcRoots with their arena). */
  @ParameterizedTest
  @EnumSource(Target.class)
  void objectsInHostGlobalsAndTablesSurviveCollections(Target target) {
    try (NativeStore store = new NativeStore(StoreLimits.DEFAULTS.withMaxMemoryBytes(16L << 20));
        LoadedModule module = GcModules.load(target, HOST_HELD);
        GlobalInstance global = GlobalInstance.create(store, new GlobalType(ValType.EXTERNREF, true),
            new WasmValue.Ref(ValType.EXTERNREF, 0));
        TableInstance table = TableInstance.createHost(store,
            new TableType(ValType.EXTERNREF, new Limits(2, OptionalLong.empty()), false), 0, false)) {
      ImportNamespace linker = new ImportNamespace(store, target);
      linker.define("env", "g", new Extern.Global(global));
      linker.define("env", "t", new Extern.Table(table));
      try (LoadedInstance instance = linker.instantiate(module)) {
        // 100 nodes of 1001..1100 and 200 of 1001..1200
        assertEquals(100 * 1000 + 5050 + 200 * 1000 + 20100, (int) instance.invoke("run").getFirst().bits());
        assertTrue(store.gcCollections() > 0, "the garbage collected");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aGuestThatKeepsEverythingTrapsOutOfMemoryAndTheStoreGoesOn(Target target) {
    StoreLimits limits = StoreLimits.DEFAULTS.withMaxMemoryBytes(8L << 20);
    try (NativeStore store = new NativeStore(limits); LoadedModule module = GcModules.load(target, PROGRAM);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      TrapException trap = assertThrows(TrapException.class, () -> instance.invoke("hoard"));
      assertEquals(TrapCode.GC_HEAP_EXHAUSTED, trap.code());
      assertTrue(store.gcCollections() > 0, "it collected before giving up");
      assertEquals(55, (int) instance.invoke("small").getFirst().bits());
    }
  }
}
