package dev.kiln.tests.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmFrame;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.tests.support.Artifacts;
import dev.kiln.wat.Wat;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.code.Immediate;
import dev.kiln.wasm.code.InstructionReader;
import dev.kiln.wasm.module.FunctionBody;
import dev.kiln.wasm.module.Module;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Trap exactness after bounds-check elimination (the translator's range test, GVN's covered
 * checks) and VMContext-load hoisting, on both targets (AArch64 on its executor where there is
 * one): the first out-of-bounds access in program order traps, at its own wasm offset, with every
 * store before it done and nothing after it. Each function is built so that a check removed or
 * moved wrongly would trap at another access, or not at all, or lose a store.
 */
class BoundsCheckEliminationEndToEndTest {
  private static final int PAGE = 65536;

  private static final String WAT = """
      (module
        (memory (export "mem") 1 2)
        ;; A store, then a load of the next field: the store happens, the load traps.
        (func (export "store_then_load") (param $p i32) (result i32)
          (i32.store (local.get $p) (i32.const 0x11223344))
          (i32.load offset=4 (local.get $p)))
        ;; The widest field first: the later fields (offset 0, p+4 computed in wasm) need no
        ;; check of their own; any p that fails one fails the first.
        (func (export "fields") (param $p i32) (result i32)
          (i32.add
            (i32.add (i32.load offset=8 (local.get $p))
                     (i32.load (i32.add (local.get $p) (i32.const 4))))
            (i32.load (local.get $p))))
        ;; p + 16 may wrap around 2^32 to a small address and succeed, so p keeps its check:
        ;; with p = 0xfffffff8 the first store lands at 8 and the second traps.
        (func (export "wrapped_then_base") (param $p i32)
          (i64.store (i32.add (local.get $p) (i32.const 16)) (i64.const -1))
          (i64.store (local.get $p) (i64.const -1)))
        ;; Constant addresses: below the minimum size no check, past it checked.
        (func (export "constants") (result i32)
          (i32.store (i32.const 65532) (i32.const 7))
          (i32.load (i32.const 65533)))
        ;; A byte-indexed table at a constant address: always in bounds.
        (func (export "table") (param $b i32) (result i32)
          (i32.load8_u offset=65280 (i32.and (local.get $b) (i32.const 255))))
        ;; A loop without calls (the length load leaves it) storing a[i] = i for i < n,
        ;; then reading past the end: stores up to the trap are kept.
        (func (export "fill") (param $a i32) (param $n i32)
          (local $i i32)
          (block $done
            (loop $next
              (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
              (i32.store (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))
                         (local.get $i))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $next))))
        ;; After memory.grow, a check against the grown length passes where the old one failed.
        (func (export "grow_then_load") (param $p i32) (result i32)
          (drop (memory.grow (i32.const 1)))
          (i32.load (local.get $p))))
      """;

  /** Which code runs the module. */
  enum Isa {
    X86_64, AARCH64
  }

  static Backend backend(Isa isa) {
    return isa == Isa.X86_64 ? new X64Backend(CpuFeatures.host(), true) : new AArch64Backend(true);
  }

  /**
   * {@code module} compiled for {@code isa}, loaded and instantiated in a store of its own (the test
   * is skipped where nothing runs that target's code).
   */
  record Running(NativeStore store, LoadedModule loaded, LoadedInstance instance) implements AutoCloseable {
    static Running start(Isa isa, Module module) throws Exception {
      return start(isa, module, CompileOptions.defaults());
    }

    static Running start(Isa isa, Module module, CompileOptions options) throws Exception {
      Target target = isa == Isa.X86_64 ? Target.X86_64 : Target.AARCH64;
      assumeTrue(Executors.canRun(target), "no executor for " + target + " on this host");
      NativeStore store = new NativeStore();
      LoadedModule loaded = LoadedModule.fromBytes(Artifacts.compile(module, backend(isa), options), null);
      return new Running(store, loaded, LoadedInstance.instantiate(loaded, store));
    }

