package dev.kiln.tests.exceptions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.Target;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Values a landing pad reads survive the throw on both targets, now that a call with an exceptional
 * edge clobbers only what a plain call does (issue 38): the unwinder restores no register, so what
 * the pad (or code reached from it) reads must be in its spill slot, while the throwers ({@code
 * $clob}, {@code $mv}, {@code $galloc}) keep twelve i32 and eight f64 values, or references, live
 * across a call of their own and so overwrite callee-saved registers before they throw. The shapes:
 * many values (spills) in a loop whose pad falls back into it; nested pads where the inner one
 * rethrows ({@code throw_ref}) to the outer; the legacy {@code rethrow} and {@code delegate}; tail
 * calls inside a {@code try_table}, whose throw the caller catches; references live into the pad
 * while every allocation may move them; three-result calls, a {@code br_table} out of the pad and a
 * {@code br} to the pad's label on the normal path. The expected values are binaryen 132's
 * interpreter's ({@code wasm-opt --fuzz-exec-before}) for the same module. Worth running also with
 * {@code -Dkiln.regalloc.check=true} and {@code -Dkiln.gc.collectAtEveryAllocation=true}. The guest
 * is one constant per function or small group, in the module's order; what its functions repeat
 * (the throwers' values, their setting and checksum, the catchers' values and their sums) is generated
 * by the helpers at the end, so each function's text shows only its shape.
 */
class LandingPadLiveValuesTest {
  /** How many i32 and f64 values a thrower keeps live across its call (a catcher: as many i32). */
  private static final int LIVE_I32 = 12;
  private static final int LIVE_F64 = 8;

  /**
   * A thrower's values {@code $a0..$a11} (i32) and {@code $f0..$f7} (f64), each set from {@code $x}
   * with coefficients of its own (a_k = x*(2k+1) + k*k, f_k = x*(k+0.5)) so that a clobbered one
   * changes the checksum.
   */
  private static final String THROWER_LOCALS =
      locals("a", LIVE_I32, "i32") + "\n" + locals("f", LIVE_F64, "f64");
  private static final String THROWER_SETS = lines(LIVE_I32,
      k -> "(local.set $a%d (i32.add (i32.mul (local.get $x) (i32.const %d)) (i32.const %d)))"
          .formatted(k, 2 * k + 1, k * k))
      + "\n" + lines(LIVE_F64,
      k -> "(local.set $f%d (f64.mul (f64.convert_i32_s (local.get $x)) (f64.const %d.5)))"
          .formatted(k, k));
  /** The xor of a_k * (k+1): each value at a weight of its own. */
  private static final String THROWER_I32_CHECKSUM = fold("i32.xor", IntStream.range(0, LIVE_I32)
      .mapToObj(k -> "(i32.mul (local.get $a%d) (i32.const %d))".formatted(k, k + 1)).toList());
  private static final String THROWER_F64_SUM = fold("f64.add", gets("f", 0, LIVE_F64 - 1));

  /** A catcher's values {@code $v0..$v11}: v_k = n + 1000k, so a sum shows which ones a pad read. */
  private static final String CATCHER_LOCALS = locals("v", LIVE_I32, "i32");
  private static final String CATCHER_SETS = lines(LIVE_I32,
      k -> "(local.set $v%d (i32.add (local.get $n) (i32.const %d)))".formatted(k, 1000 * k));

  private static final String HEADER = """
      (type $ii (func (param i32) (result i32)))
      (type $mvt (func (param i32) (result i32 i64 f64)))
      (type $box (struct (field i32)))
      (type $arr (array (mut i32)))
      (tag $e (param i32))
      (tag $r (param (ref $box)))
      (table $tab 4 funcref)
      (elem declare func $id $clob $galloc $mv)
      (func $start
        (table.set $tab (i32.const 0) (ref.func $id))
        (table.set $tab (i32.const 1) (ref.func $clob))
        (table.set $tab (i32.const 2) (ref.func $galloc))
        (table.set $tab (i32.const 3) (ref.func $mv)))
      (start $start)
      (func $id (param $x i32) (result i32) (local.get $x))
      """;

  /**
   * Twelve i32 and eight f64 values live across a call (so in callee-saved registers), then a throw
   * of $e (x*7) when x is a multiple of 3: the unwinder leaves those registers as this frame left them.
   */
  private static final String CLOB = """
      (func $clob (param $x i32) (result i32) %s (local $y i32)
        %s
        (local.set $y (call_indirect (type $ii) (local.get $x) (i32.const 0)))
        (if
          (i32.eqz (i32.rem_u (local.get $x) (i32.const 3)))
          (then (throw $e (i32.mul (local.get $x) (i32.const 7)))))
        (i32.add (i32.add %s (local.get $y)) (i32.trunc_f64_s %s)))
      """.formatted(THROWER_LOCALS, THROWER_SETS, THROWER_I32_CHECKSUM, THROWER_F64_SUM);

