package dev.kiln.compiler.driver;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.LoweredFunction;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.ir.Function;
import dev.kiln.ir.Signature;
import java.util.List;
import java.util.Map;

/** A backend that hands every call to a real one: a test overrides what it watches. */
public abstract class ForwardingBackend implements Backend {
  /** The real backends a test wraps: x86-64 with baseline features and AArch64, unchecked. */
  static final List<Backend> BOTH_TARGETS =
      List.of(new X64Backend(CpuFeatures.baseline(), false), new AArch64Backend(false));

  private final Backend backend;

  protected ForwardingBackend(Backend backend) {
    this.backend = backend;
  }

  @Override
  public LoweredFunction lower(Function function) {
    return backend.lower(function);
  }

  @Override
  public CompiledFunction emit(LoweredFunction function) {
    return backend.emit(function);
  }

  @Override
  public Target target() {
    return backend.target();
  }

  @Override
  public Map<String, String> settings() {
    return backend.settings();
  }

  @Override
  public CompiledFunction unsupportedStub(Signature signature) {
    return backend.unsupportedStub(signature);
  }

  @Override
  public CompiledFunction arrayToWasmTrampoline(Signature signature, FuncKey callee) {
    return backend.arrayToWasmTrampoline(signature, callee);
  }

  @Override
  public CompiledFunction wasmToArrayTrampoline(Signature signature) {
    return backend.wasmToArrayTrampoline(signature);
  }

  @Override
  public CompiledFunction trapHandler() {
    return backend.trapHandler();
  }

  @Override
  public CompiledFunction throwHandler() {
    return backend.throwHandler();
  }

  @Override
  public CompiledFunction builtinTrampoline(Builtin builtin, int slotOffset) {
    return backend.builtinTrampoline(builtin, slotOffset);
  }
}
