package dev.kiln.tests.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.codegen.Backend;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmFrame;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.tests.support.Artifacts;
import dev.kiln.tests.backend.BoundsCheckEliminationEndToEndTest.Isa;
import dev.kiln.tests.backend.BoundsCheckEliminationEndToEndTest.Running;
import dev.kiln.wat.Wat;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.code.Opcode;
import dev.kiln.wasm.module.Module;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * call_indirect and return_call_indirect through tables whose slots never change, which the
 * compiler turns into compares of the index and direct calls (compiler.translate.FixedTables), on
 * both targets: every slot calls what its last element segment put there (a later segment over an
 * earlier one, one function in two slots, a function of another type index with the same
 * signature), every other index traps as the checked call does (out of bounds, null, other
 * signature), a trap in a directly called slot function keeps both frames, and tables that code
 * writes are still read at each call (table.set, table.copy into it), as is a table with more slots
 * of the type than the compares cover; with lazily and eagerly initialised tables and with and
 * without inlining. Also: results of several values through the compare arms' join, a host function
 * in a fixed table, and a table whose segment comes after one that traps at instantiation, which
 * stays null for the failed instance's functions that an earlier segment leaked into another
 * module's table.
 */
class GuardedCallIndirectEndToEndTest {
  private static final String WAT = """
      (module
        (type $ii (func (param i32) (result i32)))
        (type $ii_again (func (param i32) (result i32)))
        (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
        (func $dbl (type $ii) (i32.mul (local.get 0) (i32.const 2)))
        (func $neg (type $ii) (i32.sub (i32.const 0) (local.get 0)))
        (func $quotient (type $ii_again) (i32.div_u (i32.const 100) (local.get 0)))
        (func $wide (param i64) (result i64) (local.get 0))
        (table $fixed 10 funcref)
        (elem (table $fixed) (i32.const 0) func $inc $dbl $wide $inc)
        (elem (table $fixed) (i32.const 1) func $neg)
        (elem (table $fixed) (i32.const 6) func $quotient)
        (func $call (export "call") (param $slot i32) (param $x i32) (result i32)
          (call_indirect $fixed (type $ii) (local.get $x) (local.get $slot)))
        (func (export "tail") (param $slot i32) (param $x i32) (result i32)
          (return_call_indirect $fixed (type $ii) (local.get $x) (local.get $slot)))

        (table $written 4 funcref)
        (elem (table $written) (i32.const 0) func $inc $dbl)
        (func (export "call_written") (param $slot i32) (param $x i32) (result i32)
          (call_indirect $written (type $ii) (local.get $x) (local.get $slot)))
        (func (export "set_neg") (param $slot i32) (table.set $written (local.get $slot) (ref.func $neg)))

        (table $copied 4 funcref)
        (elem (table $copied) (i32.const 0) func $inc $dbl)
        (func (export "call_copied") (param $slot i32) (param $x i32) (result i32)
          (call_indirect $copied (type $ii) (local.get $x) (local.get $slot)))
        (func (export "copy_fixed_into_copied") (param $to i32) (param $from i32)
          (table.copy $copied $fixed (local.get $to) (local.get $from) (i32.const 1)))

        (table $many 12 funcref)
        (elem (table $many) (i32.const 0) func $inc $dbl $neg $inc $dbl $neg $inc $dbl $neg $quotient)
        (func (export "call_many") (param $slot i32) (param $x i32) (result i32)
          (call_indirect $many (type $ii) (local.get $x) (local.get $slot)))
        (table $eight 8 funcref)
        (elem (table $eight) (i32.const 0) func $inc $dbl $neg $inc $dbl $neg $inc $quotient)
        (func (export "call_eight") (param $slot i32) (param $x i32) (result i32)
          (call_indirect $eight (type $ii) (local.get $x) (local.get $slot)))

        (type $split (func (param i64) (result i32 i64 f64)))
        (func $halves (type $split)
          (i32.wrap_i64 (local.get 0)) (i64.shr_u (local.get 0) (i64.const 32)) (f64.const 0.5))
        (func $swapped (type $split)
          (i32.wrap_i64 (i64.shr_u (local.get 0) (i64.const 32))) (i64.and (local.get 0) (i64.const 0xffffffff))
          (f64.const -2.0))
        (table $splits 2 funcref)
        (elem (table $splits) (i32.const 0) func $halves $swapped)
        (func (export "split") (param $slot i32) (param $v i64) (result i32 i64 f64)
          (call_indirect $splits (type $split) (local.get $v) (local.get $slot))))
      """;

