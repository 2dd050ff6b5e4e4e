package dev.kiln.codegen.abi;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.StoreLayout;

/**
 * What a WASM_TO_ARRAY trampoline does when its host function returns {@code false}, decided once
 * for both ISAs; each ISA's {@code abi.WasmToArrayTrampoline} only chooses the instructions.
 *
 * <p>The host either threw a wasm exception into its caller (WebAssembly 3.0 section 4.5.3: a host
 * function may throw an exception of any tag of the store, which the wasm frames below it may
 * catch), or it failed otherwise. The runtime tells the two apart before returning: an exception to
 * throw is an object it allocated in the store (inside the store's memory budget, like every
 * exception object), whose address it writes to {@link #PENDING_EXCEPTION}. So the failure path:
 *
 * <ol>
 *   <li>reads {@link #PENDING_EXCEPTION} through the host context's store context; nonzero:
 *   <li>clears it (the next host failure must not see it again) and calls the throw stub ({@link
 *       #THROW_STUB}) with the host context as vmctx and the object as the exception, from the
 *       trampoline's own frame: the unwinder starts at that frame, which has no handler, and goes
 *       on to the wasm caller's call site, which has one when the call sits in a {@code try_table}
 *       (or legacy {@code try}). The stub never returns.
 *   <li>zero: raises {@link TrapCode#HOST_FUNCTION_FAILED} as before (a Java exception is never a
 *       wasm exception: no {@code catch_all} sees it).
 * </ol>
 *
 * <p>Hence every artifact that has a WASM_TO_ARRAY trampoline (a module with a function import)
 * carries the throw stub, whether or not its own code throws ({@link #needsThrowStub}); a module
 * without function imports is compiled as before.
 */
public final class HostCallFailure {
  private HostCallFailure() {}

  /** The store-context field the runtime leaves the exception to throw in (0: none). */
  public static final int PENDING_EXCEPTION = StoreLayout.PENDING_EXCEPTION;

  /** The code the failure path calls with a pending exception: the throw stub's key. */
  public static final FuncKey THROW_STUB = FuncKey.wasmToBuiltinTrampoline(Builtin.THROW.index());

  /**
   * Whether a module needs the throw stub for its host calls: when it has a WASM_TO_ARRAY
   * trampoline, i.e. {@code importedFunctionTypes} is not empty.
   */
  public static boolean needsThrowStub(int importedFunctionTypes) {
    return importedFunctionTypes > 0;
  }
}
