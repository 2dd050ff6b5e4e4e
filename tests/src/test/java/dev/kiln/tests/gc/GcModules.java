package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.GcStress;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.tests.support.Artifacts;

/**
 * What this package's tests share: a GC module's text compiled and loaded for one target, and the
 * recursive tree code ({@link #TREES}) both the safepoint and the collector tests run, since it
 * holds a reference across a call at every level.
 */
final class GcModules {
  private GcModules() {}

  /**
   * Module fields to put inside a {@code (module ...)}, after its imports: the type {@code $node}
   * (a list cell), {@code $sum} (the sum of a list's values; a damaged list, a cycle through a
   * stale address, traps instead of looping), {@code $list} (a fresh list n..1 with a dropped node
   * of garbage per element) and {@code $listFrom} (n nodes of values add + n .. add + 1, no garbage).
   */
  static final String LISTS = """
        (type $node (struct (field $v i32) (field $next (ref null $node))))
        (func $sum (param $l (ref null $node)) (result i32)
          (local $s i32) (local $count i32)
          (block $done (loop $again
            (br_if $done (ref.is_null (local.get $l)))
            (local.set $count (i32.add (local.get $count) (i32.const 1)))
            (if (i32.gt_u (local.get $count) (i32.const 100000)) (then unreachable))
            (local.set $s (i32.add (local.get $s) (struct.get $node $v (local.get $l))))
            (local.set $l (struct.get $node $next (local.get $l)))
            (br $again)))
          (local.get $s))
        (func $list (param $n i32) (result (ref null $node))
          (local $l (ref null $node))
          (block $done (loop $again
            (br_if $done (i32.eqz (local.get $n)))
            (drop (struct.new $node (i32.const -1) (ref.null $node)))
            (local.set $l (struct.new $node (local.get $n) (local.get $l)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br $again)))
          (local.get $l))
        (func $listFrom (param $n i32) (param $add i32) (result (ref null $node))
          (local $l (ref null $node))
          (block $done (loop $again
            (br_if $done (i32.eqz (local.get $n)))
            (local.set $l (struct.new $node (i32.add (local.get $add) (local.get $n)) (local.get $l)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br $again)))
          (local.get $l))
      """;

  /**
   * Module fields to put inside a {@code (module ...)}: the type {@code $tree}, {@code $make}
   * (a full tree of depth {@code $d}, each node's value its level; it holds {@code $left} across
   * its second call) and {@code $tsum} (the sum of the values; it holds {@code $t} across its
   * first call).
   */
  static final String TREES = """
        (type $tree (struct (field $l (ref null $tree)) (field $r (ref null $tree)) (field $v i32)))
        (func $make (param $d i32) (result (ref null $tree))
          (local $left (ref null $tree))
          (if (result (ref null $tree)) (i32.eqz (local.get $d))
            (then (ref.null $tree))
            (else
              (local.set $left (call $make (i32.sub (local.get $d) (i32.const 1))))
              (struct.new $tree (local.get $left) (call $make (i32.sub (local.get $d) (i32.const 1)))
                  (local.get $d)))))
        (func $tsum (param $t (ref null $tree)) (result i32)
          (if (result i32) (ref.is_null (local.get $t))
            (then (i32.const 0))
            (else (i32.add (struct.get $tree $v (local.get $t))
              (i32.add (call $tsum (struct.get $tree $l (local.get $t)))
                       (call $tsum (struct.get $tree $r (local.get $t))))))))
      """;

  /**
   * The module {@code wat} compiled for {@code target} without fuel or epoch checks and loaded;
   * the test is skipped (an assumption) where this host cannot run that target's code.
   */
  static LoadedModule load(Target target, String wat) {
    assumeTrue(Executors.canRun(target), "this host cannot run " + target + " code");
    return LoadedModule.fromBytes(Artifacts.fromWat(wat, Artifacts.backend(target),
        CompileOptions.defaults().withLimits(ExecutionLimits.NONE)), null, ExecutionLimits.NONE);
  }

  /**
   * {@code module} instantiated in {@code store} with the collect-at-every-allocation mode on
   * ({@link GcStress}), which the instance keeps for its life.
   */
  static LoadedInstance instantiateCollectingAlways(LoadedModule module, NativeStore store) {
    System.setProperty(GcStress.PROPERTY, "true");
    try {
      return LoadedInstance.instantiate(module, store);
    } finally {
      System.clearProperty(GcStress.PROPERTY);
    }
  }
}
