/**
 * Loading and instantiating a {@code .cwasm} (ARCHITECTURE.md sections 3-4). {@link
 * dev.kiln.loader.module.LoadedModule} maps the file, runs every structural check and the
 * compatibility check before any byte of it can execute (for native x86-64 code also {@link
 * dev.kiln.loader.module.X64HostFeatures}: the CPU must have every extension the code uses), publishes {@code .text} R|X in place (no
 * copy) and resolves entry points through the mapped function index. {@link
 * dev.kiln.loader.instance.Instance} builds one VMContext per instance from the module info: linear
 * memories as reservations committed on grow, tables, globals, data and element segments, builtin
 * pointers (memory.grow is a Java upcall that never throws into native code; the bulk memory moves
 * are the executor's memmove/memset, with the data segment records they read, see {@link
 * dev.kiln.loader.instance.BulkMemoryState}), VMFuncRefs and the
 * start function; exports are called through their ARRAY_TO_WASM trampolines. {@link
 * dev.kiln.loader.instance.VmContextView} is the loader's own struct layout of the VMContext, which
 * a test checks field by field against the compiler's {@code VmLayout}.
 *
 * <p>Linking (spec 4.5.4): what instances share are runtime objects, {@link
 * dev.kiln.loader.instance.Extern}s: {@link dev.kiln.loader.func.FunctionInstance} (a VMFuncRef
 * and its type), {@link dev.kiln.loader.memory.MemoryInstance}, {@link
 * dev.kiln.loader.table.TableInstance} and {@link dev.kiln.loader.global.GlobalInstance} (a
 * definition record or value slot where the owner keeps it). {@link
 * dev.kiln.loader.instance.ImportMatcher} checks an import list's types, {@link
 * dev.kiln.loader.instance.ImportBinder} writes the pointers and import records into the importer's
 * VMContext. {@link dev.kiln.loader.host.HostFunction} is a Java function that compiled code
 * reaches through its module's WASM_TO_ARRAY trampoline and the store's one shared array-call entry
 * per executor, {@link dev.kiln.loader.host.HostCalls}, which finds the function by the id in its
 * context block and the calling instance by the caller vmctx ({@link
 * dev.kiln.loader.host.Caller}); no exception ever reaches native code.
 *
 * <p>Lifetimes (see {@code dev.kiln.loader.runtime} for the design): an instance keeps all its
 * native memory in one arena, freed by its {@link dev.kiln.loader.runtime.Lifetime}; a host
 * function, host memory, table or global has a lifetime of its own in its store. Binding an import
 * makes the importer a user of the exporter's lifetime ({@link
 * dev.kiln.loader.instance.ImportBinder}), and {@link
 * dev.kiln.loader.instance.FunctionReferenceBoundary} decides which instances are pinned to their
 * store. A {@link dev.kiln.loader.module.LoadedModule} stays mapped until it is closed and its
 * last instance is freed. Java objects of a closed instance refuse calls with an {@link
 * java.lang.IllegalStateException}; views of freed memory fail the same way (their segments have the
 * owner's arena scope), so no close order can crash the JVM.
 */
package dev.kiln.loader.instance;
