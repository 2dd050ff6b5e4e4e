package dev.kiln.compiler.driver;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.compiler.inline.Inliner;
import dev.kiln.compiler.testsupport.StubBackend;
import dev.kiln.compiler.translate.FuncTranslator;
import dev.kiln.compiler.translate.IrSizeLimit;
import dev.kiln.compiler.translate.ModuleEnvironment;
import dev.kiln.ir.ReusedGraph;
import dev.kiln.wasm.ImplementationLimitException;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.WasmWriter;
import org.junit.jupiter.api.Test;

/**
 * What the module's IR budget ({@link IrSizeLimit#moduleBudget}) is charged besides translation.
 * Red team 32: inlining added up to 1,200 instructions to every caller after the budget was charged
 * (F1: a 314 KB module of callers made a 142.7 MB artifact), and the host's entry trampolines were
 * outside it (F2: 50,000 empty exports of a 1,000-parameter type, 576 KB, compiled trampolines for
 * 24.6 s and 975 MB after the module was already refused).
 */
class ModuleIrBudgetTest {
  private static final int CALLERS = 600;
  private static final int CALLS = 25;

  @Test
  void whatTheInlinerAddsIsCharged() {
    Module module = Wasm.load(inliningModule());
    // translated alone, every caller fits: the calls are two bytes and a few units each
    ModuleEnvironment plain = new ModuleEnvironment(module);
    for (int caller = 1; caller <= CALLERS; caller++) {
      FuncTranslator.translateUnoptimised(plain, caller, new ReusedGraph());
    }
    // with 25 calls of a 46-instruction callee inlined into each, the module's limit is passed
    ModuleEnvironment env = new ModuleEnvironment(module);
    Inliner inliner = new Inliner(env);
    ImplementationLimitException e = assertThrows(ImplementationLimitException.class, () -> {
      for (int caller = 1; caller <= CALLERS; caller++) {
        inliner.translate(caller, new ReusedGraph());
      }
    });
    assertTrue(e.getMessage().contains("in the module's functions"), e.getMessage());
  }

  @Test
  void entryTrampolinesAreCharged() {
    int params = 1_000;
    int exports = (int) (IrSizeLimit.MIN_LIMIT / IrSizeLimit.TRAMPOLINE_UNITS_PER_VALUE / params) + 10;
    ImplementationLimitException e = assertThrows(ImplementationLimitException.class,
        () -> Compiler.compile(Wasm.load(exportsModule(exports, params)), new StubBackend(), new CompileOptions(2)));
    assertTrue(e.getMessage().contains("in the module's functions"), e.getMessage());
    // a tenth of them fit
    assertDoesNotThrow(() -> Compiler.compile(Wasm.load(exportsModule(exports / 10, params)), new StubBackend(),
        new CompileOptions(2)));
  }

  /**
   * Red team 36 F2: an empty function with the fuel and epoch checks makes more IR than the 32 a
   * byte of its one-byte body, so a valid module of 200,000 of them was refused; each function's
   * share of the module's budget ({@link IrSizeLimit#PER_FUNCTION} besides its bytes') holds it.
   */
  @Test
  void anEmptyFunctionWithFuelAndEpochChecksFitsItsShare() {
    Module module = Wasm.load(new ModuleWriter()
        .vectorSection(ModuleWriter.TYPE, 1, new WasmWriter().raw(0x60, 0, 0))
        .vectorSection(ModuleWriter.FUNCTION, 1, new WasmWriter().u8(0))
        .vectorSection(ModuleWriter.CODE, 1, new WasmWriter().raw(2, 0, 0x0B))
        .toByteArray());
    ModuleEnvironment env = Compiler.environment(module, new StubBackend(),
        new CompileOptions(1).withLimits(new ExecutionLimits(true, true)));
    long units = FuncTranslator.translateUnoptimised(env, 0, new ReusedGraph()).dfg().size();
    long share = IrSizeLimit.PER_BODY_BYTE * env.bodyBytes() + IrSizeLimit.PER_FUNCTION;
    assertTrue(IrSizeLimit.functionCharge(units) <= share, units + " units against a share of " + share);
  }

