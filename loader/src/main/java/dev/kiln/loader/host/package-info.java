/**
 * Host functions: Java code that wasm imports (docs/ARCHITECTURE.md section 4, "Array calling
 * convention"). A {@link dev.kiln.loader.host.HostFunction} owns a host context block (its callee
 * vmctx) and a VMFuncRef, and is linked as a {@code func.FunctionInstance}. Compiled code reaches it
 * through its module's WASM_TO_ARRAY trampoline and its executor's one array-call entry, shared by
 * every store, which finds the store from the context block ({@code runtime.UpcallRegistry}), and
 * the store's {@link dev.kiln.loader.host.HostCalls} the function by the id in its context block and
 * the calling instance by the caller vmctx ({@link
 * dev.kiln.loader.host.CallingInstance}); no exception ever reaches native code, it becomes a trap. A host
 * function that waits ends its wait at the store's epoch deadline through {@link
 * dev.kiln.loader.host.EpochDeadlines}. Its arguments are copied out of the ValRaw slots once, into
 * Java, before the callback runs.
 *
 * <p>The package sits above the instances because a host function sees its caller, an {@code
 * instance.LoadedInstance}; an instance sees a host function only as the function it imported.
 */
package dev.kiln.loader.host;
