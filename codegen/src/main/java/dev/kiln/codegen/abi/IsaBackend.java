package dev.kiln.codegen.abi;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.lower.SignaturePlaces;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What every ISA's {@link Backend} shares: the code an artifact needs beside its wasm functions
 * (stubs, trampolines, handlers) is the ISA's generators run each into a fresh buffer ({@link
 * CompiledFunction#emitted}), a trampoline's signature laid out in the ISA's wasm calling convention
 * first. An ISA's backend names its generators once ({@link FixedCode}) and adds how it compiles a
 * function and which settings change its code.
 */
public abstract class IsaBackend implements Backend {
  /**
   * One ISA's generators, run for the {@link Backend} methods of the same names.
   *
   * @param convention the ISA's wasm calling convention, which lays out a trampoline's signature
   * @param unsupportedStub {@link Backend#unsupportedStub}'s body, one for every signature
   * @param arrayToWasm the host's entry into a wasm function, given that function's raw FuncKey
   * @param wasmToArray the entry from wasm into a host function
   * @param trapHandler the code every trapping site calls
   * @param throwHandler the code {@code throw} and {@code throw_ref} call
   * @param builtinTrampoline the WASM_TO_BUILTIN trampoline of a builtin
   */
  public record FixedCode(CallConvention<?, ?> convention, Consumer<CodeBuffer> unsupportedStub, ToWasm arrayToWasm,
      ToHost wasmToArray, Consumer<CodeBuffer> trapHandler, Consumer<CodeBuffer> throwHandler,
      ToBuiltin builtinTrampoline) {
    public FixedCode {
      Objects.requireNonNull(convention, "convention");
      Objects.requireNonNull(unsupportedStub, "unsupportedStub");
      Objects.requireNonNull(arrayToWasm, "arrayToWasm");
      Objects.requireNonNull(wasmToArray, "wasmToArray");
      Objects.requireNonNull(trapHandler, "trapHandler");
      Objects.requireNonNull(throwHandler, "throwHandler");
      Objects.requireNonNull(builtinTrampoline, "builtinTrampoline");
    }
  }

  /** Writes the entry trampoline of wasm {@code params -> results} that calls the function {@code callee} (a raw FuncKey). */
  @FunctionalInterface
  public interface ToWasm {
    void emit(CodeBuffer buf, List<Type> params, List<Type> results, long callee);
  }

  /** Writes the trampoline from wasm into a host function of wasm {@code params -> results}. */
  @FunctionalInterface
  public interface ToHost {
    void emit(CodeBuffer buf, List<Type> params, List<Type> results);
  }

  /** Writes {@code builtin}'s trampoline, whose pointer is at {@code slotOffset}. */
  @FunctionalInterface
  public interface ToBuiltin {
    void emit(CodeBuffer buf, Builtin builtin, int slotOffset);
  }

  private final FixedCode fixed;
  /**
   * The call places of the one compile this backend serves ({@link Backend#forOneCompile}), laid out
   * in the ISA's wasm calling convention; null in a backend that outlives compiles, which keeps none:
   * their keys are signatures a module chooses, which may be hostile.
   */
  private final SignaturePlaces compileCallPlaces;

  /** @param forOneCompile whether this backend serves one compile and keeps its call places */
  protected IsaBackend(FixedCode fixed, boolean forOneCompile) {
    this.fixed = Objects.requireNonNull(fixed, "fixed");
    this.compileCallPlaces = forOneCompile ? SignaturePlaces.of(fixed.convention()) : null;
  }

  /** The call places a function lowers with: its compile's, or its own where none is kept. */
  protected final SignaturePlaces callPlaces() {
    return compileCallPlaces != null ? compileCallPlaces : SignaturePlaces.of(fixed.convention());
  }

  /** How many call signatures' places this backend keeps (none unless made by {@code forOneCompile}). */
  public final int keptCallPlaces() {
    return compileCallPlaces == null ? 0 : compileCallPlaces.size();
  }

  @Override
  public final CompiledFunction unsupportedStub(Signature signature) {
    return CompiledFunction.emitted(fixed.unsupportedStub());
  }

  @Override
  public final CompiledFunction arrayToWasmTrampoline(Signature signature, FuncKey callee) {
    CallLayout<?, ?> layout = fixed.convention().layout(signature);
    return CompiledFunction.emitted(buf ->
        fixed.arrayToWasm().emit(buf, layout.paramTypes(), layout.resultTypes(), callee.raw()));
  }

  @Override
  public final CompiledFunction wasmToArrayTrampoline(Signature signature) {
    CallLayout<?, ?> layout = fixed.convention().layout(signature);
    return CompiledFunction.emitted(buf -> fixed.wasmToArray().emit(buf, layout.paramTypes(), layout.resultTypes()));
  }

  @Override
  public final CompiledFunction trapHandler() {
    return CompiledFunction.emitted(fixed.trapHandler());
  }

  @Override
  public final CompiledFunction throwHandler() {
    return CompiledFunction.emitted(fixed.throwHandler());
  }

  @Override
  public final CompiledFunction builtinTrampoline(Builtin builtin, int slotOffset) {
    return CompiledFunction.emitted(buf -> fixed.builtinTrampoline().emit(buf, builtin, slotOffset));
  }
}
