package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wat.Wat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two closed instances in a cycle through an import (red team 19 F4): {@code h}, held by the heap,
 * imports {@code p}'s anyref global (or exnref table) and keeps there a struct (or its exception)
 * carrying its own function reference. {@code h}'s import counts it as a user of {@code p}, the owner
 * decision traces: the decision must free both when nothing open reaches them, and keep both while
 * an open instance or Java still does.
 */
class ClosedInstanceCycleTest {
  private static final String P_GLOBAL = "(module (global (export \"g\") (mut anyref) (ref.null any)))";
  private static final String H_GLOBAL = """
      (module
        (type $v (func (result i32)))
        (type $box (struct (field funcref)))
        (import "p" "g" (global $g (mut anyref)))
        (import "holder" "any" (global $holder (mut anyref)))
        (func $mine (type $v) (i32.const 42))
        (elem declare func $mine)
        (func (export "keep") (global.set $g (struct.new $box (ref.func $mine))))
        (func (export "share") (global.set $holder (global.get $g))))
      """;
  private static final String P_TABLE = "(module (table (export \"t\") 1 exnref))";
  private static final String H_TABLE = """
      (module
        (type $v (func (result i32)))
        (import "p" "t" (table $t 1 exnref))
        (import "holder" "exn" (global $holder (mut exnref)))
        (tag $tag (param funcref))
        (func $mine (type $v) (i32.const 42))
        (elem declare func $mine)
        (func (export "keep")
          (table.set $t (i32.const 0)
            (block $h (result exnref)
              (try_table (catch_all_ref $h) (throw $tag (ref.func $mine)))
              (unreachable))))
        (func (export "share") (global.set $holder (table.get $t (i32.const 0)))))
      """;
  /**
   * An open instance h imports from: keeps what h or Java gives it, collects the heap, and uses what
   * it kept.
   */
  private static final String HOLDER = """
      (module
        (type $v (func (result i32)))
        (type $box (struct (field funcref)))
        (type $junk (array i64))
        (global $any (export "any") (mut anyref) (ref.null any))
        (global $exn (export "exn") (mut exnref) (ref.null exn))
        (func (export "churn") (local $n i32)
          (local.set $n (i32.const 3000))
          (loop $l
            (drop (array.new $junk (i64.const 0) (i32.const 1000)))
            (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
        (func $callBox (export "callBox") (param anyref) (result i32)
          (call_ref $v (ref.cast (ref $v) (struct.get $box 0 (ref.cast (ref $box) (local.get 0))))))
        (func (export "callHeld") (result i32) (call $callBox (global.get $any)))
        (func (export "rethrow") (param exnref) (throw_ref (local.get 0)))
        (func (export "rethrowHeld") (throw_ref (global.get $exn))))
      """;
  private static final String N = "(module (func (export \"hi\") (result i32) (i32.const 7)))";

  static List<Arguments> cases() {
    return List.of(Arguments.of(Target.X86_64, "anyref global"), Arguments.of(Target.X86_64, "exnref table"),
        Arguments.of(Target.AARCH64, "anyref global"), Arguments.of(Target.AARCH64, "exnref table"));
  }

  /**
   * Pool of 3: p, the holder (open, keeping nothing) and h fill it; the next instance fits only once
   * the decision frees p and h. Also with p's global given to h by {@code Linker.define}: the linker
   * holds no use, h's import is the edge.
   */
  @ParameterizedTest
  @MethodSource("cases")
  void aClosedCycleIsFreed(Target target, String kind) {
    Engine engine = Engine.builder().target(target).pooling(PoolingAllocation.ofInstances(3)).build();
    try (Store store = new Store(engine)) {
      Instance[] ph = cycle(engine, store, kind, new Linker(store).instantiate(compile(engine, HOLDER)));
      ph[1].close();
      ph[0].close();
      Instance next = new Linker(store).instantiate(compile(engine, N));
      assertEquals(7, next.func("hi").call().getFirst().asInt());
    }
  }

