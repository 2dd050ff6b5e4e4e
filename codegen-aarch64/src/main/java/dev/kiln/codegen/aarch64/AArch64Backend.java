package dev.kiln.codegen.aarch64;

import dev.kiln.artifact.Target;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.LoweredFunction;
import dev.kiln.codegen.aarch64.abi.ArrayToWasmTrampoline;
import dev.kiln.codegen.aarch64.abi.BuiltinTrampoline;
import dev.kiln.codegen.aarch64.abi.ThrowStub;
import dev.kiln.codegen.aarch64.abi.TrapStub;
import dev.kiln.codegen.aarch64.abi.UnsupportedFunctionStub;
import dev.kiln.codegen.aarch64.abi.WasmCallConv;
import dev.kiln.codegen.aarch64.abi.WasmToArrayTrampoline;
import dev.kiln.codegen.aarch64.emit.FunctionEmitter;
import dev.kiln.codegen.aarch64.lower.EmitContext;
import dev.kiln.codegen.aarch64.lower.Lowering;
import dev.kiln.codegen.abi.IsaBackend;
import dev.kiln.codegen.lower.Lowered;
import dev.kiln.ir.Function;
import java.util.Map;

/**
 * Kiln's AArch64 {@link Backend}: IR functions through {@link Lowering} and {@link FunctionEmitter}
 * (register allocation, frame, trap blocks), trampolines, stubs and the trap handler from the
 * {@code abi} generators. The code uses only the base ARMv8.0-A instruction set with FP (no
 * optional extension), so its settings name that baseline. Stateless (but for one compile's call
 * places, a concurrent map, in one made by {@link #forOneCompile}), so one instance compiles on many
 * threads.
 */
public final class AArch64Backend extends IsaBackend {
  /** The {@code abi} package's generators of the code beside the wasm functions. */
  private static final FixedCode FIXED_CODE = new FixedCode(WasmCallConv.CONVENTION,
      buf -> UnsupportedFunctionStub.emit(buf, FunctionEmitter.RAISE_TRAP),
      (buf, params, results, callee) -> ArrayToWasmTrampoline.emit(buf, params, results,
          dev.kiln.codegen.aarch64.asm.Target.function(callee)),
      (buf, params, results) -> WasmToArrayTrampoline.emit(buf, params, results, FunctionEmitter.RAISE_TRAP),
      TrapStub::emit, ThrowStub::emit, BuiltinTrampoline::emit);

  /** The architecture level the code needs, recorded in the compat header. */
  public static final String ISA_LEVEL = "armv8.0-a+fp";

  private final boolean checkAllocations;

  /** @param checkAllocations run the register allocation checker on every function (tests) */
  public AArch64Backend(boolean checkAllocations) {
    this(checkAllocations, false);
  }

  private AArch64Backend(boolean checkAllocations, boolean forOneCompile) {
    super(FIXED_CODE, forOneCompile);
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

  /** A backend whose functions share one store of call places, which dies with it. */
  @Override
  public AArch64Backend forOneCompile() {
    return new AArch64Backend(checkAllocations, true);
  }

  @Override
  public Lowered<EmitContext> lower(Function function) {
    return Lowering.lower(function, callPlaces());
  }

  @Override
  public CompiledFunction emit(LoweredFunction function) {
    return FunctionEmitter.emit(Lowered.forContext(function, EmitContext.class), checkAllocations);
  }
}
