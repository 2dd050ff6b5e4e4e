package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.elf.KilnSection;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.StoreLimits;
import dev.kiln.tests.support.Artifacts;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every GC reference a function holds across its safepoints, not only its locals, costs what the
 * function's bytes pay for (compiler translate.SpillBudget, SafepointSpills; red team 29 F2): the
 * references on the operand stack below a call's operands (1,000 of them are one two-byte {@code
 * call} of a function of 1,000 results), the exceptions legacy {@code catch} clauses hold, and the
 * merge parameters a reload makes at each join of the constructs around it. Spilled, each cost a
 * store and a load at every call, or a parameter at every join: N x M. Past the budget the function
 * is translated frame-resident, each such reference stored once to a slot of its own that every
 * stack map names, so a call or a construct more costs the same whatever N is. Under {@link
 * GcStress}, where every allocation collects and moves every object, the slot-held references are
 * roots the collector rewrites: through calls, a loop, a {@code br_if} and a {@code br_table}
 * carrying a reference, a {@code try_table}'s catch, a legacy catch's {@code rethrow}, a {@code
 * return_call} and an allocation's own operands.
 */
class FrameResidentStackReferencesTest {
  private static long textBytes(byte[] artifact) {
    return CwasmFile.open(MemorySegment.ofArray(artifact)).text().byteSize();
  }

  private static long stackMapBytes(byte[] artifact) {
    return CwasmFile.open(MemorySegment.ofArray(artifact)).section(KilnSection.STACKMAPS).byteSize();
  }

  /** A function {@code $refs} of {@code n} {@code anyref} results, nulls: one call of it leaves n references. */
  private static String refs(int n) {
    return "(func $refs (result" + " anyref".repeat(n) + ")" + " (ref.null any)".repeat(n) + ")";
  }

  /** {@code $refs}' n references on the stack across {@code calls} calls of an import, then dropped (red team 29's shape). */
  private static String stackAcrossCalls(int n, int calls) {
    return "(module (import \"env\" \"f\" (func $f)) " + refs(n) + " (func (export \"run\") (call $refs)"
        + " (call $f)".repeat(calls) + " drop".repeat(n) + "))";
  }

  /**
   * $refs' n references on the stack, then {@code depth} nested blocks, each begun with a {@code
   * br_if} out, and one call in the innermost: spilled, each reload needed a parameter at every
   * block's end.
   */
  private static String stackAcrossJoins(int n, int depth) {
    return "(module (import \"env\" \"f\" (func $f)) " + refs(n) + " (func (export \"run\") (param $c i32) (call $refs)"
        + " (block (br_if 0 (local.get $c))".repeat(depth) + " (call $f)" + ")".repeat(depth) + " drop".repeat(n) + "))";
  }

  /** The same with n {@code anyref} locals, set from $refs' results and all read after the blocks. */
  private static String localsAcrossJoins(int n, int depth) {
    StringBuilder wat = new StringBuilder("(module (import \"env\" \"f\" (func $f)) " + refs(n)
        + " (func (export \"run\") (param $c i32)" + " (local anyref)".repeat(n) + " (call $refs)");
    for (int i = n; i >= 1; i--) {
      wat.append(" (local.set ").append(i).append(")");
    }
    wat.append(" (block (br_if 0 (local.get $c))".repeat(depth)).append(" (call $f)").append(")".repeat(depth));
    for (int i = 1; i <= n; i++) {
      wat.append(" (drop (local.get ").append(i).append("))");
    }
    return wat.append("))").toString();
  }

  /** {@code depth} nested legacy catch clauses, each holding its exception for rethrow, {@code calls} calls in the innermost. */
  private static String caughtAcrossCalls(int depth, int calls) {
    return "(module (import \"env\" \"f\" (func $f)) (tag $t) (func $throw (throw $t)) (func (export \"run\")"
        + " (try (do (call $throw)) (catch_all".repeat(depth) + " (call $f)".repeat(calls) + " (rethrow 0)"
        + "))".repeat(depth) + "))";
  }

