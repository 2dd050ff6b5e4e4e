package dev.kiln.tests.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.Target;
import dev.kiln.tests.support.Artifacts;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.Features;
import dev.kiln.wat.Wat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kiln's side of the 3.0 differential fuzzer: a host function the harness cannot model ends the
 * trace with "unmodelled NAME", from an export or from the start function, however the loader wraps
 * the host function's failure (a {@code HOST_FUNCTION_FAILED} trap with it as cause). Seed 1058 was
 * a mismatch because {@code call-ref-catch} was traced as "trap" while binaryen's interpreter ran the
 * function it was given and logged.
 */
class Wasm3TraceTest {
  private static final String EXPORT_CALL = """
      (module
        (import "fuzzing-support" "log-i32" (func $log (param i32)))
        (import "fuzzing-support" "call-ref-catch" (func $callRefCatch (param funcref) (result i32)))
        (func $logs (call $log (i32.const 5)))
        (elem declare func $logs)
        (func (export "first") (call $log (i32.const 1)))
        (func (export "calls-ref") (call $log (call $callRefCatch (ref.func $logs))))
        (func (export "after") (call $log (i32.const 3))))
      """;

  private static final String START_CALL = """
      (module
        (import "fuzzing-support" "call-ref-catch" (func $callRefCatch (param funcref) (result i32)))
        (func $start (drop (call $callRefCatch (ref.null func))))
        (start $start)
        (func (export "never") (unreachable)))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void anUnmodelledHostCallEndsTheTraceAsUnmodelledNotAsATrap(Target target) {
    assertEquals(List.of("export first", "log 1.0", "export calls-ref", "unmodelled call-ref-catch"),
        trace(EXPORT_CALL, target));
    assertEquals(List.of("unmodelled call-ref-catch"), trace(START_CALL, target));
  }

  private static List<String> trace(String wat, Target target) {
    return Wasm3Trace.kiln(Wasm.load(Wat.toBinary(wat, "trace.wat"), Features.ALL), Artifacts.backend(target), target,
        new PhaseTimes());
  }
}
