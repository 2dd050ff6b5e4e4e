package dev.kiln.codegen.aarch64;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.FinishedCode;
import dev.kiln.codegen.aarch64.abi.ArrayToWasmTrampoline;
import dev.kiln.codegen.aarch64.abi.BuiltinTrampoline;
import dev.kiln.codegen.aarch64.abi.ThrowStub;
import dev.kiln.codegen.aarch64.abi.TrapStub;
import dev.kiln.codegen.aarch64.abi.UnsupportedFunctionStub;
import dev.kiln.codegen.aarch64.abi.WasmCallConv;
import dev.kiln.codegen.aarch64.abi.WasmToArrayTrampoline;
import dev.kiln.codegen.aarch64.asm.FpReg;
import dev.kiln.codegen.aarch64.asm.Gpr;
import dev.kiln.codegen.abi.CallLayout;
import dev.kiln.codegen.aarch64.emit.FunctionEmitter;
import dev.kiln.codegen.aarch64.lower.Lowering;
import dev.kiln.ir.Function;
import dev.kiln.ir.Signature;
import java.util.List;
import java.util.Map;

/**
 * Kiln's AArch64 {@link Backend}: IR functions through {@link Lowering} and {@link FunctionEmitter}
 * (register allocation, frame, trap blocks), trampolines, stubs and the trap handler from the
 * {@code abi} generators. The code uses only the base ARMv8.0-A instruction set with FP (no
 * optional extension), so its settings name that baseline. Stateless, so one instance compiles on
 * many threads.
 */
public final class AArch64Backend implements Backend {
  /** The architecture level the code needs, recorded in the compat header. */
  public static final String ISA_LEVEL = "armv8.0-a+fp";

  private final boolean checkAllocations;

  /** @param checkAllocations run the register allocation checker on every function (tests) */
  public AArch64Backend(boolean checkAllocations) {
    this.checkAllocations = checkAllocations;
  }

  @Override
  public Target target() {
    return Target.AARCH64;
  }

  @Override
  public Map<String, String> settings() {
    return Map.of("aarch64.isa", ISA_LEVEL);
  }

  @Override
  public CompiledFunction compileFunction(Function function) {
    return FunctionEmitter.emit(Lowering.lower(function), checkAllocations)
        .withInlineSites(function.dfg().inlineSites());
  }

  /** {@link UnsupportedFunctionStub}: one body for every signature, which it does not need. */
  @Override
  public CompiledFunction unsupportedStub(Signature signature) {
    CodeBuffer buf = new CodeBuffer();
    UnsupportedFunctionStub.emit(buf, FunctionEmitter.RAISE_TRAP);
    return done(buf);
  }

  @Override
  public CompiledFunction arrayToWasmTrampoline(Signature signature, FuncKey callee) {
    CodeBuffer buf = new CodeBuffer();
    CallLayout<Gpr, FpReg> layout = WasmCallConv.CONVENTION.layout(signature);
    ArrayToWasmTrampoline.emit(buf, layout.paramTypes(), layout.resultTypes(),
        dev.kiln.codegen.aarch64.asm.Target.function(callee.raw()));
    return done(buf);
  }

  @Override
  public CompiledFunction wasmToArrayTrampoline(Signature signature) {
    CodeBuffer buf = new CodeBuffer();
    CallLayout<Gpr, FpReg> layout = WasmCallConv.CONVENTION.layout(signature);
    WasmToArrayTrampoline.emit(buf, layout.paramTypes(), layout.resultTypes(), FunctionEmitter.RAISE_TRAP);
    return done(buf);
  }

  @Override
  public CompiledFunction trapHandler() {
    CodeBuffer buf = new CodeBuffer();
    TrapStub.emit(buf);
    return done(buf);
  }

  @Override
  public CompiledFunction throwHandler() {
    CodeBuffer buf = new CodeBuffer();
    ThrowStub.emit(buf);
    return done(buf);
  }

  @Override
  public CompiledFunction builtinTrampoline(Builtin builtin, int slotOffset) {
    CodeBuffer buf = new CodeBuffer();
    BuiltinTrampoline.emit(buf, builtin, slotOffset);
    return done(buf);
  }

  private static CompiledFunction done(CodeBuffer buf) {
    FinishedCode f = buf.finish();
    return new CompiledFunction(f.code(), f.relocs(), f.trapSites(), List.of());
  }
}