  /** The code one more unit of {@code shape} costs: its text at {@code 2 * units} less at {@code units}, per unit. */
  private static long bytesPerUnit(Target target, java.util.function.IntFunction<String> shape, int units) {
    long once = textBytes(Artifacts.fromWat(shape.apply(units), Artifacts.backend(target)));
    long twice = textBytes(Artifacts.fromWat(shape.apply(2 * units), Artifacts.backend(target)));
    return (twice - once) / units;
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void referencesOnTheStackCostNoCodePerCall(Target target) {
    int n = 300;
    long perCall = bytesPerUnit(target, calls -> stackAcrossCalls(n, calls), 100);
    long perJoin = bytesPerUnit(target, depth -> stackAcrossJoins(n, depth), 50);
    long perLocalJoin = bytesPerUnit(target, depth -> localsAcrossJoins(n, depth), 50);
    long perCaughtCall = bytesPerUnit(target, calls -> caughtAcrossCalls(100, calls), 100);
    byte[] large = Artifacts.fromWat(stackAcrossCalls(n, 200), Artifacts.backend(target));
    long maps = stackMapBytes(large);
    System.out.printf("frame-resident stack %s: %d references, code per call %,d B, per join %,d B, per join of"
        + " locals %,d B; 100 caught exceptions, per call %,d B; 300 x 200 stack maps %,d B%n", target, n, perCall,
        perJoin, perLocalJoin, perCaughtCall, maps);
    // Spilled, 300 references were a store and a load per call, 11,238 bytes of x86-64 code (7,020 of
    // AArch64); a reload's parameter at each join, 6,912 per block (3,304); 100 caught exceptions, 3,639
    // per call (2,220); and every map listed every slot, 121,232 bytes of maps. A call or a block costs a
    // few instructions of its own now, whatever the references around it.
    assertAll(
        () -> assertTrue(perCall < 64, perCall + " bytes of code per call with " + n + " references on the stack"),
        () -> assertTrue(perJoin < 64, perJoin + " bytes of code per block around a reload of " + n + " stack references"),
        () -> assertTrue(perLocalJoin < 64, perLocalJoin + " bytes of code per block around a reload of " + n + " locals"),
        () -> assertTrue(perCaughtCall < 64, perCaughtCall + " bytes of code per call in 100 nested catch clauses"),
        () -> assertTrue(maps < 8L * (n + 200), maps + " bytes of stack maps for " + n + " references across 200 calls"));
  }

  /**
   * A function whose spilled form passes its IR limit before its spill budget is translated
   * frame-resident, not refused: n structs made one by one, each left on the stack across the
   * calls after it, are n^2/2 spills of some ten IR units each, and at 6,000 (33 KB of wasm) the
   * spilled form reached the limit of 2^21 units first ("IR values, instructions and operands in one
   * function"). Frame-resident, each call costs the same whatever is on the stack.
   */
  @Test
  void spillsPastTheIrLimitAreTranslatedFrameResident() {
    int n = 6_000;
    String wat = "(module (import \"env\" \"f\" (func $f)) (type $s (struct)) (func (export \"run\")"
        + " (struct.new $s) (call $f)".repeat(n) + " drop".repeat(n) + "))";
    byte[] artifact = Artifacts.fromWat(wat, Artifacts.backend(Target.X86_64));
    // Spilled, each call would store and reload every struct below it: some n^2/2 x 10 bytes.
    assertTrue(textBytes(artifact) < 200L * n, textBytes(artifact) + " bytes of code for " + n + " allocations and calls");
  }

  private static final String MODULE = """
      (module
        (type $box (struct (field $v i64)))
        (type $pair (struct (field $a (ref $box)) (field $b (ref $box))))
        (tag $carry (param (ref $box)))
        (func $garbage (drop (struct.new $box (i64.const -1))) (drop (struct.new $box (i64.const -2))))
        (func $throwCarry (call $garbage) (throw $carry (struct.new $box (i64.const 5))))
        ;; BOXES boxes of 1000 + i: one call leaves them on the caller's stack
        (func $boxes (result BOX_RESULTS) NEW_BOXES)
        (func $sumBoxes (param BOX_RESULTS) (result i64) (local $s i64) SUM_PARAMS (local.get $s))
        ;; each export: the boxes on the stack across CALLS calls that collect, past the budget
        (func (export "straight") (result i64) (local $s i64)
          (call $boxes) CALLS SUM (local.get $s))
        ;; a loop whose body pushes a box, collects, then reads it; the boxes below it settled at its start
        (func (export "loop") (param $k i32) (result i64) (local $s i64) (local $i i32)
          (call $boxes) CALLS
          (loop $again
            (struct.new $box (i64.extend_i32_u (local.get $i)))
            (call $garbage)
            struct.get $box $v local.get $s i64.add local.set $s
            (br_if $again (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $k))))
          SUM (local.get $s))
        ;; a box made resident by the calls, carried out by a br_if (7), or dropped for another (8)
        (func (export "branch") (param $k i32) (result i64) (local $s i64)
          (call $boxes)
          (block $out (result (ref $box))
            (struct.new $box (i64.const 7))
            CALLS
            (br_if $out (local.get $k))
            drop
            (struct.new $box (i64.const 8)))
          (call $garbage)
          SUM_ONE SUM (local.get $s))
        ;; a br_table carrying a resident box to $b (7), or to $a, which swaps it for another (9)
        (func (export "table") (param $k i32) (result i64) (local $s i64)
          (call $boxes)
          (block $b (result (ref $box))
            (block $a (result (ref $box))
              (struct.new $box (i64.const 7))
              CALLS
              (br_table $a $b (local.get $k)))
            drop
            (call $garbage)
            (struct.new $box (i64.const 9)))
          (call $garbage)
          SUM_ONE SUM (local.get $s))
        ;; a try_table's catch: the boxes below its label and the payload (5) after a collection
        (func (export "catch") (result i64) (local $s i64)
          (call $boxes)
          (block $h (result (ref $box))
            (try_table (catch $carry $h) CALLS (call $throwCarry))
            unreachable)
          (call $garbage)
          SUM_ONE SUM (local.get $s))
        ;; a legacy catch_all holds its exception across the calls, then rethrows it to the outer catch (5)
        (func (export "rethrow") (result i64) (local $s i64)
          (call $boxes)
          (try (result (ref $box))
            (do (try (do (call $throwCarry)) (catch_all CALLS (rethrow 0))) unreachable)
            (catch $carry (call $garbage)))
          SUM_ONE SUM (local.get $s))
        ;; the boxes passed on by a tail call after the calls
        (func (export "tail") (result i64)
          (call $boxes) CALLS (return_call $sumBoxes))
        ;; an allocation's own operands (3, 4) across its slow path, every one of which collects
        (func (export "allocate") (result i64) (local $s i64) (local $p (ref null $pair))
          (call $boxes) CALLS
          (local.set $p (struct.new $pair (struct.new $box (i64.const 3)) (struct.new $box (i64.const 4))))
          (call $garbage)
          (i64.add (struct.get $box $v (struct.get $pair $a (local.get $p)))
            (struct.get $box $v (struct.get $pair $b (local.get $p))))
          local.set $s
          SUM (local.get $s)))
      """;

  private static final int BOXES = 40;
  private static final int CALLS = 150;
  private static final int EXPORTS = 8;

  /** {@link #MODULE} with {@link #BOXES} boxes and {@link #CALLS} calls of {@code $garbage}. */
  private static String module() {
    StringBuilder newBoxes = new StringBuilder();
    StringBuilder sumParams = new StringBuilder();
    for (int i = 0; i < BOXES; i++) {
      newBoxes.append(" (struct.new $box (i64.const ").append(1000 + i).append("))");
      sumParams.append(" (local.set $s (i64.add (local.get $s) (struct.get $box $v (local.get ").append(i).append("))))");
    }
    String sumOne = " struct.get $box $v local.get $s i64.add local.set $s";
    return MODULE.replace("BOX_RESULTS", " (ref $box)".repeat(BOXES)).replace("NEW_BOXES", newBoxes)
        .replace("SUM_PARAMS", sumParams).replace("SUM_ONE", sumOne).replace("SUM", sumOne.repeat(BOXES))
        .replace("CALLS", " (call $garbage)".repeat(CALLS));
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void stackReferencesInSlotsAreRootsTheCollectorRewrites(Target target) {
    long all = BOXES * 1000L + BOXES * (BOXES - 1) / 2;
    try (LoadedModule module = GcModules.load(target, module());
        NativeStore store = new NativeStore(StoreLimits.DEFAULTS.withMaxMemoryBytes(16L << 20))) {
      LoadedInstance instance = GcModules.instantiateCollectingAlways(module, store);
      try (instance) {
        long collections = store.gcCollections();
        int k = 5;
        assertAll(
            () -> assertEquals(all, instance.invoke("straight").getFirst().bits(), "straight"),
            () -> assertEquals(all + k * (k - 1) / 2, instance.invoke("loop", k).getFirst().bits(), "loop"),
            () -> assertEquals(all + 7, instance.invoke("branch", 1).getFirst().bits(), "branch taken"),
            () -> assertEquals(all + 8, instance.invoke("branch", 0).getFirst().bits(), "branch not taken"),
            () -> assertEquals(all + 9, instance.invoke("table", 0).getFirst().bits(), "table to $a"),
            () -> assertEquals(all + 7, instance.invoke("table", 1).getFirst().bits(), "table to $b"),
            () -> assertEquals(all + 5, instance.invoke("catch").getFirst().bits(), "catch"),
            () -> assertEquals(all + 5, instance.invoke("rethrow").getFirst().bits(), "rethrow"),
            () -> assertEquals(all, instance.invoke("tail").getFirst().bits(), "tail"),
            () -> assertEquals(all + 3 + 4, instance.invoke("allocate").getFirst().bits(), "allocate"));
        assertTrue(store.gcCollections() - collections >= 10L * 2 * CALLS, "every allocation collected");
      }
    }
    // The results above come from slot-held references: each export passed the budget and has a
    // resident set of its own, which every one of its safepoints names.
    StackMapBytes maps = StackMapBytes.of(Artifacts.fromWat(module(), Artifacts.backend(target)));
    assertEquals(EXPORTS, maps.sets().size(), "a resident set for each export past the budget");
    assertTrue(maps.sets().stream().allMatch(set -> set.slots().length >= BOXES), "each set holds the boxes' slots");
  }
}