  /** The compile settings the compares must not care about. */
  enum Settings {
    DEFAULTS(CompileOptions.defaults()),
    EAGER_TABLES(CompileOptions.defaults().withTableLazyInit(false)),
    NO_INLINING(CompileOptions.defaults().withInlining(false));

    final CompileOptions options;

    Settings(CompileOptions options) {
      this.options = options;
    }
  }

  static Stream<Arguments> isasAndSettings() {
    return Stream.of(Isa.values()).flatMap(isa -> Stream.of(Settings.values()).map(s -> Arguments.of(isa, s)));
  }

  private static Module module() {
    return Wasm.load(Wat.toBinaryWithNames(WAT, "test.wat"));
  }

  private static int call(LoadedInstance instance, String name, int slot, int x) {
    return (int) instance.invoke(name, slot, x).getFirst().bits();
  }

  /** The target of {@code isa}; the test is skipped where nothing runs its code. */
  private static Target runnableTarget(Isa isa) {
    Target target = isa == Isa.X86_64 ? Target.X86_64 : Target.AARCH64;
    assumeTrue(Executors.canRun(target), "no executor for " + target + " on this host");
    return target;
  }

  /** What {@code export} returns for 5 through each slot from 0, in order. */
  private static void assertSlotsOfFive(LoadedInstance instance, String export, int... expected) {
    for (int slot = 0; slot < expected.length; slot++) {
      assertEquals(expected[slot], call(instance, export, slot, 5), export + " slot " + slot);
    }
  }

