package dev.kiln.tests.exceptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmValue;
import java.util.List;

import dev.kiln.artifact.Target;
import dev.kiln.codegen.Backend;
import dev.kiln.tests.support.Artifacts;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.Wat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * WebAssembly 3.0 exception handling run end to end on x86-64 and AArch64 (natively or under the
 * emulator, whose host calls run the unwinder as native code does): {@code throw} caught by a {@code
 * try_table} of the same function and of callers several frames up, with payloads of every number
 * type, locals live across the throwing call read back at the landing pad (spill slots, since the
 * unwinder restores no register), callee-saved registers of the catching function's
 * caller intact after the unwinder dropped frames that used them, and a clause order that picks
 * the first matching tag.
 */
class ExceptionEndToEndTest {
  private static final String WAT = """
      (module
        (tag $e (param i32))
        (tag $wide (param i64 f32 f64))
        (tag $other)
        (func $thrower (param i32) (throw $e (local.get 0)))
        (func $deep (param i32)
          (if (i32.eqz (local.get 0)) (then (throw $e (i32.const 77))))
          (call $deep (i32.sub (local.get 0) (i32.const 1))))
        (func (export "direct") (param i32) (result i32)
          (block $h (result i32)
            (try_table (catch $e $h)
              (throw $e (i32.add (local.get 0) (i32.const 1))))
            (i32.const -1)))
        (func (export "across") (param i32) (result i32)
          (local $keep i32)
          (local.set $keep (i32.const 1000))
          (block $h (result i32)
            (try_table (result i32) (catch $e $h)
              (call $thrower (local.get 0))
              (i32.const -1)))
          (local.get $keep)
          (i32.add))
        (func (export "deep") (param i32) (result i32)
          (block $h (result i32)
            (try_table (catch $e $h)
              (call $deep (local.get 0)))
            (i32.const -1)))
        (func (export "no-throw") (param i32) (result i32)
          (block $h (result i32)
            (try_table (result i32) (catch $e $h)
              (i32.mul (local.get 0) (i32.const 3)))))
        (func $throwWide (param i64 f32 f64) (throw $wide (local.get 0) (local.get 1) (local.get 2)))
        (func (export "wide") (param i64) (result f64)
          (local i64 f32 f64)
          (block $none
            (block $h (result i64 f32 f64)
              (try_table (catch $other $none) (catch $wide $h)
                (call $throwWide (local.get 0) (f32.const 1.5) (f64.const 2.25)))
              (return (f64.const -1)))
            (local.set 3) (local.set 2) (local.set 1)
            (return (f64.add (f64.add (f64.convert_i64_s (local.get 1)) (f64.promote_f32 (local.get 2)))
              (local.get 3))))
          (f64.const -2))
        (func $many (param i32) (result i32)
          (local i32 i32 i32 i32 i32 i32 i32 i32)
          (local.set 1 (i32.add (local.get 0) (i32.const 1)))
          (local.set 2 (i32.add (local.get 0) (i32.const 2)))
          (local.set 3 (i32.add (local.get 0) (i32.const 3)))
          (local.set 4 (i32.add (local.get 0) (i32.const 4)))
          (local.set 5 (i32.add (local.get 0) (i32.const 5)))
          (local.set 6 (i32.add (local.get 0) (i32.const 6)))
          (local.set 7 (i32.add (local.get 0) (i32.const 7)))
          (local.set 8 (i32.add (local.get 0) (i32.const 8)))
          (call $thrower (i32.const 5))
          (i32.add (local.get 1) (i32.add (local.get 2) (i32.add (local.get 3) (i32.add (local.get 4)
            (i32.add (local.get 5) (i32.add (local.get 6) (i32.add (local.get 7) (local.get 8)))))))))
        (func (export "live") (param i32) (result i32)
          (local i32 i32 i32 i32 i32 i32)
          (local.set 1 (i32.mul (local.get 0) (i32.const 2)))
          (local.set 2 (i32.mul (local.get 0) (i32.const 3)))
          (local.set 3 (i32.mul (local.get 0) (i32.const 5)))
          (local.set 4 (i32.mul (local.get 0) (i32.const 7)))
          (local.set 5 (i32.mul (local.get 0) (i32.const 11)))
          (local.set 6 (i32.mul (local.get 0) (i32.const 13)))
          (block $h (result i32)
            (try_table (result i32) (catch $e $h)
              (call $many (local.get 0))))
          (i32.add (local.get 1)) (i32.add (local.get 2)) (i32.add (local.get 3))
          (i32.add (local.get 4)) (i32.add (local.get 5)) (i32.add (local.get 6)))
        (func $callerOfCatcher (param i32) (result i32)
          (local i32 i32 i32 i32 i32)
          (local.set 1 (i32.add (local.get 0) (i32.const 10)))
          (local.set 2 (i32.add (local.get 0) (i32.const 20)))
          (local.set 3 (i32.add (local.get 0) (i32.const 30)))
          (local.set 4 (i32.add (local.get 0) (i32.const 40)))
          (local.set 5 (i32.add (local.get 0) (i32.const 50)))
          (call $catcher (local.get 0))
          (i32.add (local.get 1)) (i32.add (local.get 2)) (i32.add (local.get 3))
          (i32.add (local.get 4)) (i32.add (local.get 5)))
        (func $catcher (param i32) (result i32)
          (block $h (result i32)
            (try_table (result i32) (catch $e $h)
              (call $many (local.get 0)))))
        (func (export "saved") (param i32) (result i32) (call $callerOfCatcher (local.get 0)))
        (func (export "nested") (param i32) (result i32)
          (block $outer (result i32)
            (try_table (result i32) (catch $e $outer)
              (block $inner
                (try_table (catch $other $inner)
                  (call $thrower (local.get 0))))
              (i32.const -1))))
        (func (export "loop") (param i32) (result i32)
          (local $sum i32)
          (block $done
            (loop $next
              (br_if $done (i32.eqz (local.get 0)))
              (block $h (result i32)
                (try_table (catch $e $h)
                  (call $thrower (local.get 0)))
                (i32.const 0))
              (local.set $sum (i32.add (local.get $sum)))
              (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
              (br $next)))
          (local.get $sum))
      )
      """;

