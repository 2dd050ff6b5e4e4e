package dev.kiln.artifact.vm;

/**
 * The block a host function's callee vmctx points at, the contract between the WASM_TO_ARRAY
 * trampoline the compiler emits and the loader that allocates one block per host function
 * (docs/ARCHITECTURE.md section 4, "Array calling convention"). Wasm code calls an imported
 * function through its import record {@code {wasm_call, array_call, vmctx}}; for a host function
 * {@code wasm_call} is the importing module's WASM_TO_ARRAY trampoline of the import's type and
 * {@code vmctx} is this block. The trampoline reads the upcall's address from it, so one trampoline
 * serves every host function of a signature.
 *
 * <p>The store context pointer sits at {@link VmLayout#STORE_CONTEXT}, like in a VMContext, because
 * everything compiled code does with a callee vmctx before knowing what it is (the stack-limit check
 * in a prologue, the trap stub) reads the store context from offset 0.
 *
 * <pre>
 *   offset  field                                      size
 *   0       store context pointer                      8
 *   8       array_call: bool f(void* callee_vmctx,     8
 *           void* caller_vmctx, ValRaw* values, size_t len)
 *   16      host function id (the loader's; compiled code    4
 *           never reads it)
 *   20      padding                                    4
 * </pre>
 *
 * <p>The id lets ONE {@code array_call} entry per executor serve every host function of every
 * store: the entry reads the store context and the id from the callee vmctx it is passed and looks
 * the Java callback up in that store's registry, so the loader makes one costly upcall stub instead
 * of one per function or store.
 */
public final class HostContextLayout {
  private HostContextLayout() {}

  /** Offset of the store context pointer: the same as in a VMContext. */
  public static final int STORE_CONTEXT = VmLayout.STORE_CONTEXT;
  /** Offset of the host function's array-convention entry (an upcall stub). */
  public static final int ARRAY_CALL = 8;
  /** Bytes compiled code relies on; the loader may append its own fields after them. */
  public static final int SIZE = 16;
  /** Offset of the loader's 32-bit id of the host function, behind what compiled code reads. */
  public static final int HOST_FUNCTION_ID = SIZE;
  /** Bytes the loader allocates per block: compiled code's fields, the id, padding to 8. */
  public static final int ALLOCATION_SIZE = 24;
}
