package dev.kiln.compiler.translate;

import dev.kiln.ir.interp.Interpreter;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.VmShape;
import dev.kiln.compiler.UnsupportedFeatureException;
import dev.kiln.ir.Function;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.verify.Verifier;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import dev.kiln.wat.Wat;
import org.junit.jupiter.api.Test;

class FuncTranslatorTest {
  private static Module module(String wat) {
    return Wasm.load(Wat.toBinary(wat, "test.wat"));
  }

  private static ModuleInterpreter instance(Module m) {
    ModuleEnvironment env = new ModuleEnvironment(m);
    String[] reasons = new String[env.definedFunctionCount()];
    Function[] functions = ModuleInterpreter.translateAll(env, reasons);
    for (Function f : functions) {
      Verifier.check(f);
    }
    return new ModuleInterpreter(env, functions, reasons);
  }

  @Test
  void unsupportedFeatureNamesItsOffsetAndFunction() {
    // More than 2^20 locals: valid wasm that the translator refuses, at the body's start.
    Module m = module("""
        (module
          (import "env" "f" (func))
          (func (result i32) i32.const 1)
          (func (param i32) (result i32) (local%s) local.get 0))
        """.formatted(" i32".repeat((1 << 20) + 1)));
    ModuleEnvironment env = new ModuleEnvironment(m);
    int offset = m.code().get(1).bodyStart();
    UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
        () -> FuncTranslator.translate(env, 1));
    assertEquals("1048577 locals at 0x" + Integer.toHexString(offset) + " in function 2 is"
        + " not supported yet", e.getMessage());
    assertEquals(2, e.functionIndex());
    assertEquals(offset, e.offset());
    Verifier.check(FuncTranslator.translate(env, 0));
  }

  @Test
  void shapeCountsImportsDefinitionsAndEscapingFunctions() {
    Module m = module("""
        (module
          (import "env" "f" (func $f))
          (import "env" "m" (memory 1))
          (import "env" "g" (global i32))
          (table 2 funcref)
          (global (mut i64) (i64.const 0))
          (global i32 (i32.const 3))
          (global funcref (ref.func $c))
          (elem (i32.const 0) $b)
          (elem declare func $f)
          (func $a (export "a") (drop (ref.func $f)))
          (func $b)
          (func $c)
          (func $d))
        """);
    ModuleEnvironment env = new ModuleEnvironment(m);
    assertEquals(new VmShape(1, 1, 0, 0, 1, 1, 3, 4, 1, Builtin.SLOTTED, 2, 0), env.layout().shape());
    // Escaping: $f (declared for ref.func), $a (export), $b (element), $c (global); not $d.
    assertEquals(0, env.escaping().escapeIndex(0));
    assertEquals(1, env.escaping().escapeIndex(1));
    assertEquals(2, env.escaping().escapeIndex(2));
    assertEquals(3, env.escaping().escapeIndex(3));
    assertEquals(-1, env.escaping().escapeIndex(4));
    assertEquals(4, env.escaping().count());
  }

  @Test
  void boundsCheckCoversOffsetPlusWidthWithoutWrapping() {
    ModuleInterpreter vm = instance(module("""
        (module
          (memory 1)
          (func (export "load") (param i32) (result i32)
            local.get 0
            i32.load offset=4294967295)
          (func (export "load_at") (param i32) (result i64)
            local.get 0
            i64.load offset=65528)
          (func (export "store") (param i32 i32)
            local.get 0
            local.get 1
            i32.store16 offset=1)
          (func (export "read") (param i32) (result i32)
            local.get 0
            i32.load16_s))
        """));
    // 0xffffffff + 4 bytes wraps in 32-bit math but not in the translator's 64-bit math.
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, assertThrows(Interpreter.Trap.class,
        () -> vm.invoke(0, new long[] {1}, 1000)).code());
    assertArrayEquals(new long[] {0}, vm.invoke(1, new long[] {0}, 1000));
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, assertThrows(Interpreter.Trap.class,
        () -> vm.invoke(1, new long[] {1}, 1000)).code());
    vm.invoke(2, new long[] {65533, 0x8001}, 1000);
    assertArrayEquals(new long[] {(short) 0x8001}, vm.invoke(3, new long[] {65534}, 1000));
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, assertThrows(Interpreter.Trap.class,
        () -> vm.invoke(2, new long[] {65534, 1}, 1000)).code());
    // A negative i32 index is a large unsigned one: zero-extended, never sign-extended.
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, assertThrows(Interpreter.Trap.class,
        () -> vm.invoke(3, new long[] {-2}, 1000)).code());
  }

  @Test
  void floatOperatorsConversionsAndMemoryTranslateToWasmSemantics() {
    ModuleInterpreter vm = instance(module("""
        (module
          (memory 1)
          (func (export "hyp") (param f64 f64) (result f64)
            local.get 0 local.get 0 f64.mul local.get 1 local.get 1 f64.mul f64.add f64.sqrt)
          (func (export "min") (param f32 f32) (result f32) local.get 0 local.get 1 f32.min)
          (func (export "trunc") (param f32) (result i32) local.get 0 i32.trunc_f32_s)
          (func (export "sat") (param f64) (result i64) local.get 0 i64.trunc_sat_f64_u)
          (func (export "roundtrip") (param f32) (result f32)
            i32.const 8 local.get 0 f32.store i32.const 8 f32.load f32.const 0.5 f32.add)
          (func (export "lt") (param f64 f64) (result i32) local.get 0 local.get 1 f64.lt)
          (func (export "bits") (param f32) (result i32)
            local.get 0 f32.neg i32.reinterpret_f32))
        """));
    long three = Double.doubleToRawLongBits(3.0);
    long four = Double.doubleToRawLongBits(4.0);
    assertArrayEquals(new long[] {Double.doubleToRawLongBits(5.0)},
        vm.invoke(0, new long[] {three, four}, 1000));
    long minusZero = Integer.toUnsignedLong(Float.floatToRawIntBits(-0.0f));
    assertArrayEquals(new long[] {minusZero}, vm.invoke(1, new long[] {0, minusZero}, 1000));
    assertArrayEquals(new long[] {-7},
        vm.invoke(2, new long[] {Float.floatToRawIntBits(-7.9f)}, 1000));
    assertEquals(TrapCode.BAD_CONVERSION_TO_INTEGER, assertThrows(Interpreter.Trap.class,
        () -> vm.invoke(2, new long[] {0x7FC0_0000L}, 1000)).code());
    assertEquals(TrapCode.INTEGER_OVERFLOW, assertThrows(Interpreter.Trap.class,
        () -> vm.invoke(2, new long[] {Float.floatToRawIntBits(2147483648f)}, 1000)).code());
    assertArrayEquals(new long[] {-1}, vm.invoke(3, new long[] {Double.doubleToRawLongBits(1e30)},
        1000));
    assertArrayEquals(new long[] {0}, vm.invoke(3, new long[] {Double.doubleToRawLongBits(-5)},
        1000));
    assertArrayEquals(new long[] {Float.floatToRawIntBits(2.0f)},
        vm.invoke(4, new long[] {Float.floatToRawIntBits(1.5f)}, 1000));
    assertArrayEquals(new long[] {1}, vm.invoke(5, new long[] {three, four}, 1000));
    assertArrayEquals(new long[] {0}, vm.invoke(5, new long[] {0x7FF8_0000_0000_0000L, four},
        1000));
    assertArrayEquals(new long[] {Float.floatToRawIntBits(-1.0f)},
        vm.invoke(6, new long[] {Float.floatToRawIntBits(1.0f)}, 1000));
  }

  @Test
  void multiValueBlocksLoopsAndReturnsFlowThroughBlockParameters() {
    ModuleInterpreter vm = instance(module("""
        (module
          (func $divmod (param i32 i32) (result i32 i32)
            local.get 0 local.get 1 i32.div_u
            local.get 0 local.get 1 i32.rem_u)
          (func (export "f") (param i32) (result i32)
            (local i32)
            ;; sum of digits in base 10, with a multi-value loop carrying (n, acc)
            local.get 0
            i32.const 0
            loop (param i32 i32) (result i32 i32)
              local.set 1
              i32.const 10
              call $divmod
              local.get 1
              i32.add
              local.set 1
              local.tee 0
              local.get 1
              local.get 0
              br_if 0
            end
            i32.add))
        """));
    assertArrayEquals(new long[] {1 + 2 + 3 + 4 + 5}, vm.invoke(1, new long[] {12345}, 100_000));
    assertArrayEquals(new long[] {0}, vm.invoke(1, new long[] {0}, 100_000));
  }

  @Test
  void deadCodeAfterBranchesEmitsNothingAndLiveCodeKeepsSourceLocations() {
    Module m = module("""
        (module
          (func (param i32) (result i32)
            block (result i32)
              i32.const 1
              br 0
              block
                loop
                  i32.const 7
                  br_if 0
                end
              end
              i32.const 2
              i32.add
            end
            drop
            local.get 0
            if (result i32)
              i32.const 5
              return
            else
              unreachable
            end))
        """);
    Function f = FuncTranslator.translate(new ModuleEnvironment(m), 0);
    Verifier.check(f);
    String text = f.toString();
    assertEquals(-1, text.indexOf("iconst.i32 7"), text);
    assertEquals(-1, text.indexOf("iconst.i32 2"), text);
    assertNull(SourceLocations.check(f, m.code().get(0)));
  }
}