  /** catch_ref/throw_ref/catch_all/catch_all_ref, exnref values, and what escapes to the host. */
  private static final String REF_WAT = """
      (module
        (tag $e (param i32))
        (tag $f)
        (func $thrower (param i32) (throw $e (local.get 0)))
        (func $rethrowing (param i32) (result i32)
          (block $h (result i32 exnref)
            (try_table (catch_ref $e $h)
              (call $thrower (local.get 0)))
            (return (i32.const -1)))
          (throw_ref))
        (func (export "catch-ref-rethrow") (param i32) (result i32)
          (block $h (result i32)
            (try_table (result i32) (catch $e $h)
              (call $rethrowing (local.get 0)))))
        (func (export "catch-all") (param i32) (result i32)
          (block $h
            (try_table (catch $f $h) (catch_all $h)
              (call $thrower (local.get 0))))
          (i32.const 99))
        (func (export "catch-all-ref") (param i32) (result i32)
          (block $outer (result i32)
            (try_table (result i32) (catch $e $outer)
              (block $h (result exnref)
                (try_table (catch_all_ref $h)
                  (call $thrower (local.get 0)))
                (ref.null exn))
              (throw_ref))))
        (func (export "uncaught") (param i32) (result i32)
          (block $h
            (try_table (catch $f $h)
              (call $thrower (local.get 0))))
          (i32.const -1))
        (func (export "throw-ref-null") (throw_ref (ref.null exn)))
      )
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void referencesToExceptionsAreCaughtRethrownAndEscape(Target target) throws Exception {
    try (NativeStore store = new NativeStore();
        LoadedModule loaded = LoadedModule.fromBytes(compile(REF_WAT, target), null);
        LoadedInstance instance = LoadedInstance.instantiate(loaded, store)) {
      assertEquals(31, instance.invoke("catch-ref-rethrow", 31).get(0).bits());
      assertEquals(99, instance.invoke("catch-all", 4).get(0).bits());
      assertEquals(17, instance.invoke("catch-all-ref", 17).get(0).bits());
      TrapException uncaught = assertThrows(TrapException.class, () -> instance.invoke("uncaught", 8));
      assertEquals(TrapCode.UNCAUGHT_EXCEPTION, uncaught.code());
      // the trap carries the exception's payload, read from its object
      assertEquals(List.of(new WasmValue.I32(8)), uncaught.thrown().orElseThrow().payload());
      TrapException nullRef = assertThrows(TrapException.class, () -> instance.invoke("throw-ref-null"));
      assertEquals(TrapCode.NULL_EXCEPTION_REFERENCE, nullRef.code());
      // the store is usable after both
      assertEquals(5, instance.invoke("catch-ref-rethrow", 5).get(0).bits());
    }
  }

  /**
   * Throws through calls whose callees take stack arguments (twelve i64 parameters: more than the
   * wasm convention's integer argument registers on either target), caught in the caller, which
   * then reads its spilled locals and makes further stack-argument calls, fifty times over. Under
   * callee-pops the catching frame's stack pointer is its frame pointer minus its frame size, and
   * not what lies above the frame the exception left: through a tail call that grew its argument
   * area ({@code $viaTail}) that is lower by the growth, and the landing pad would read its spill
   * slots (stack-pointer relative) from the wrong place.
   */
  private static final String STACK_ARGS_WAT = """
      (module
        (tag $e (param i32))
        (func $throw12 (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
          (throw $e (i32.wrap_i64 (i64.add (local.get 0) (local.get 11)))))
        (func $sum12 (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)
          (i64.add (i64.add (i64.add (i64.add (i64.add (i64.add (i64.add (i64.add (i64.add (i64.add (i64.add (local.get 0) (local.get 1)) (local.get 2)) (local.get 3)) (local.get 4)) (local.get 5)) (local.get 6)) (local.get 7)) (local.get 8)) (local.get 9)) (local.get 10)) (local.get 11)))
        (func $viaTail (param i32)
          (return_call $throw12 (i64.extend_i32_u (local.get 0)) (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4) (i64.const 5) (i64.const 6) (i64.const 7) (i64.const 8) (i64.const 9) (i64.const 10) (i64.const 11)))
        (func $catchThenCall (param i32 i32) (result i32)
          (local $a i32) (local $b i32) (local $c i32)
          (local.set $a (i32.mul (local.get 0) (i32.const 3)))
          (local.set $b (i32.mul (local.get 0) (i32.const 5)))
          (local.set $c (i32.mul (local.get 0) (i32.const 7)))
          (block $h (result i32)
            (try_table (result i32) (catch $e $h)
              (if (local.get 1)
                (then (call $viaTail (local.get 0)))
                (else (call $throw12 (i64.extend_i32_u (local.get 0)) (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4) (i64.const 5) (i64.const 6) (i64.const 7) (i64.const 8) (i64.const 9) (i64.const 10) (i64.const 11))))
              (i32.const -1)))
          (i32.add (local.get $a)) (i32.add (local.get $b)) (i32.add (local.get $c))
          (i32.add (i32.wrap_i64 (call $sum12 (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4) (i64.const 5) (i64.const 6) (i64.const 7) (i64.const 8) (i64.const 9) (i64.const 10) (i64.const 11) (i64.const 12)))))
        (func (export "stack-args") (param i32 i32) (result i32)
          (local $i i32) (local $acc i32)
          (loop $next
            (local.set $acc (i32.add (local.get $acc)
              (call $catchThenCall (i32.add (local.get 0) (local.get $i)) (local.get 1))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $next (i32.lt_u (local.get $i) (i32.const 50))))
          (local.get $acc))
      )
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void catchingFrameResumesWithItsOwnStackPointerAfterStackArgumentCalls(Target target) throws Exception {
    try (NativeStore store = new NativeStore();
        LoadedModule loaded = LoadedModule.fromBytes(compile(STACK_ARGS_WAT, target), null);
        LoadedInstance instance = LoadedInstance.instantiate(loaded, store)) {
      int x = 4;
      // each round with y = x + i: caught y + 11, locals 3y + 5y + 7y, then 1 + ... + 12 = 78
      long expected = 0;
      for (int i = 0; i < 50; i++) {
        expected += 16L * (x + i) + 11 + 78;
      }
      assertEquals(expected, instance.invoke("stack-args", x, 0).get(0).bits(), "callee with stack arguments");
      assertEquals(expected, instance.invoke("stack-args", x, 1).get(0).bits(), "through a tail call that grew its area");
      // the entry's stack is whole after both
      assertEquals(expected, instance.invoke("stack-args", x, 0).get(0).bits());
    }
  }

  static byte[] compile(String wat, Target target) throws Exception {
    Backend backend = Artifacts.backend(target);
    CompiledModule compiled = Compiler.compile(Wasm.load(Wat.toBinaryWithNames(wat, "exceptions.wat")),
        backend, CompileOptions.defaults());
    return ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "exceptions");
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void throwsAreCaughtInTheSameFunctionAndAcrossCalls(Target target) throws Exception {
    byte[] artifact = compile(WAT, target);
    try (NativeStore store = new NativeStore();
        LoadedModule loaded = LoadedModule.fromBytes(artifact, null);
        LoadedInstance instance = LoadedInstance.instantiate(loaded, store)) {
      assertEquals(6, instance.invoke("direct", 5).get(0).bits());
      assertEquals(1009, instance.invoke("across", 9).get(0).bits());
      assertEquals(77, instance.invoke("deep", 50).get(0).bits());
      assertEquals(21, instance.invoke("no-throw", 7).get(0).bits());
      assertEquals(Double.doubleToRawLongBits(40 + 1.5 + 2.25),
          instance.invoke("wide", 40).get(0).bits());
      // 5 thrown, plus 3 * (2 + 3 + 5 + 7 + 11 + 13)
      assertEquals(5 + 3 * 41, instance.invoke("live", 3).get(0).bits());
      // 5 thrown, plus 5 * 3 + 150
      assertEquals(5 + 15 + 150, instance.invoke("saved", 3).get(0).bits());
      assertEquals(12, instance.invoke("nested", 12).get(0).bits());
      assertEquals(10 + 9 + 8 + 7 + 6 + 5 + 4 + 3 + 2 + 1, instance.invoke("loop", 10).get(0).bits());
    }
  }
}
