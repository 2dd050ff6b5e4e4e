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

  /**
   * Seed 18791: the start function logs a funcref (here of a host function and of a wasm one) before
   * the instance exists. The trace was "trap": telling a function from a heap object asked the
   * instance's store, and the instance was still null (a NullPointerException in the host function,
   * a {@code HOST_FUNCTION_FAILED} trap of instantiation).
   */
  private static final String START_LOGS_FUNCREF = """
      (module
        (import "fuzzing-support" "log-f32" (func $logF32 (param f32)))
        (import "fuzzing-support" "log-funcref" (func $logFuncref (param funcref)))
        (func $wasm)
        (elem declare func $logF32 $wasm)
        (func $start
          (call $logFuncref (ref.func $logF32))
          (call $logFuncref (ref.func $wasm))
          (call $logFuncref (ref.null func)))
        (start $start)
        (func (export "logs") (call $logFuncref (ref.func $logF32))))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void theStartFunctionLogsAFuncrefAsAnExportDoes(Target target) {
    assertEquals(List.of("log function", "log function", "log null", "export logs", "log function"),
        trace(START_LOGS_FUNCREF, target));
  }

  /**
   * binaryen's call-export from the start function is a JS error (the exports do not exist yet,
   * callExportAsJS), as is one of no such export or of an export with an i64 parameter: binaryen 132
   * throws a JS exception, which call-export-catch catches like a wasm one, answering 1 (its
   * interpreter logs 1, 1, 7, 8, 1, 1 for this module, then the uncaught JS exception). A
   * non-catching call-export would throw it into wasm, which the harness does not model. The
   * harness traced every such call as unmodelled and compared nothing after it (helper-97).
   */
  private static final String CALLS_EXPORTS_JS_CANNOT_CALL = """
      (module
        (import "fuzzing-support" "log-i32" (func $log (param i32)))
        (import "fuzzing-support" "call-export" (func $callExport (param i32 i32)))
        (import "fuzzing-support" "call-export-catch" (func $callExportCatch (param i32) (result i32)))
        (func $start (call $log (i32.const 1)) (call $log (call $callExportCatch (i32.const 0))))
        (start $start)
        (func (export "logs") (call $log (i32.const 7)))
        (func (export "takesI64") (param i64) (call $log (i32.const 8)))
        (func (export "noSuchExport") (call $log (call $callExportCatch (i32.const 9))))
        (func (export "i64FromJs") (call $log (call $callExportCatch (i32.const 1))))
        (func (export "uncaught") (call $callExport (i32.const 9) (i32.const 0))))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void anExportJsCannotCallIsCaughtByCallExportCatch(Target target) {
    assertEquals(List.of("log 1.0", "log 1.0", "export logs", "log 7.0", "export takesI64", "log 8.0",
        "export noSuchExport", "log 1.0",
        "export i64FromJs", "log 1.0", "export uncaught", "unmodelled call-export JS error"),
        trace(CALLS_EXPORTS_JS_CANNOT_CALL, target));
  }

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
