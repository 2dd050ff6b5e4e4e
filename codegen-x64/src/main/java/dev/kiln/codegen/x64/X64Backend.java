package dev.kiln.codegen.x64;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.compat.X64Feature;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.FinishedCode;
import dev.kiln.codegen.abi.CallLayout;
import dev.kiln.codegen.x64.abi.ArrayToWasmTrampoline;
import dev.kiln.codegen.x64.abi.BuiltinTrampoline;
import dev.kiln.codegen.x64.abi.ThrowStub;
import dev.kiln.codegen.x64.abi.TrapStub;
import dev.kiln.codegen.x64.abi.UnsupportedFunctionStub;
import dev.kiln.codegen.x64.abi.WasmCallConv;
import dev.kiln.codegen.x64.abi.WasmToArrayTrampoline;
import dev.kiln.codegen.x64.asm.FunctionTarget;
import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.Xmm;
import dev.kiln.codegen.x64.emit.FunctionEmitter;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.codegen.x64.lower.Lowering;
import dev.kiln.ir.Function;
import dev.kiln.ir.Signature;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Kiln's x86-64 {@link Backend}: IR functions through {@link Lowering} and {@link FunctionEmitter}
 * (register allocation, frame, trap blocks), trampolines and the trap handler from the {@code abi}
 * generators. Stateless apart from its settings, so one instance compiles on many threads.
 */
public final class X64Backend implements Backend {
  private final CpuFeatures features;
  private final boolean checkAllocations;

  /**
   * @param features the CPU extensions the code may use
   * @param checkAllocations run the register allocation checker on every function (tests)
   */
  public X64Backend(CpuFeatures features, boolean checkAllocations) {
    this.features = Objects.requireNonNull(features, "features");
    this.checkAllocations = checkAllocations;
  }

  /** A backend for the machine running this JVM, without the checker. */
  public static X64Backend forHost() {
    return new X64Backend(CpuFeatures.host(), false);
  }

  public CpuFeatures features() {
    return features;
  }

  @Override
  public Target target() {
    return Target.X86_64;
  }

  @Override
  public Map<String, String> settings() {
    return Map.of(X64Feature.SETTING, features.text());
  }

  @Override
  public CompiledFunction compileFunction(Function function) {
    return FunctionEmitter.emit(Lowering.lower(function, features), checkAllocations)
        .withInlineSites(function.dfg().inlineSites());
  }

  /** {@link UnsupportedFunctionStub}: one body for every signature, which it does not need. */
  @Override
  public CompiledFunction unsupportedStub(Signature signature) {
    CodeBuffer buf = new CodeBuffer();
    UnsupportedFunctionStub.emit(buf, FunctionEmitter.RAISE_TRAP);
    FinishedCode done = buf.finish();
    return new CompiledFunction(done.code(), done.relocs(), done.trapSites(), List.of());
  }

  @Override
  public CompiledFunction arrayToWasmTrampoline(Signature signature, FuncKey callee) {
    CodeBuffer buf = new CodeBuffer();
    CallLayout<Gpr, Xmm> layout = WasmCallConv.CONVENTION.layout(signature);
    ArrayToWasmTrampoline.emit(buf, layout.paramTypes(), layout.resultTypes(),
        new FunctionTarget(callee.raw()));
    FinishedCode done = buf.finish();
    return new CompiledFunction(done.code(), done.relocs(), done.trapSites(), List.of());
  }

  /** {@link WasmToArrayTrampoline}: parameters to ValRaws, call the host context's array_call. */
  @Override
  public CompiledFunction wasmToArrayTrampoline(Signature signature) {
    CodeBuffer buf = new CodeBuffer();
    CallLayout<Gpr, Xmm> layout = WasmCallConv.CONVENTION.layout(signature);
    WasmToArrayTrampoline.emit(buf, layout.paramTypes(), layout.resultTypes(), FunctionEmitter.RAISE_TRAP);
    FinishedCode done = buf.finish();
    return new CompiledFunction(done.code(), done.relocs(), done.trapSites(), List.of());
  }

  @Override
  public CompiledFunction trapHandler() {
    CodeBuffer buf = new CodeBuffer();
    TrapStub.emit(buf);
    FinishedCode done = buf.finish();
    return new CompiledFunction(done.code(), done.relocs(), done.trapSites(), List.of());
  }

  @Override
  public CompiledFunction throwHandler() {
    CodeBuffer buf = new CodeBuffer();
    ThrowStub.emit(buf);
    FinishedCode done = buf.finish();
    return new CompiledFunction(done.code(), done.relocs(), done.trapSites(), List.of());
  }

  @Override
  public CompiledFunction builtinTrampoline(Builtin builtin, int slotOffset) {
    CodeBuffer buf = new CodeBuffer();
    BuiltinTrampoline.emit(buf, builtin, slotOffset);
    FinishedCode done = buf.finish();
    return new CompiledFunction(done.code(), done.relocs(), done.trapSites(), List.of());
  }
}