  /** Many values live across calls in a loop; the pad reads half of them and falls back into the loop. */
  private static final String LOOP_PAD = """
      (func (export "loop-pad") (param $n i32) (result i32) (local $i i32) (local $acc i32) %1$s
        (local $g0 f64) (local $g1 f64) (local $g2 f64) (local $g3 f64)
        %2$s
        (local.set $g0 (f64.convert_i32_s (local.get $n)))
        (local.set $g1 (f64.const 0.25))
        (local.set $g2 (f64.const 0.5))
        (local.set $g3 (f64.const 0.75))
        (loop $l
          (block $next
            (block $pad (result i32)
              (try_table (catch $e $pad)
                (local.set $acc
                  (i32.add
                    (local.get $acc)
                    (i32.add
                      (call_indirect (type $ii) (i32.add (local.get $i) (local.get $n)) (i32.const 1))
                      %3$s)))
                (local.set $v0 (i32.add (local.get $v0) (local.get $acc)))
                (local.set $g0 (f64.add (local.get $g0) (f64.const 1.5))))
              (br $next))
            (local.set $acc (i32.add (i32.add (local.get $acc)) (i32.add %4$s %6$s)))
            (local.set $v6 (i32.add (local.get $v6) (local.get $i)))
            (local.set $g1 (f64.mul (local.get $g1) (f64.const 2.0)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $l))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (i32.const 12))))
        (i32.add (i32.add (local.get $acc) %5$s) %6$s))
      """.formatted(CATCHER_LOCALS, CATCHER_SETS, sum(0, 5), sum(6, 11), sum(0, 11), """
          (i32.trunc_f64_s
            (f64.add
              (f64.add (local.get $g0) (local.get $g1))
              (f64.add (local.get $g2) (local.get $g3))))""");

  /** Nested pads: the inner one reads some values and rethrows, the outer one reads the others. */
  private static final String NESTED_RETHROW = """
      (func (export "nested-rethrow") (param $n i32) (result i32) (local $acc i32) (local $ex exnref) %s
        %s
        (block $outer (result i32 exnref)
          (try_table (catch_ref $e $outer)
            (block $inner (result i32 exnref)
              (try_table (catch_ref $e $inner)
                (local.set $acc (call_indirect (type $ii) (local.get $n) (i32.const 1))))
              (return (i32.add (local.get $acc) %s)))
            (local.set $ex)
            (local.set $acc (i32.add (i32.mul (i32.const 3)) %s))
            (local.set $v3 (i32.const 77))
            (throw_ref (local.get $ex)))
          (unreachable))
        (local.set $ex)
        (i32.add (i32.add (local.get $acc)) (i32.add %s (i32.const 0))))
      """.formatted(CATCHER_LOCALS, CATCHER_SETS, sum(0, 2), sum(3, 5),
          fold("i32.add", Stream.concat(gets("v", 3, 3).stream(), gets("v", 6, 11).stream()).toList()));

  /** The legacy instructions: a catch that rethrows to an outer try, and a delegate. */
  private static final String LEGACY = """
      (func (export "legacy") (param $n i32) (result i32) (local $acc i32) %1$s
        %2$s
        (try (result i32)
          (do
            (try (result i32)
              (do (call_indirect (type $ii) (local.get $n) (i32.const 1)))
              (catch $e
                (local.set $acc (i32.add %3$s))
                (local.set $v3 (i32.add (local.get $v3) (local.get $acc)))
                (rethrow 0))))
          (catch $e (i32.add (i32.add (local.get $acc)) %4$s))
          (catch_all (i32.const -1))))
      (func (export "legacy-delegate") (param $n i32) (result i32) (local $acc i32) %1$s
        %2$s
        (try $t (result i32)
          (do
            (try (result i32)
              (do
                (try (result i32)
                  (do (call_indirect (type $ii) (local.get $n) (i32.const 1)))
                  (delegate $t)))
              (catch_all (i32.const -5))))
          (catch $e (i32.add (i32.mul (i32.const 2)) %5$s))))
      """.formatted(CATCHER_LOCALS, CATCHER_SETS, sum(0, 2), sum(3, 6), sum(7, 11));

  /** A tail call inside a try_table leaves its frame: the throw is the caller's to catch. */
  private static final String TAIL = """
      (func $tc (param $x i32) (result i32)
        (block $h
          (try_table (catch_all $h) (return_call_indirect (type $ii) (local.get $x) (i32.const 1))))
        (i32.const -999))
      (func $tcd (param $x i32) (result i32)
        (block $h (try_table (catch_all $h) (return_call $clob (local.get $x))))
        (i32.const -888))
      (func (export "tail") (param $n i32) (result i32) (local $acc i32) %s
        %s
        (block $pad (result i32)
          (try_table (catch $e $pad)
            (local.set $acc (call $tc (local.get $n)))
            (local.set $acc
              (i32.add (local.get $acc) (call $tcd (i32.add (local.get $n) (i32.const 1)))))
            (return (i32.add (local.get $acc) %s)))
          (unreachable))
        (i32.add (i32.add (local.get $acc)) %s))
      """.formatted(CATCHER_LOCALS, CATCHER_SETS, sum(0, 3), sum(4, 11));

