package dev.kiln.codegen;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.ir.Function;
import dev.kiln.ir.Signature;
import java.util.Map;

/**
 * What the compiler asks of an instruction set (Cranelift's TargetIsa): compile one IR function, and
 * make the fixed pieces of code every artifact needs. One implementation per ISA module; each call is
 * independent, so the compiler runs them on many threads at once.
 */
public interface Backend {
  /** The instruction set this backend emits, recorded in the artifact's compat header. */
  Target target();

  /**
   * Every setting that changes the emitted code (for example CPU features), recorded in the
   * artifact's compat header so that the loader refuses an artifact built for another machine.
   */
  Map<String, String> settings();

  /**
   * Compiles a translated wasm function. Its signature follows the translator's convention: callee
   * vmctx, caller vmctx, then the wasm parameters; the wasm results.
   */
  default CompiledFunction compileFunction(Function function) {
    return emit(lower(function));
  }

  /**
   * The first half of {@link #compileFunction}: {@code function} lowered to this ISA's machine
   * instructions on virtual registers. The result holds nothing of {@code function}, so a caller
   * that lets go of the IR here has it freed or reused while {@link #emit} allocates registers, which
   * takes the most memory of a function's compile.
   */
  LoweredFunction lower(Function function);

  /**
   * The second half of {@link #compileFunction}: registers allocated, the frame laid out and the
   * code emitted for a function this backend {@linkplain #lower lowered} (or another of its ISA with
   * the same settings: the lowering depends on them).
   *
   * @throws IllegalArgumentException if a backend of another ISA lowered it
   */
  CompiledFunction emit(LoweredFunction function);

  /**
   * The backend one module's compile uses for all its functions: the same code, with what it keeps
   * across them (each call signature's places) kept no longer than that compile, which may come from
   * a hostile module. This backend may live as long as the process; the one returned dies with the
   * compile. By default this backend itself, keeping nothing.
   */
  default Backend forOneCompile() {
    return this;
  }

  /**
   * What stands in for a wasm function of {@code signature} that this backend or the translator
   * refused to compile, when the compiler is asked to keep going ({@code CompileOptions}'s
   * {@code refusedFunctionsTrap}): a function that, whatever its arguments, raises the artifact's
   * {@code TrapCode.UNSUPPORTED} through the trap handler, with a {@link TrapSite} for it. It must
   * keep the wasm calling convention of {@code signature} for its callers, so direct calls and the
   * array-to-wasm trampoline reach it like the real function.
   *
   * @param signature the refused function's IR signature, in the translator's convention
   */
  CompiledFunction unsupportedStub(Signature signature);

  /**
   * The host's entry into {@code callee} (FuncKey kind ARRAY_TO_WASM_TRAMPOLINE): the C-ABI
   * {@code bool (callee_vmctx, caller_vmctx, ValRaw* values, size_t len)} that loads the arguments,
   * calls the wasm function and stores the results (docs/ARCHITECTURE.md section 4).
   *
   * <p>Its code depends on {@code signature} alone: {@code callee} appears only as the target of its
   * relocations, so the driver makes one per signature and retargets it ({@link
   * CompiledFunction#retargeted}).
   *
   * @param signature the callee's IR signature, in the translator's convention
   */
  CompiledFunction arrayToWasmTrampoline(Signature signature, FuncKey callee);

  /**
   * The entry from wasm into a host function of {@code signature} (FuncKey kind
   * WASM_TO_ARRAY_TRAMPOLINE, one per function type an import needs): compiled code calls it under
   * the wasm convention {@code (callee vmctx, caller vmctx, params...)} with the callee vmctx a
   * {@link dev.kiln.artifact.vm.HostContextLayout} block. It stores the parameters into {@code
   * ValRaw}s on its own frame, calls the block's {@code array_call} as {@code bool (callee_vmctx,
   * caller_vmctx, values, len)} with the platform C ABI, and returns the results from the same
   * slots; on {@code false} it raises {@code TrapCode.HOST_FUNCTION_FAILED} through the trap
   * handler (the host recorded why). It keeps a frame-pointer frame so backtraces pass through it.
   *
   * @param signature the host function's IR signature, in the translator's convention
   */
  CompiledFunction wasmToArrayTrampoline(Signature signature);

  /**
   * The code every trapping site calls: it records the trap in the store context and returns to the
   * innermost host entry with {@code false}. Linked under the FuncKey
   * {@code wasmToBuiltinTrampoline(Builtin.TRAP)}.
   */
  CompiledFunction trapHandler();

  /**
   * The code {@code throw} and {@code throw_ref} call ({@link Builtin#THROW}): it has the runtime find
   * the frame that catches and resumes it at its landing pad, or raises the {@code
   * uncaught_exception} trap as {@link #trapHandler()} does. Linked under the FuncKey {@code
   * wasmToBuiltinTrampoline(Builtin.THROW)}.
   */
  CompiledFunction throwHandler();

  /**
   * The WASM_TO_BUILTIN trampoline of {@code builtin} (any builtin but {@link Builtin#TRAP}, whose
   * entry is {@link #trapHandler()}): compiled code calls it with the wasm convention
   * {@code (callee vmctx, caller vmctx, params...)}; it calls the pointer the loader stored at
   * {@code slotOffset} in the VMContext with the platform C ABI as {@code results f(vmctx,
   * params...)} and returns the result under the wasm convention.
   *
   * @param slotOffset byte offset of the builtin's pointer, {@code VmLayout.builtin(builtin)} of the
   *     module being compiled (the offset depends on the module's VMContext shape), or {@link
   *     Builtin#storeSlot()} in the store context for a builtin that is not {@link Builtin#slotted()}
   */
  CompiledFunction builtinTrampoline(Builtin builtin, int slotOffset);
}