  /**
   * Red team 37 F3: an entry trampoline had no share of its own, so 20,000 empty exported functions
   * of 7 parameters with the fuel and epoch checks (3,200,128 units against 3,200,000), a valid
   * module, were refused; each escaping function's trampoline brings {@link
   * IrSizeLimit#PER_FUNCTION} and is charged at least that.
   */
  @Test
  void emptyExportedFunctionsOfSevenParametersFitTheBudget() {
    int functions = 20_000;
    CompileOptions options = new CompileOptions(1).withLimits(new ExecutionLimits(true, true));
    ModuleEnvironment env = Compiler.environment(Wasm.load(exportsModule(functions, 7)), new StubBackend(), options);
    long units = FuncTranslator.translateUnoptimised(env, 0, new ReusedGraph()).dfg().size();
    long charged = functions
        * (IrSizeLimit.functionCharge(units) + IrSizeLimit.trampolineCharge(env.functionSignature(0)));
    assertTrue(charged <= env.irBudget().limit(), charged + " units against a limit of " + env.irBudget().limit());
  }

  /**
   * Function 0, {@code (i32) -> i32}: its parameter plus 1, 22 times (46 instructions, small enough
   * to inline); functions 1 to {@link #CALLERS}, the same type: a loop of {@link #CALLS} calls of
   * function 0 in a row.
   */
  private static byte[] inliningModule() {
    WasmWriter callee = new WasmWriter().u8(0).raw(0x20, 0);
    for (int i = 0; i < 22; i++) {
      callee.raw(0x41, 1, 0x6A); // i32.const 1, i32.add
    }
    callee.u8(0x0B);
    // in a loop, where the inliner takes callees of its full size
    WasmWriter caller = new WasmWriter().u8(0).raw(0x03, 0x7F, 0x20, 0); // loop (result i32), local.get 0
    for (int i = 0; i < CALLS; i++) {
      caller.raw(0x10, 0); // call 0
    }
    caller.raw(0x20, 0, 0x0D, 0, 0x0B, 0x0B); // local.get 0, br_if 0 (back to the loop), end, end
    WasmWriter functions = new WasmWriter();
    WasmWriter code = new WasmWriter().u32(callee.size()).bytes(callee);
    for (int f = 0; f <= CALLERS; f++) {
      functions.u8(0);
      if (f > 0) {
        code.u32(caller.size()).bytes(caller);
      }
    }
    return new ModuleWriter()
        .vectorSection(ModuleWriter.TYPE, 1, new WasmWriter().raw(0x60, 1, 0x7F, 1, 0x7F))
        .vectorSection(ModuleWriter.FUNCTION, CALLERS + 1, functions)
        .vectorSection(ModuleWriter.CODE, CALLERS + 1, code)
        .toByteArray();
  }

  /** {@code exports} exported functions of {@code params} i32 parameters and no results, each empty. */
  private static byte[] exportsModule(int exports, int params) {
    WasmWriter type = new WasmWriter().u8(0x60).u32(params);
    for (int i = 0; i < params; i++) {
      type.u8(0x7F);
    }
    type.u32(0);
    WasmWriter functions = new WasmWriter();
    WasmWriter names = new WasmWriter();
    WasmWriter code = new WasmWriter();
    for (int f = 0; f < exports; f++) {
      functions.u8(0);
      names.name("f" + f).u8(0).u32(f);
      code.raw(2, 0, 0x0B);
    }
    return new ModuleWriter()
        .vectorSection(ModuleWriter.TYPE, 1, type)
        .vectorSection(ModuleWriter.FUNCTION, exports, functions)
        .vectorSection(ModuleWriter.EXPORT, exports, names)
        .vectorSection(ModuleWriter.CODE, exports, code)
        .toByteArray();
  }
}