  /**
   * $galloc allocates, keeps references live across a call and throws $r when x is even; gc-pad keeps
   * references live into the pad and across the call on the normal path only.
   */
  private static final String GC = """
      (func $galloc (param $x i32) (result i32) (local $s1 (ref null $box))
        (local $s2 (ref null $arr)) (local $y i32)
        (local.set $s1 (struct.new $box (i32.add (local.get $x) (i32.const 1))))
        (local.set $s2 (array.new $arr (local.get $x) (i32.const 5)))
        (local.set $y (call_indirect (type $ii) (local.get $x) (i32.const 0)))
        (if
          (i32.eqz (i32.and (local.get $x) (i32.const 1)))
          (then
            (throw $r
              (struct.new $box
                (i32.add
                  (i32.mul (local.get $x) (i32.const 11))
                  (i32.add
                    (struct.get $box 0 (local.get $s1))
                    (array.get $arr (local.get $s2) (i32.const 2))))))))
        (i32.add
          (local.get $y)
          (i32.add (struct.get $box 0 (local.get $s1)) (array.len (local.get $s2)))))
      (func (export "gc-pad") (param $n i32) (result i32) (local $i i32) (local $acc i32)
        (local $j i32) (local $b1 (ref null $box)) (local $b2 (ref null $box))
        (local $b3 (ref null $box)) (local $b4 (ref null $box)) (local $a (ref null $arr))
        (local.set $b3 (struct.new $box (i32.const 300)))
        (local.set $b4 (struct.new $box (i32.const 4000)))
        (loop $l
          (local.set $b1
            (struct.new $box (i32.add (i32.mul (local.get $i) (i32.const 10)) (i32.const 1))))
          (local.set $b2
            (struct.new $box (i32.add (i32.mul (local.get $i) (i32.const 10)) (i32.const 2))))
          (local.set $a (array.new $arr (local.get $i) (i32.const 4)))
          (local.set $j (i32.add (local.get $i) (local.get $n)))
          (block $next
            (block $pad (result (ref $box))
              (try_table (catch $r $pad)
                (local.set $acc
                  (i32.add
                    (local.get $acc)
                    (i32.add
                      (call_indirect (type $ii) (local.get $j) (i32.const 2))
                      (struct.get $box 0 (local.get $b1))))))
              (br $next))
            (local.set $acc
              (i32.add
                (struct.get $box 0)
                (i32.add
                  (local.get $acc)
                  (i32.add
                    (i32.add
                      (struct.get $box 0 (local.get $b2))
                      (array.get $arr (local.get $a) (i32.const 3)))
                    (struct.get $box 0 (local.get $b3))))))
            (local.set $b3
              (struct.new $box (i32.add (struct.get $box 0 (local.get $b3)) (local.get $j)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (i32.const 7))))
        (i32.add
          (local.get $acc)
          (i32.add (struct.get $box 0 (local.get $b3)) (struct.get $box 0 (local.get $b4)))))
      """;

  /** $clob's values and checksum as three results; throws $e (x*5) when x rem 4 is 1. */
  private static final String MV = """
      (func $mv (param $x i32) (result i32 i64 f64) %s (local $y i32)
        %s
        (local.set $y (call_indirect (type $ii) (local.get $x) (i32.const 0)))
        (if
          (i32.eq (i32.rem_u (local.get $x) (i32.const 4)) (i32.const 1))
          (then (throw $e (i32.mul (local.get $x) (i32.const 5)))))
        %s
        (i64.extend_i32_u (local.get $y))
        %s)
      """.formatted(THROWER_LOCALS, THROWER_SETS, THROWER_I32_CHECKSUM, THROWER_F64_SUM);