  @ParameterizedTest
  @EnumSource(value = Target.class, names = {"X86_64", "AARCH64"})
  void aClosedCycleThroughADefinedGlobalIsFreed(Target target) {
    Engine engine = Engine.builder().target(target).pooling(PoolingAllocation.ofInstances(3)).build();
    try (Store store = new Store(engine)) {
      Instance holder = new Linker(store).instantiate(compile(engine, HOLDER));
      Instance p = new Linker(store).instantiate(compile(engine, P_GLOBAL));
      Instance h = new Linker(store).define("p", "g", p.global("g")).instance("holder", holder)
          .instantiate(compile(engine, H_GLOBAL));
      h.func("keep").call();
      h.close();
      p.close();
      Instance next = new Linker(store).instantiate(compile(engine, N));
      assertEquals(7, next.func("hi").call().getFirst().asInt());
    }
  }

  static List<Arguments> reachedCases() {
    return cases().stream()
        .flatMap(c -> List.of("open instance", "java").stream().map(by -> Arguments.of(c.get()[0], c.get()[1], by)))
        .toList();
  }

  /**
   * Pool of 3: p, h and the open holder. What the holder's global (h shared it there, wasm to wasm:
   * no handle of Java's) or a Java handle keeps reaches h, whose import keeps p: a fourth instance is
   * refused, also after collections, and the reference still works.
   */
  @ParameterizedTest
  @MethodSource("reachedCases")
  void aCycleSomethingOpenReachesIsKept(Target target, String kind, String reachedBy) {
    Engine engine = Engine.builder().target(target).pooling(PoolingAllocation.ofInstances(3)).build();
    try (Store store = new Store(engine)) {
      Instance holder = new Linker(store).instantiate(compile(engine, HOLDER));
      Instance[] ph = cycle(engine, store, kind, holder);
      boolean any = kind.equals("anyref global");
      boolean byHolder = reachedBy.equals("open instance");
      Val kept = null;
      if (byHolder) {
        ph[1].func("share").call();
      } else {
        kept = any ? ph[0].global("g").get() : ph[0].table("t").get(0);
      }
      ph[1].close();
      ph[0].close();
      refusedAfterChurn(engine, store, holder);
      if (any) {
        List<Val> result = byHolder ? holder.func("callHeld").call() : holder.func("callBox").call(kept);
        assertEquals(42, result.getFirst().asInt());
      } else {
        Val exception = kept;
        assertThrowsItsException(
            byHolder ? () -> holder.func("rethrowHeld").call() : () -> holder.func("rethrow").call(exception));
      }
    }
  }

  /** p, then h importing p's global or table (and the holder's global), with h's reference kept in p's. */
  private static Instance[] cycle(Engine engine, Store store, String kind, Instance holder) {
    boolean any = kind.equals("anyref global");
    Instance p = new Linker(store).instantiate(compile(engine, any ? P_GLOBAL : P_TABLE));
    Instance h = new Linker(store).instance("p", p).instance("holder", holder)
        .instantiate(compile(engine, any ? H_GLOBAL : H_TABLE));
    h.func("keep").call();
    return new Instance[] {p, h};
  }

  private static void refusedAfterChurn(Engine engine, Store store, Instance holder) {
    WasmModule n = compile(engine, N);
    for (int round = 0; round < 2; round++) {
      long before = store.gcStatistics().collections();
      holder.func("churn").call();
      assertTrue(store.gcStatistics().collections() > before, "the churn collects");
      KilnException refused = assertThrows(KilnException.class, () -> new Linker(store).instantiate(n));
      assertTrue(refused.getMessage().contains("slots in use"), refused.getMessage());
    }
  }

  /** h's exception, rethrown, still names h's tag and carries its function reference. */
  private static void assertThrowsItsException(Runnable rethrow) {
    WasmThrow thrown = assertThrows(WasmThrow.class, rethrow::run);
    assertEquals(1, thrown.payload().size(), thrown.toString());
    assertEquals(ValType.FUNCREF, thrown.payload().getFirst().type());
  }

  private static WasmModule compile(Engine engine, String wat) {
    return WasmModule.compile(engine, Wat.toBinary(wat, "cycle.wat"));
  }
}
