package dev.kiln.codegen.x64;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.compat.X64Feature;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.LoweredFunction;
import dev.kiln.codegen.abi.IsaBackend;
import dev.kiln.codegen.lower.Lowered;
import dev.kiln.codegen.x64.abi.ArrayToWasmTrampoline;
import dev.kiln.codegen.x64.abi.BuiltinTrampoline;
import dev.kiln.codegen.x64.abi.ThrowStub;
import dev.kiln.codegen.x64.abi.TrapStub;
import dev.kiln.codegen.x64.abi.UnsupportedFunctionStub;
import dev.kiln.codegen.x64.abi.WasmCallConv;
import dev.kiln.codegen.x64.abi.WasmToArrayTrampoline;
import dev.kiln.codegen.x64.asm.FunctionTarget;
import dev.kiln.codegen.x64.emit.FunctionEmitter;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.codegen.x64.lower.EmitContext;
import dev.kiln.codegen.x64.lower.Lowering;
import dev.kiln.ir.Function;
import java.util.Map;
import java.util.Objects;

/**
 * Kiln's x86-64 {@link Backend}: IR functions through {@link Lowering} and {@link FunctionEmitter}
 * (register allocation, frame, trap blocks), trampolines and the trap handler from the {@code abi}
 * generators. Stateless apart from its settings (and, made by {@link #forOneCompile}, one compile's
 * call places, a concurrent map), so one instance compiles on many threads.
 */
public final class X64Backend extends IsaBackend {
  /** The {@code abi} package's generators of the code beside the wasm functions. */
  private static final FixedCode FIXED_CODE = new FixedCode(WasmCallConv.CONVENTION,
      buf -> UnsupportedFunctionStub.emit(buf, FunctionEmitter.RAISE_TRAP),
      (buf, params, results, callee) -> ArrayToWasmTrampoline.emit(buf, params, results, new FunctionTarget(callee)),
      (buf, params, results) -> WasmToArrayTrampoline.emit(buf, params, results, FunctionEmitter.RAISE_TRAP),
      TrapStub::emit, ThrowStub::emit, BuiltinTrampoline::emit);

  private final CpuFeatures features;
  private final boolean checkAllocations;

  /**
   * @param features the CPU extensions the code may use
   * @param checkAllocations run the register allocation checker on every function (tests)
   */
  public X64Backend(CpuFeatures features, boolean checkAllocations) {
    this(features, checkAllocations, false);
  }

  private X64Backend(CpuFeatures features, boolean checkAllocations, boolean forOneCompile) {
    super(FIXED_CODE, forOneCompile);
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

  /** A backend whose functions share one store of call places, which dies with it. */
  @Override
  public X64Backend forOneCompile() {
    return new X64Backend(features, checkAllocations, true);
  }

  @Override
  public Lowered<EmitContext> lower(Function function) {
    return Lowering.lower(function, features, callPlaces());
  }

  @Override
  public CompiledFunction emit(LoweredFunction function) {
    return FunctionEmitter.emit(Lowered.forContext(function, EmitContext.class), checkAllocations);
  }
}