  /**
   * Multi-value results under a handler; br_table out of the pad; a br to the pad's label on the
   * normal path.
   */
  private static final String MULTI = """
      (func (export "multi") (param $n i32) (result i32) (local $i i32) (local $acc i32)
        (local $p i32) (local $w i64) (local $d f64) %s
        %s
        (loop $l
          (block $done
            (block $b1
              (block $b0
                (block $pad (result i32)
                  (try_table (catch $e $pad)
                    (call_indirect (type $mvt) (i32.add (local.get $i) (local.get $n)) (i32.const 3))
                    (local.set $d)
                    (local.set $w)
                    (local.set $acc
                      (i32.add
                        (i32.add (local.get $acc))
                        (i32.add (i32.wrap_i64 (local.get $w)) (i32.trunc_f64_s (local.get $d)))))
                    (local.set $acc (i32.add (local.get $acc) (i32.add (local.get $v0) (local.get $v1))))
                    (drop
                      (br_if $pad (i32.const 3000) (i32.eqz (i32.rem_u (local.get $i) (i32.const 5))))))
                  (br $done))
                (local.set $p)
                (local.set $acc
                  (i32.add
                    (i32.add (local.get $acc) (local.get $p))
                    (i32.add (local.get $v2) (local.get $v3))))
                (br_table $b0 $b1 $done (i32.rem_u (local.get $p) (i32.const 3))))
              (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $v4) (i32.const 2))))
              (local.set $v4 (i32.add (local.get $v4) (i32.const 1)))
              (br $done))
            (local.set $acc (i32.add (local.get $acc) (i32.sub (local.get $v5) (local.get $v6))))
            (local.set $v6 (i32.add (local.get $v6) (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (i32.const 10))))
        (i32.add (local.get $acc) %s))
      """.formatted(CATCHER_LOCALS, CATCHER_SETS, sum(0, 11));

  private static final String WAT =
      "(module\n" + HEADER + CLOB + LOOP_PAD + NESTED_RETHROW + LEGACY + TAIL + GC + MV + MULTI + ")\n";

  /** Export, argument, binaryen 132's result. */
  private static final List<String> EXPECTED = List.of(
      "loop-pad, 0, 136570413",
      "loop-pad, 1, 144372139",
      "loop-pad, 2, 80033660",
      "loop-pad, 3, 142031449",
      "loop-pad, 5, 80390370",
      "nested-rethrow, 0, 63077",
      "nested-rethrow, 1, 3390",
      "nested-rethrow, 2, 4122",
      "nested-rethrow, 3, 63188",
      "nested-rethrow, 5, 3486",
      "legacy, 0, 24000",
      "legacy, 1, 387",
      "legacy, 2, 1116",
      "legacy, 3, 24093",
      "legacy, 5, 471",
      "legacy-delegate, 0, 45000",
      "legacy-delegate, 1, 387",
      "legacy-delegate, 2, 1116",
      "legacy-delegate, 3, 45057",
      "legacy-delegate, 5, 471",
      "tail, 0, 60000",
      "tail, 1, 7507",
      "tail, 2, 61153",
      "tail, 3, 60045",
      "tail, 5, 60553",
      "gc-pad, 0, 5949",
      "gc-pad, 1, 5664",
      "gc-pad, 2, 6085",
      "gc-pad, 3, 5770",
      "gc-pad, 5, 5876",
      "multi, 0, 129304",
      "multi, 1, 136991",
      "multi, 2, 157229",
      "multi, 3, 163360",
      "multi, 5, 146491");

  @ParameterizedTest
  @EnumSource(Target.class)
  void valuesThePadReadsSurviveTheThrow(Target target) throws Exception {
    try (NativeStore store = new NativeStore();
        LoadedModule loaded = LoadedModule.fromBytes(ExceptionEndToEndTest.compile(WAT, target), null);
        LoadedInstance instance = LoadedInstance.instantiate(loaded, store)) {
      for (String row : EXPECTED) {
        String[] field = row.split(", ");
        int argument = Integer.parseInt(field[1]);
        assertEquals(Integer.parseInt(field[2]), (int) instance.invoke(field[0], argument).get(0).bits(),
            field[0] + "(" + argument + ")");
      }
    }
  }

  /** {@code (local $p0 type) .. (local $p<count-1> type)}. */
  private static String locals(String prefix, int count, String type) {
    return IntStream.range(0, count).mapToObj(k -> "(local $" + prefix + k + " " + type + ")")
        .collect(Collectors.joining(" "));
  }

  /** One line per k below count. */
  private static String lines(int count, IntFunction<String> line) {
    return IntStream.range(0, count).mapToObj(line).collect(Collectors.joining("\n"));
  }

  /** {@code (local.get $p<from>) .. (local.get $p<to>)}, to inclusive. */
  private static List<String> gets(String prefix, int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(k -> "(local.get $" + prefix + k + ")").toList();
  }

  /** The operands combined from the left: {@code (op (op (op a b) c) d)}. */
  private static String fold(String op, List<String> operands) {
    String folded = operands.getFirst();
    for (String operand : operands.subList(1, operands.size())) {
      folded = "(" + op + " " + folded + " " + operand + ")";
    }
    return folded;
  }

  /** The sum of the catcher's values {@code $v<from>..$v<to>}, to inclusive. */
  private static String sum(int from, int to) {
    return fold("i32.add", gets("v", from, to));
  }
}
