package dev.kiln.tests.exceptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The legacy exception instructions ({@code try}, {@code catch}, {@code catch_all}, {@code
 * delegate}, {@code rethrow}; the legacy exception handling proposal) run end to end on x86-64 and
 * AArch64, on the mechanism {@code try_table} uses, in what the spec scripts of {@code legacy/} do
 * not reach: locals read in a clause hold their values at the throwing call; a call in a clause's
 * code is outside its {@code try}; a {@code delegate} to a {@code try_table}'s label is caught by
 * the {@code try_table}; {@code rethrow} of an outer clause's exception from inside an inner {@code
 * try}'s body; clauses in a loop; and a function of hundreds of nested {@code try}s (their clauses
 * are read in one pass, not once per {@code try}).
 */
class LegacyExceptionEndToEndTest {
  private static final String WAT = """
      (module
        (tag $e (param i32))
        (tag $other)
        (func $thrower (param i32) (throw $e (local.get 0)))
        (func (export "locals") (param i32) (result i32)
          (local $a i32)
          (local.set $a (i32.const 100))
          (try (result i32)
            (do
              (local.set $a (i32.const 200))
              (call $thrower (local.get 0))
              (local.set $a (i32.const 300))
              (i32.const -1))
            (catch $other (i32.const -2))
            (catch $e (i32.add (local.get $a))))) ;; payload + 200
        (func (export "clause-outside-its-try") (param i32) (result i32)
          (try (result i32)
            (do
              (try (result i32)
                (do (call $thrower (local.get 0)) (i32.const -1))
                (catch $e
                  ;; thrown from the clause: only the outer try sees it
                  (call $thrower (i32.add (i32.const 1000)))
                  (i32.const -2))))
            (catch $e)))
        (func (export "delegate-to-try-table") (param i32) (result i32)
          (block $h (result i32)
            (try_table (catch $e $h)
              (try
                (do (call $thrower (local.get 0)))
                (delegate 0)))
            (i32.const -1)))
        (func (export "rethrow-from-inner-try") (param i32) (result i32)
          (try (result i32)
            (do
              (try (result i32)
                (do (call $thrower (local.get 0)) (i32.const -1))
                (catch_all
                  (try (result i32)
                    ;; label 1 from inside the inner try's body is the catch_all clause
                    (do (rethrow 1))
                    (catch $other (i32.const -3))))))
            (catch $e (i32.mul (i32.const 2)))))
        (func (export "loop") (param i32) (result i32)
          (local $sum i32)
          (block $done
            (loop $next
              (br_if $done (i32.eqz (local.get 0)))
              (try
                (do (call $thrower (local.get 0)))
                (catch $e (local.set $sum (i32.add (local.get $sum)))))
              (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
              (br $next)))
          (local.get $sum))
        (func (export "uncaught") (param i32) (result i32)
          (try (result i32)
            (do (call $thrower (local.get 0)) (i32.const -1))
            (catch $other (i32.const -2))))
      )
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void legacyHandlersCatchAsTheProposalSays(Target target) throws Exception {
    try (NativeStore store = new NativeStore();
        LoadedModule loaded = LoadedModule.fromBytes(ExceptionEndToEndTest.compile(WAT, target), null);
        LoadedInstance instance = LoadedInstance.instantiate(loaded, store)) {
      assertEquals(207, instance.invoke("locals", 7).get(0).bits());
      assertEquals(1005, instance.invoke("clause-outside-its-try", 5).get(0).bits());
      assertEquals(9, instance.invoke("delegate-to-try-table", 9).get(0).bits());
      assertEquals(22, instance.invoke("rethrow-from-inner-try", 11).get(0).bits());
      assertEquals(10 + 9 + 8 + 7 + 6 + 5 + 4 + 3 + 2 + 1, instance.invoke("loop", 10).get(0).bits());
      TrapException uncaught = assertThrows(TrapException.class, () -> instance.invoke("uncaught", 3));
      assertEquals(TrapCode.UNCAUGHT_EXCEPTION, uncaught.code());
      assertEquals(8, instance.invoke("locals", 8 - 200).get(0).bits(), "the store runs on");
    }
  }

  /**
   * {@value #DEPTH} nested {@code try}s, the innermost throwing through a call; the catch clause of
   * each adds one and throws again to the next. Reading each {@code try}'s clauses ahead from the
   * {@code try} would read the rest of the body once per level.
   */
  private static final int DEPTH = 50;

  @ParameterizedTest
  @EnumSource(Target.class)
  void deeplyNestedTriesCatchAtEveryLevel(Target target) throws Exception {
    StringBuilder body = new StringBuilder("(call $thrower (local.get 0))");
    for (int i = 0; i < DEPTH; i++) {
      body.insert(0, "(try (do ").append(") (catch $e (call $thrower (i32.add (i32.const 1)))))");
    }
    String wat = """
        (module
          (tag $e (param i32))
          (func $thrower (param i32) (throw $e (local.get 0)))
          (func (export "nested") (param i32) (result i32)
            (try (result i32) (do %s (i32.const -1)) (catch $e))))
        """.formatted(body);
    try (NativeStore store = new NativeStore();
        LoadedModule loaded = LoadedModule.fromBytes(ExceptionEndToEndTest.compile(wat, target), null);
        LoadedInstance instance = LoadedInstance.instantiate(loaded, store)) {
      assertEquals(5 + DEPTH, instance.invoke("nested", 5).get(0).bits());
    }
  }
}
