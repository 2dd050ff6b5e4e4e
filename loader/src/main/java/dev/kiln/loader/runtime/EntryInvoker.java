package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.vm.VmLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Objects;

/**
 * Calls into wasm through an ARRAY_TO_WASM trampoline: the one downcall shape {@code bool(void*
 * callee_vmctx, void* caller_vmctx, ValRaw* values, size_t len)} bound once, with the trampoline's
 * address passed per call (ARCHITECTURE.md section 4), so no method handle is created per export.
 * A {@code false} return means the trap stub recorded a trap in the store context; it becomes a
 * {@link Trap}.
 *
 * <p>The downcall is not {@code critical}: wasm may call host functions, which are upcalls, and a
 * critical downcall must not upcall.
 */
public final class EntryInvoker {
  private static final MethodHandle ARRAY_CALL = Linker.nativeLinker().downcallHandle(
      FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));

  private final Store store;

  public EntryInvoker(Store store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  public Store store() {
    return store;
  }

  /**
   * Runs the trampoline at {@code trampoline}: arguments in {@code values} on entry, results there on
   * return.
   *
   * @param values at least {@code len} {@link ValRaw} slots, 16-byte aligned
   * @throws Trap if the wasm code trapped; the store stays usable
   */
  public void invoke(MemorySegment trampoline, MemorySegment calleeVmctx, MemorySegment callerVmctx,
      MemorySegment values, long len) {
    if (trampoline.address() == 0) {
      throw new IllegalArgumentException("null trampoline address");
    }
    if (len < 0 || values.byteSize() < len * ValRaw.SIZE) {
      throw new IllegalArgumentException(
          "values holds " + values.byteSize() + " bytes, fewer than " + len + " ValRaw slots");
    }
    if (values.address() % ValRaw.ALIGNMENT != 0) {
      throw new IllegalArgumentException("values at 0x" + Long.toHexString(values.address())
          + " is not " + ValRaw.ALIGNMENT + "-byte aligned");
    }
    // The entry and every prologue reach the store context through the callee vmctx; one that
    // points elsewhere would check the stack against another store's limit.
    long storeOfCallee = calleeVmctx.reinterpret(VmLayout.POINTER_SIZE)
        .get(ADDRESS, VmLayout.STORE_CONTEXT).address();
    if (storeOfCallee != store.context().address()) {
      throw new IllegalArgumentException("callee vmctx belongs to the store context at 0x"
          + Long.toHexString(storeOfCallee) + ", not this store's at 0x"
          + Long.toHexString(store.context().address()));
    }
    boolean ok;
    store.enter();
    try {
      ok = (boolean) ARRAY_CALL.invokeExact(trampoline, calleeVmctx, callerVmctx, values, len);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("array call failed", t);
    } finally {
      store.exit();
    }
    if (!ok) {
      throw store.recordedTrap();
    }
  }
}
