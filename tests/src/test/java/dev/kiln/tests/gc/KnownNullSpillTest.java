package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.Target;
import dev.kiln.tests.support.Artifacts;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A reference known to be null at a safepoint (a declared local not yet set, a {@code ref.null}
 * on the operand stack, a null field of {@code struct.new}) is not spilled: no store before the
 * call, no load after, no slot in the stack map the collection walks, and no map at all where
 * nothing else is held (compiler translate.GcSafepoints.needsSpill). Before, each of the three
 * safepoints below had a map of one slot; the bench's binary-trees had 10 maps of 13 slots in all,
 * now 5 of 8. That the nulls stay null under collections at every allocation is the GC tests' and
 * the stress run's.
 */
class KnownNullSpillTest {
  private static final String MODULE = """
      (module
        (import "host" "call" (func $host))
        (type $node (struct (field i32)))
        (func (export "f") (result i32)
          (local $a (ref null $node))
          (call $host)                                    ;; $a is null: no map
          (local.set $a (struct.new $node (i32.const 7))) ;; $a is null under the slow path: no map
          (call $host)                                    ;; $a is an object: one slot
          (struct.get $node 0 (local.get $a))))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void onlyTheSafepointThatHoldsAnObjectHasAMap(Target target) {
    StackMapBytes maps = StackMapBytes.of(Artifacts.fromWat(MODULE, Artifacts.backend(target)));
    assertEquals(List.of(1), maps.entries().stream().map(e -> e.slots().length).toList());
  }
}
