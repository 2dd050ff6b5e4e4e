package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Store#gcStatistics()} on x86-64 and AArch64: each collection the guest's allocations cause
 * is recorded with its pause and the live bytes it copied, and the sums agree with the list.
 */
class GcStatisticsTest {
  /** A list of 1000 nodes kept in a global across {@code churn}'s garbage, 24 KB a round. */
  private static final String MODULE = """
      (module
        (type $node (struct (field $v i32) (field $next (ref null $node))))
        (global $kept (mut (ref null $node)) (ref.null $node))
        (func $list (param $n i32) (result (ref null $node))
          (local $l (ref null $node))
          (block $done (loop $again
            (br_if $done (i32.eqz (local.get $n)))
            (local.set $l (struct.new $node (local.get $n) (local.get $l)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br $again)))
          (local.get $l))
        (func (export "churn") (param $rounds i32) (result i32)
          (global.set $kept (call $list (i32.const 1000)))
          (loop $again
            (drop (call $list (i32.const 1000)))
            (br_if $again (local.tee $rounds (i32.sub (local.get $rounds) (i32.const 1)))))
          (struct.get $node $v (global.get $kept))))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void eachCollectionsPauseAndCopiedBytesAreRecorded(Target target) {
    Engine engine = Engine.builder().target(target).build();
    try (WasmModule module = WasmModule.compile(engine, dev.kiln.wat.Wat.toBinaryWithNames(MODULE, "churn.wat"));
        Store store = Store.builder(engine).maxMemoryBytes(4L << 20).build()) {
      assertEquals(new GcStatistics(0, 0, 0, 0, 0, List.of()), store.gcStatistics(), "nothing collected yet");
      Instance instance = new Linker(store).instantiate(module);
      assertEquals(List.of(Val.i32(1)), instance.func("churn").call(Val.i32(400)));

      GcStatistics statistics = store.gcStatistics();
      assertTrue(statistics.collections() > 0, "9.6 MB of garbage in 4 MiB collected");
      assertEquals(0, statistics.refusals());
      assertEquals(Math.min(statistics.collections(), GcStatistics.LATEST_KEPT), statistics.latest().size());
      long nanos = 0;
      long copied = 0;
      long longest = 0;
      for (GcStatistics.Pause pause : statistics.latest()) {
        assertTrue(pause.nanos() > 0, "a collection takes time: " + pause);
        // the kept list at least: 1000 nodes of a header, an i32 and a reference (24 bytes each)
        assertTrue(pause.liveBytesCopied() >= 24_000, "the kept list was copied: " + pause);
        nanos += pause.nanos();
        copied += pause.liveBytesCopied();
        longest = Math.max(longest, pause.nanos());
      }
      assertEquals(nanos, statistics.totalPauseNanos());
      assertEquals(copied, statistics.bytesCopied());
      assertEquals(longest, statistics.longestPauseNanos());
    }
  }
}
