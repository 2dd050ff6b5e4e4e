package dev.kiln.compiler.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.FuncKeyKind;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.LoweredFunction;
import dev.kiln.compiler.link.CompiledFunctions;
import dev.kiln.wasm.ImplementationLimitException;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.WasmWriter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The module's code budget ({@link CodeSizeLimit}) on both real backends. Red team 33 F1: a chain of
 * {@code f64.convert_i64_u; i64.trunc_f64_u}, two bytes, is 128 bytes of x86-64 (the unsigned
 * conversions SSE lacks) and 56 of AArch64, and nothing bounded code per byte: an 8 MB module made a
 * 551 MB artifact. The modules here are small, so the budget's floor is taken away (the package's
 * seam, {@link Compiler#compile(Module, Backend, CompileOptions, CompileProgress, long)}) and its
 * {@link CodeSizeLimit#PER_BODY_BYTE} a byte of body is what they meet.
 */
class ModuleCodeBudgetTest {
  private static final int FUNCTIONS = 16;
  private static final int PAIRS = 300;
  /** What the budget allows {@link CodeSizeLimit#PER_FUNCTION} for: each function and its entry trampoline. */
  private static final int JOBS = 2 * FUNCTIONS;

  @Test
  void aModuleOfLongExpansionsIsRefusedBeforeItsLaterFunctionsAreCompiled() {
    for (Backend backend : ForwardingBackend.BOTH_TARGETS) {
      Module module = Wasm.load(conversions(0));
      CountingBackend counting = new CountingBackend(backend);
      ImplementationLimitException e = assertThrows(ImplementationLimitException.class,
          () -> Compiler.compile(module, counting, new CompileOptions(1), CompileProgress.NONE, 0),
          backend.target().name());
      long limit = CodeSizeLimit.PER_BODY_BYTE * Compiler.environment(module, backend, new CompileOptions(1))
          .bodyBytes() + CodeSizeLimit.PER_FUNCTION * JOBS;
      assertTrue(e.getMessage().endsWith("bytes of machine code in the module's functions, more than Kiln's"
          + " implementation limit of " + limit), e.getMessage());
      int refused = e.functionIndex();
      assertEquals(module.code().get(refused).bodyStart(), e.offset(), backend.target().name());
      // One function at a time: the one whose code passed the limit was the last compiled, and the
      // functions after it were refused at their start, not compiled.
      assertEquals(refused + 1, counting.functions.get(), backend.target().name());
      assertTrue(refused < FUNCTIONS - 1, backend.target().name() + ": refused at function " + refused);
      assertTrue(counting.bytes.get() <= limit + counting.largest.get(), backend.target().name());
    }
  }

  @Test
  void aModuleAtTheBudgetCompilesAndOneNopShorterIsRefused() {
    for (Backend backend : ForwardingBackend.BOTH_TARGETS) {
      long code = chargedCode(Compiler.compile(Wasm.load(conversions(0)), backend, new CompileOptions(2),
          CompileProgress.NONE, Long.MAX_VALUE));
      // nops make no code: enough of them bring the module's code per byte of body down to the limit
      long bodyBytes = Compiler.environment(Wasm.load(conversions(0)), backend, new CompileOptions(2)).bodyBytes();
      int nops = (int) (Math.ceilDiv(code - CodeSizeLimit.PER_FUNCTION * JOBS, CodeSizeLimit.PER_BODY_BYTE)
          - bodyBytes);
      assertTrue(nops > 0, backend.target().name() + " makes " + code + " bytes of code for " + bodyBytes);
      Module justUnder = Wasm.load(conversions(nops));
      CompiledModule compiled = Compiler.compile(justUnder, backend, new CompileOptions(2), CompileProgress.NONE, 0);
      assertEquals(code, chargedCode(compiled), backend.target().name());
      Module over = Wasm.load(conversions(nops - 1));
      assertThrows(ImplementationLimitException.class,
          () -> Compiler.compile(over, backend, new CompileOptions(2), CompileProgress.NONE, 0),
          backend.target().name());
    }
  }

  /**
   * Red team 35 F3: a valid module of many exported functions of one {@code i32.const}, each 80 to
   * 112 bytes of code with its entry trampoline (fuel and epoch checks on), passed 16 a byte of body
   * and was refused; {@link CodeSizeLimit#PER_FUNCTION} is their frames' allowance.
   */
  @Test
  void aModuleOfManyTinyExportedFunctionsCompiles() {
    ExecutionLimits both = new ExecutionLimits(true, true);
    for (Backend backend : ForwardingBackend.BOTH_TARGETS) {
      CompiledModule compiled = Compiler.compile(Wasm.load(tinyExports(500)), backend,
          new CompileOptions(2).withLimits(both), CompileProgress.NONE, 0);
      assertEquals(500, compiled.functions().keys().stream()
          .filter(k -> k.kind() == FuncKeyKind.DEFINED_WASM_FUNCTION).count(), backend.target().name());
    }
  }

  /**
   * Red team 35 F1: the wasm-to-host trampolines of imported functions' types were charged to
   * neither budget: a module of no bodies importing 1,000 types of 1,000 {@code v128} parameters and
   * results made 59.8 MB of x86-64 code. They are charged as each is made, and refused in the name
   * of the first import of the type that passes the limit.
   */
  @Test
  void importTrampolinesAreChargedToTheBudget() {
    for (Backend backend : ForwardingBackend.BOTH_TARGETS) {
      ImplementationLimitException e = assertThrows(ImplementationLimitException.class,
          () -> Compiler.compile(Wasm.load(wideImports(4, 100)), backend, new CompileOptions(1),
              CompileProgress.NONE, 0), backend.target().name());
      assertTrue(e.getMessage().contains("bytes of machine code in the module's functions"), e.getMessage());
      assertEquals(0, e.functionIndex(), backend.target().name());
    }
  }

  /**
   * Whichever function the compile reports (the lowest index refused), the refusal names the
   * function whose code passed the limit, not one refused at its start after it (red team 35 F3's
   * "function 0"). Function 0 is made the largest, so the schedule (the smaller half first) compiles
   * it after the smaller half, where the limit is passed on x86-64 (the pair is 128 bytes there
   * against the 32 its two bytes allow) and function 0 is refused at its start.
   */
  @Test
  void theRefusalNamesTheFunctionThatPassedTheLimit() {
    for (Backend backend : ForwardingBackend.BOTH_TARGETS) {
      Module module = Wasm.load(conversions(0, PAIRS + 1, 40));
      ImplementationLimitException e = assertThrows(ImplementationLimitException.class,
          () -> Compiler.compile(module, backend, new CompileOptions(1), CompileProgress.NONE, 0),
          backend.target().name());
      assertTrue(e.functionIndex() > 0, backend.target().name() + ": " + e.getMessage() + " at " + e.functionIndex());
      assertEquals(module.code().get(e.functionIndex()).bodyStart(), e.offset(), backend.target().name());
    }
  }

  /** The code the budget is charged: every defined function's and every entry trampoline's. */
  private static long chargedCode(CompiledModule compiled) {
    long bytes = 0;
    CompiledFunctions functions = compiled.functions();
    for (int i = 0; i < functions.size(); i++) {
      FuncKeyKind kind = functions.key(i).kind();
      if (kind == FuncKeyKind.DEFINED_WASM_FUNCTION || kind == FuncKeyKind.ARRAY_TO_WASM_TRAMPOLINE) {
        bytes += CodeSizeLimit.charge(compiled.target(), functions.function(i));
      }
    }
    return bytes;
  }

  /**
   * {@link #FUNCTIONS} exported functions of type {@code (i64) -> i64}, each its parameter through
   * {@link #PAIRS} pairs {@code f64.convert_i64_u; i64.trunc_f64_u} (red team 33's {@code
   * cvt_trunc_u}); function 0 starts with {@code nops} nops.
   */
  private static byte[] conversions(int nops) {
    return conversions(nops, PAIRS, FUNCTIONS);
  }

  /** As {@link #conversions(int)}, {@code count} functions, function 0 of {@code firstPairs} pairs. */
  private static byte[] conversions(int nops, int firstPairs, int count) {
    WasmWriter functions = new WasmWriter();
    WasmWriter exports = new WasmWriter();
    WasmWriter code = new WasmWriter();
    for (int f = 0; f < count; f++) {
      WasmWriter body = new WasmWriter().u8(0);
      for (int i = 0; f == 0 && i < nops; i++) {
        body.u8(0x01);
      }
      body.raw(0x20, 0);
      for (int i = 0; i < (f == 0 ? firstPairs : PAIRS); i++) {
        body.raw(0xBA, 0xB1);
      }
      body.u8(0x0B);
      functions.u8(0);
      exports.name("f" + f).u8(0).u32(f);
      code.u32(body.size()).bytes(body);
    }
    return new ModuleWriter()
        .vectorSection(ModuleWriter.TYPE, 1, new WasmWriter().raw(0x60, 1, 0x7E, 1, 0x7E))
        .vectorSection(ModuleWriter.FUNCTION, count, functions)
        .vectorSection(ModuleWriter.EXPORT, count, exports)
        .vectorSection(ModuleWriter.CODE, count, code)
        .toByteArray();
  }

  /** {@code count} exported functions {@code () -> i32}, each {@code i32.const} of its index. */
  private static byte[] tinyExports(int count) {
    WasmWriter functions = new WasmWriter();
    WasmWriter exports = new WasmWriter();
    WasmWriter code = new WasmWriter();
    for (int f = 0; f < count; f++) {
      WasmWriter body = new WasmWriter().u8(0).u8(0x41).s32(f).u8(0x0B);
      functions.u8(0);
      exports.name("f" + f).u8(0).u32(f);
      code.u32(body.size()).bytes(body);
    }
    return new ModuleWriter()
        .vectorSection(ModuleWriter.TYPE, 1, new WasmWriter().raw(0x60, 0, 1, 0x7F))
        .vectorSection(ModuleWriter.FUNCTION, count, functions)
        .vectorSection(ModuleWriter.EXPORT, count, exports)
        .vectorSection(ModuleWriter.CODE, count, code)
        .toByteArray();
  }

  /**
   * {@code types} function types of {@code width} {@code v128} parameters and as many results, each
   * imported once, and no function bodies.
   */
  private static byte[] wideImports(int types, int width) {
    WasmWriter typeSection = new WasmWriter();
    WasmWriter imports = new WasmWriter();
    for (int t = 0; t < types; t++) {
      // distinct types: type t has t + 1 i32 parameters ahead of the vectors
      typeSection.u8(0x60).u32(t + 1 + width);
      for (int i = 0; i <= t; i++) {
        typeSection.u8(0x7F);
      }
      for (int i = 0; i < width; i++) {
        typeSection.u8(0x7B);
      }
      typeSection.u32(width);
      for (int i = 0; i < width; i++) {
        typeSection.u8(0x7B);
      }
      imports.name("env").name("f" + t).u8(0).u32(t);
    }
    return new ModuleWriter()
        .vectorSection(ModuleWriter.TYPE, types, typeSection)
        .vectorSection(ModuleWriter.IMPORT, types, imports)
        .toByteArray();
  }

  /** A backend that counts the functions it compiles and their bytes. */
  private static final class CountingBackend extends ForwardingBackend {
    final AtomicInteger functions = new AtomicInteger();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong largest = new AtomicLong();

    CountingBackend(Backend backend) {
      super(backend);
    }

    @Override
    public CompiledFunction emit(LoweredFunction function) {
      CompiledFunction compiled = super.emit(function);
      functions.incrementAndGet();
      bytes.addAndGet(compiled.code().length);
      largest.accumulateAndGet(compiled.code().length, Math::max);
      return compiled;
    }
  }
}
