/**
 * Running compiled code: the {@link dev.kiln.loader.runtime.NativeStore} whose native context compiled
 * code reads its stack limit from and writes trap state into, and which owns the executor of each
 * target its instances run ({@code loader.exec}: natively, or AArch64 on the Unicorn emulator); the
 * {@link dev.kiln.loader.runtime.EntryInvoker} that checks an entry through an ARRAY_TO_WASM
 * trampoline and has the executor run it; the {@link dev.kiln.loader.runtime.ValRaw} slots
 * arguments and results travel in; and {@link dev.kiln.loader.runtime.TrapException}, the exception a
 * trapping call becomes. Traps use no signals (the JVM owns them): compiled code checks explicitly
 * and unwinds through the trap stub to the innermost entry, which returns {@code false}
 * (docs/ARCHITECTURE.md section 4), on either executor. The {@link dev.kiln.loader.runtime.Epoch}
 * is the counter code compiled with epoch interruption compares with its store's deadline; the
 * store also holds the fuel of code compiled with fuel metering ({@code
 * artifact.vm.ExecutionLimits}).
 *
 * <p>The store keeps the thread claim, the entries and the wiring; each of its other jobs is a
 * package-private class: the native block ({@code StoreContext}), the stack floor of an outermost
 * entry ({@code StackFloor}), the epoch deadline and fuel ({@code EpochDeadlineAndFuel}), the
 * executors ({@code StoreExecutors}), the objects not yet freed ({@code StoreLifetimes}), the
 * function references ({@code FunctionReferenceRegistry}), the checks of references from Java
 * ({@code ReferenceChecks}), the GC heap and its roots ({@code StoreGc}), the heap's calls under
 * the store's lock and claim with the owner decision and the host-call safepoints ({@code
 * StoreGcAccess}), the code regions of backtraces ({@code StoreCodeRegions}), other packages' per-store state ({@code StoreAttachments})
 * and what a failed entry ends with ({@code TrapReports}).
 *
 * <p>The vocabulary every package above shares lives here too, so that none of them has to reach
 * sideways for it: {@link dev.kiln.loader.runtime.WasmValue} (a typed wasm value), {@link
 * dev.kiln.loader.runtime.WasmFrame} (a backtrace frame, which a {@code TrapException} carries), {@link
 * dev.kiln.loader.runtime.HostObjects} (an arena and a lifetime for a memory, table or global made
 * by the host) and {@link dev.kiln.loader.runtime.ModuleInstantiationException} (a memory or table
 * refused at instantiation).
 *
 * <p><b>Resource limits.</b> A store's {@link dev.kiln.loader.runtime.StoreLimits} bound what its
 * objects may allocate (memory bytes and table elements summed over the store, live instances,
 * memories and tables) and how deep host functions may re-enter wasm; {@link
 * dev.kiln.loader.runtime.StoreResources} keeps the account. Each memory or table takes from it
 * before it grows and gives back through a cleanup of its owner's arena, so what is counted is
 * exactly what is mapped, however the object is freed.
 *
 * <p><b>Lifetimes: the store owns everything, reference counts free early.</b> Compiled code holds
 * raw addresses into other objects of its store: an importer's VMContext points at the exporter's
 * VMContext, memory, table and global records and at a host function's context block, and every
 * funcref value (in a table slot, a global, an argument, a Java {@code long}) is a VMFuncRef address
 * whose call runs its owner's code with its owner's VMContext. Freeing any of these while something
 * can still reach it is a SIGSEGV in the JVM, whatever order the embedder closes things in. Two
 * designs prevent that:
 *
 * <ul>
 *   <li>Reference counting alone cannot: the import edges are known at link time and easy to count,
 *       but funcref values move at run time through tables, globals and calls (spec 4.4), and
 *       nothing counts a {@code table.set} in compiled code.
 *   <li>A store that owns everything and frees it all when it closes is always safe and is
 *       Wasmtime's model, but an embedder that keeps one store and instantiates and closes programs
 *       in it would never get their memory back (each instance reserves gigabytes of address space;
 *       the kernel's map count runs out after some tens of thousands).
 * </ul>
 *
 * <p>Kiln does the second and frees early where the first is exact, which keeps the code small: one
 * {@link dev.kiln.loader.runtime.Lifetime} per native object, with a handle (the embedder's {@code
 * close()}), a count of the instances that import from it, and a pin. An object is freed when its
 * handle is closed and no importer is left, unless it is pinned: then when the store closes. It is
 * pinned when its function references can reach something nobody counts, which its module's
 * imports and exports decide statically (a funcref in an imported or exported function type, table
 * or global, {@code instance.FunctionReferenceBoundary}), or when Java hands one of its references
 * back to the store ({@link dev.kiln.loader.runtime.NativeStore#checkFunctionReference}). Most programs
 * (WASI commands, numeric kernels) have no funcref at their boundary and are freed on close. An
 * instance of a module that defines struct or array types, or has a tag with a funcref parameter, may also write its references into objects, which go
 * where no boundary type says: it is <em>held by the heap</em> instead of pinned, and once closed and
 * without importers it is freed by the first collection run while no wasm of the store runs that
 * reaches none of its function references from the other roots ({@code HeapHeldOwners}; the store
 * runs one when enough closed instances wait, {@code StoreLifetimes.ownerDecisionDue}). A closed
 * object whose importers are all such candidates is one too, reached only through them
 * ({@code StoreLifetimes.candidates}): imports are counted while the decision traces, and a cycle
 * through an import would otherwise never be freed. A free
 * never happens under running code: closing something while wasm runs on the same thread frees it
 * when the outermost entry returns.
 *
 * <p><b>One thread at a time.</b> A store context has one stack limit and one trap record, so a
 * store must never run on two threads at once. Entering it, instantiating in it and closing it or
 * its objects claim it ({@code ThreadClaim}: a compare-and-set, or for the thread that last had the
 * store a volatile write and two reads that exclude the compare-and-set as Dekker's algorithm
 * does); a second thread gets an {@link
 * java.lang.IllegalStateException} naming the store and both threads, and a closed store refuses
 * everything. A store may move between threads, one after the other; many stores run in parallel.
 * A store made confined to one thread ({@code ThreadClaim.confinedTo}) never moves: its claim is a
 * comparison with that thread and a count, with no fence, and every other thread gets a {@link
 * java.lang.WrongThreadException}, except that any one thread may close it once that thread has
 * terminated; a wasm entry's count is the store's depth itself, kept with the closed flag, the
 * pending frees and the stack floor's target in one word ({@code NativeStore}). Another store's
 * refused instantiation may take an idle store's claim to make its owner decision (the engine's
 * instance pool is shared); a thread arriving meanwhile waits for it rather than being refused.
 *
 * <p><b>Raw addresses from Java.</b> Compiled code calls a funcref without checking it, so every
 * funcref that comes from Java (a call argument, a table or global write, a host function's result)
 * must be the address of a VMFuncRef of a live object of the same store: the store keeps the
 * address ranges of its objects' VMFuncRef arrays and refuses anything else with an {@link
 * java.lang.IllegalArgumentException}. An externref or anyref word from Java is opaque until a GC
 * module looks at it: compiled code takes any 8-aligned word inside the GC heap below its top for a
 * struct or array and reads its header. The invariant: <em>a word Java hands to a store never lies
 * in the range reserved for the store's GC heap</em>, both semispaces, used or not ({@link
 * dev.kiln.loader.runtime.NativeStore#inGcHeap}, which the API checks every such word with). It
 * holds whatever the order of calls because that check reserves the heap if the store has none yet
 * (a reservation never moves, so a word outside it now is outside it for the store's life), and
 * because it checks the whole reservation, not the semispace in use (a collection flips them).
 * Objects reach Java and come back only as the API's object handles ({@link
 * dev.kiln.loader.runtime.ObjectHandles}), made from a word and read back as one only under the
 * current thread's claim of the store ({@link dev.kiln.loader.runtime.NativeStore#requireClaim}):
 * a collection runs only under a claim and moves the objects, so a word is current only within the
 * claim it was read under, and an uncaught exception's payload is converted where it is read
 * ({@link dev.kiln.loader.runtime.NativeStore#thrownViews}). Structs, arrays and exception objects share
 * the heap and are told apart by their header's word 4 alone ({@code artifact.gc.ObjectLayout.kindOf});
 * every conversion and check here ({@link dev.kiln.loader.runtime.NativeStore#objectKind}, the handle
 * table's slots, the reference checks, the heap verifier) refuses an object of another hierarchy than
 * the slot's. A wasm exception's payload from Java is checked like
 * any other reference ({@link dev.kiln.loader.runtime.NativeStore#checkReference}, against the tag
 * parameter's precise type).
 */
package dev.kiln.loader.runtime;