    @Override
    public void close() {
      instance.close();
      loaded.close();
      store.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Isa.class)
  void theFirstOutOfBoundsAccessTrapsAtItsOffsetAfterEveryEarlierStore(Isa isa) throws Exception {
    Module module = Wasm.load(Wat.toBinaryWithNames(WAT, "test.wat"));
    try (Running running = Running.start(isa, module)) {
      LoadedInstance instance = running.instance();
      // store_then_load: p = 65532 stores the last word, then its offset-4 load is past the end.
      TrapException trap = trap(instance, "store_then_load", PAGE - 4);
      assertEquals(accessOffsets(module, 0).get(1), offset(trap));
      assertEquals(0x11223344, word(instance, PAGE - 4));

      // fields: in bounds up to p = 65524 (its offset-8 field ends at 65536), then the first
      // access (offset 8) traps, whatever field would have been out of bounds.
      for (int i = 0; i < 3; i++) {
        instance.memory(0).set(ValueLayout.JAVA_INT_UNALIGNED, PAGE - 12 + 4 * i, 1 << (8 * i));
      }
      assertEquals(List.of(new WasmValue.I32(0x010101)), instance.invoke("fields", PAGE - 12));
      for (long p : new long[] {PAGE - 11, PAGE - 4, 0xFFFF_FFFCL}) {
        assertEquals(accessOffsets(module, 1).get(0), offset(trap(instance, "fields", p)));
      }

      // wrapped_then_base: the wrapped store at 8 is done, the store at p traps.
      trap = trap(instance, "wrapped_then_base", 0xFFFF_FFF8L);
      assertEquals(accessOffsets(module, 2).get(1), offset(trap));
      assertEquals(-1L, instance.memory(0).get(ValueLayout.JAVA_LONG_UNALIGNED, 8));

      // constants: the store below the minimum is done, the load at 65533 traps.
      trap = trap(instance, "constants");
      assertEquals(accessOffsets(module, 3).get(1), offset(trap));
      assertEquals(7, word(instance, PAGE - 4));

      instance.memory(0).set(ValueLayout.JAVA_BYTE, PAGE - 256 + 0xAB, (byte) 0x5A);
      assertEquals(List.of(new WasmValue.I32(0x5A)), instance.invoke("table", 0x7700_00ABL));

      // fill: a = 65536 - 40 holds ten words; n = 12 stores those ten, then traps at the 11th.
      trap = trap(instance, "fill", PAGE - 40, 12);
      assertEquals(accessOffsets(module, 5).get(0), offset(trap));
      for (int i = 0; i < 10; i++) {
        assertEquals(i, word(instance, PAGE - 40 + 4 * i));
      }

      // grow_then_load: 65536 is out of bounds of one page, in bounds after the grow.
      assertEquals(List.of(new WasmValue.I32(0)), instance.invoke("grow_then_load", PAGE));
    }
  }

  private static TrapException trap(LoadedInstance instance, String name, long... args) {
    TrapException trap = assertThrows(TrapException.class, () -> instance.invoke(name, args));
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap.code(), trap::toString);
    return trap;
  }

  /** The wasm offset of the trapping frame (the innermost defined function). */
  static int offset(TrapException trap) {
    for (WasmFrame frame : trap.backtrace()) {
      if (frame.wasmOffset().isPresent()) {
        return frame.wasmOffset().getAsInt();
      }
    }
    throw new AssertionError("no wasm offset in " + trap.backtrace());
  }

  private static int word(LoadedInstance instance, long address) {
    return instance.memory(0).get(ValueLayout.JAVA_INT_UNALIGNED, address);
  }

  /** Module offsets of the loads and stores of defined function {@code index}, in code order. */
  private static List<Integer> accessOffsets(Module module, int index) {
    FunctionBody body = module.code().get(index);
    InstructionReader reader = new InstructionReader(body.source(), body.codeStart(),
        body.codeEnd());
    List<Integer> offsets = new ArrayList<>();
    while (reader.hasNext()) {
      if (reader.next().immediate() == Immediate.MEMARG) {
        offsets.add(reader.instructionStart());
      }
    }
    return offsets;
  }
}