  private static TrapCode trap(LoadedInstance instance, String name, long... args) {
    return assertThrows(TrapException.class, () -> instance.invoke(name, args)).code();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("isasAndSettings")
  void everySlotOfAFixedTableCallsWhatItsLastSegmentPutThere(Isa isa, Settings settings) throws Exception {
    try (Running running = Running.start(isa, module(), settings.options)) {
      LoadedInstance instance = running.instance();
      for (String export : List.of("call", "tail")) {
        assertEquals(6, call(instance, export, 0, 5), export);
        assertEquals(-5, call(instance, export, 1, 5), export + ": the second segment's $neg");
        assertEquals(6, call(instance, export, 3, 5), export + ": $inc in a second slot");
        assertEquals(20, call(instance, export, 6, 5), export + ": a type of the same signature");
        assertEquals(TrapCode.BAD_SIGNATURE, trap(instance, export, 2, 5), export);
        assertEquals(TrapCode.UNINITIALIZED_ELEMENT, trap(instance, export, 4, 5), export);
        assertEquals(TrapCode.UNINITIALIZED_ELEMENT, trap(instance, export, 9, 5), export);
        assertEquals(TrapCode.UNDEFINED_ELEMENT, trap(instance, export, 10, 5), export);
        assertEquals(TrapCode.UNDEFINED_ELEMENT, trap(instance, export, -1, 5), export);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Isa.class)
  void aTrapInADirectlyCalledSlotFunctionKeepsBothFrames(Isa isa) throws Exception {
    Module module = module();
    try (Running running = Running.start(isa, module)) {
      TrapException trap = assertThrows(TrapException.class, () -> running.instance().invoke("call", 6, 0));
      assertEquals(TrapCode.INTEGER_DIVISION_BY_ZERO, trap.code());
      List<String> frames = trap.backtrace().stream().filter(WasmFrame::isWasmFunction)
          .map(f -> f.name().orElse("?") + "@" + f.wasmOffset().orElse(-1)).toList();
      assertEquals(List.of("quotient@" + TrapOffsetEndToEndTest.at(module, 3, Opcode.I32_DIV_U, 0),
          "call@" + TrapOffsetEndToEndTest.at(module, 5, Opcode.CALL_INDIRECT, 0)), frames);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("isasAndSettings")
  void tablesThatCodeWritesAreReadAtEachCall(Isa isa, Settings settings) throws Exception {
    try (Running running = Running.start(isa, module(), settings.options)) {
      LoadedInstance instance = running.instance();
      assertEquals(6, call(instance, "call_written", 0, 5));
      instance.invoke("set_neg", 0);
      assertEquals(-5, call(instance, "call_written", 0, 5));
      instance.invoke("set_neg", 3);
      assertEquals(-5, call(instance, "call_written", 3, 5));

      assertEquals(10, call(instance, "call_copied", 1, 5));
      instance.invoke("copy_fixed_into_copied", 1, 1);
      assertEquals(-5, call(instance, "call_copied", 1, 5));
      instance.invoke("copy_fixed_into_copied", 2, 2);
      assertEquals(TrapCode.BAD_SIGNATURE, trap(instance, "call_copied", 2, 5));
    }
  }

  /** Eight slots of the type (as many as the compares cover) and ten (more): the same calls. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("isasAndSettings")
  void tablesAtAndOverTheCompareLimitCallTheSame(Isa isa, Settings settings) throws Exception {
    try (Running running = Running.start(isa, module(), settings.options)) {
      LoadedInstance instance = running.instance();
      assertSlotsOfFive(instance, "call_many", 6, 10, -5, 6, 10, -5, 6, 10, -5, 20);
      assertEquals(TrapCode.UNINITIALIZED_ELEMENT, trap(instance, "call_many", 11, 5));
      assertEquals(TrapCode.UNDEFINED_ELEMENT, trap(instance, "call_many", 12, 5));
      assertSlotsOfFive(instance, "call_eight", 6, 10, -5, 6, 10, -5, 6, 20);
      assertEquals(TrapCode.UNDEFINED_ELEMENT, trap(instance, "call_eight", 8, 5));
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("isasAndSettings")
  void severalResultsMeetAtTheJoin(Isa isa, Settings settings) throws Exception {
    try (Running running = Running.start(isa, module(), settings.options)) {
      LoadedInstance instance = running.instance();
      long v = 0x1234_5678_9abc_def0L;
      assertEquals(List.of(new WasmValue.I32(0x9abc_def0), new WasmValue.I64(0x1234_5678L), new WasmValue.F64(0.5)),
          instance.invoke("split", 0, v));
      assertEquals(List.of(new WasmValue.I32(0x1234_5678), new WasmValue.I64(0x9abc_def0L), new WasmValue.F64(-2.0)),
          instance.invoke("split", 1, v));
      assertEquals(TrapCode.UNDEFINED_ELEMENT, assertThrows(TrapException.class, () -> instance.invoke("split", 2, v)).code());
    }
  }

  private static final String UNDER_TRY = """
      (module
        (type $ii (func (param i32) (result i32)))
        (tag $inner (param i32))
        (tag $outer (param i32))
        (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
        (func $throw_inner (type $ii) (throw $inner (i32.mul (local.get 0) (i32.const 10))))
        (func $throw_outer (type $ii) (throw $outer (i32.add (local.get 0) (i32.const 100))))
        (table $fixed 4 funcref)
        (elem (table $fixed) (i32.const 0) func $inc $throw_inner $throw_outer)
        ;; 1000 + payload when the inner try_table catches, 2000 + payload when the outer one does
        (func (export "call") (param $slot i32) (param $x i32) (result i32)
          (block $outer_caught (result i32)
            (try_table (result i32) (catch $outer $outer_caught)
              (block $inner_caught (result i32)
                (try_table (result i32) (catch $inner $inner_caught)
                  (call_indirect $fixed (type $ii) (local.get $x) (local.get $slot)))
                (return))
              (i32.const 1000)
              (i32.add))
            (return))
          (i32.const 2000)
          (i32.add)))
      """;

  /**
   * Under {@code try_table}s each directly called slot function's exception reaches the handler
   * whose tag it has, the inner one or, past it, the outer one; the checked call's trap stays a trap.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("isasAndSettings")
  void exceptionsOfDirectlyCalledSlotFunctionsReachTheirHandlers(Isa isa, Settings settings) throws Exception {
    try (Running running = Running.start(isa, Wasm.load(Wat.toBinaryWithNames(UNDER_TRY, "test.wat")),
        settings.options)) {
      LoadedInstance instance = running.instance();
      assertEquals(6, call(instance, "call", 0, 5));
      assertEquals(1050, call(instance, "call", 1, 5), "$inner caught by the inner try_table");
      assertEquals(2105, call(instance, "call", 2, 5), "$outer caught by the outer try_table");
      assertEquals(TrapCode.UNINITIALIZED_ELEMENT, trap(instance, "call", 3, 5));
      assertEquals(TrapCode.UNDEFINED_ELEMENT, trap(instance, "call", 4, 5));
    }
  }

  private static final String IMPORTING = """
      (module
        (type $ii (func (param i32) (result i32)))
        (import "env" "triple" (func $triple (type $ii)))
        (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
        (table $fixed 2 funcref)
        (elem (table $fixed) (i32.const 0) func $triple $inc)
        (func (export "call") (param $slot i32) (param $x i32) (result i32)
          (call_indirect $fixed (type $ii) (local.get $x) (local.get $slot)))
        (func (export "tail") (param $slot i32) (param $x i32) (result i32)
          (return_call_indirect $fixed (type $ii) (local.get $x) (local.get $slot))))
      """;

  /** A host function in a fixed table is called, directly and by a tail call, as its import. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("isasAndSettings")
  void aHostFunctionInAFixedTableIsCalledAsItsImport(Isa isa, Settings settings) throws Exception {
    Target target = runnableTarget(isa);
    Module module = Wasm.load(Wat.toBinaryWithNames(IMPORTING, "test.wat"));
    try (NativeStore store = new NativeStore();
        LoadedModule loaded = LoadedModule.fromBytes(Artifacts.compile(module,
            BoundsCheckEliminationEndToEndTest.backend(isa), settings.options), null)) {
      ImportNamespace linker = new ImportNamespace(store, target);
      linker.defineFunction("env", "triple", new FuncType(List.of(ValType.I32), List.of(ValType.I32)),
          args -> List.of(new WasmValue.I32(3 * ((WasmValue.I32) args.getFirst()).value())));
      try (LoadedInstance instance = linker.instantiate(loaded)) {
        for (String export : List.of("call", "tail")) {
          assertEquals(21, call(instance, export, 0, 7), export);
          assertEquals(8, call(instance, export, 1, 7), export);
          assertEquals(TrapCode.UNDEFINED_ELEMENT, trap(instance, export, 2, 7), export);
        }
      }
    }
  }

  private static final String EXPORTER = """
      (module
        (type $t (func (result i32)))
        (table (export "tab") 2 funcref)
        (func (export "call") (param i32) (result i32) (call_indirect (type $t) (local.get 0))))
      """;

  /** Instantiation stops at its second segment; the third, which would fill $late, never runs. */
  private static final String STOPS_AT_A_SEGMENT = """
      (module
        (type $t (func (result i32)))
        (import "m" "tab" (table $shared 2 funcref))
        (table $late 1 funcref)
        (func $reach_late (type $t) (call_indirect $late (type $t) (i32.const 0)))
        (func $answer (type $t) (i32.const 42))
        (elem (table $shared) (i32.const 0) func $reach_late)
        (elem (table $shared) (i32.const 5) func $answer)
        (elem (table $late) (i32.const 0) func $answer))
      """;

  /**
   * Instantiation applies segments in order and stops at one that traps (spec 4.5.4), but what an
   * earlier segment put into an imported table stays there: the failed instance's $reach_late is
   * callable through the other module's table, and finds $late's slot null as the spec has it,
   * neither compared into a direct call of $answer nor read from a lazy table's image.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("isasAndSettings")
  void aSegmentAfterOneThatTrapsNeverReachesItsTable(Isa isa, Settings settings) throws Exception {
    runnableTarget(isa);
    Backend backend = BoundsCheckEliminationEndToEndTest.backend(isa);
    NativeStore store = new NativeStore();
    LoadedModule exporter = LoadedModule.fromBytes(Artifacts.compile(Wasm.load(Wat.toBinaryWithNames(EXPORTER, "test.wat")), backend,
        settings.options), null);
    LoadedModule stopping = LoadedModule.fromBytes(Artifacts.compile(Wasm.load(Wat.toBinaryWithNames(STOPS_AT_A_SEGMENT, "test.wat")),
        backend, settings.options), null);
    LoadedInstance instance = LoadedInstance.instantiate(exporter, store);
    try {
      Extern table = instance.export("tab").orElseThrow();
      assertThrows(RuntimeException.class, () -> LoadedInstance.instantiate(stopping, store, List.of(table)));
      assertEquals(TrapCode.UNINITIALIZED_ELEMENT, trap(instance, "call", 0));
      assertEquals(TrapCode.UNINITIALIZED_ELEMENT, trap(instance, "call", 1));
    } finally {
      // Instances first, then the store (which owns the failed instance), then the modules.
      instance.close();
      store.close();
      stopping.close();
      exporter.close();
    }
  }
}
