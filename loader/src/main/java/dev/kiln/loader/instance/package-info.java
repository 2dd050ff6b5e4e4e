/**
 * Instances (docs/ARCHITECTURE.md section 4): {@link dev.kiln.loader.instance.LoadedInstance} builds one
 * VMContext per instance of a {@code module.LoadedModule} from its module info: linear memories,
 * tables, globals, data and element segments ({@link dev.kiln.loader.instance.ConstExprEvaluator}
 * for their offsets and initialisers), builtin pointers (memory.grow is a Java upcall that never
 * throws into native code; the table builtins are {@code TableBuiltins}; the bulk memory moves are
 * the executor's memmove/memset, with the data segment records they read, see {@code
 * BulkMemoryState}), VMFuncRefs and the start function; exports are called through their
 * ARRAY_TO_WASM trampolines. {@code VmContextView} is the loader's own struct layout of the
 * VMContext, which a test checks field by field against the compiler's {@code VmLayout}.
 *
 * <p>Linking (spec 4.5.4): what instances share are runtime objects, {@link
 * dev.kiln.loader.instance.Extern}s over a {@code func.FunctionInstance}, {@code
 * memory.MemoryInstance}, {@code table.TableInstance} or {@code global.GlobalInstance}. {@link
 * dev.kiln.loader.instance.ImportMatcher} checks an import list's types, {@code ImportBinder} writes
 * the pointers and import records into the importer's VMContext. {@link
 * dev.kiln.loader.instance.LiveInstances} finds a live instance by its VMContext address, for host
 * functions that look at their caller ({@code loader.host}).
 *
 * <p>Lifetimes (see {@code dev.kiln.loader.runtime} for the design): an instance's native memory
 * ({@code InstanceStorage}: an arena of its own, the C heap or an engine pool's slot, and what the
 * store is charged for it) is freed by its {@link dev.kiln.loader.runtime.Lifetime}. Binding an
 * import makes the importer a user of the exporter's lifetime ({@code ImportBinder}), and {@code
 * FunctionReferenceBoundary} decides which instances are pinned to their store. An instance retains
 * its module, which stays mapped until it is closed and its last instance is freed. Java objects of
 * a closed instance refuse calls with an {@link java.lang.IllegalStateException}; views of freed
 * memory fail the same way (their segments have the owner's arena scope), so no close order can
 * crash the JVM.
 *
 * <p><b>Packages of the loader, by ownership.</b> Dependencies point one way, down this list (no
 * package cycle; each package-info says why it sits where it does):
 *
 * <ul>
 *   <li>{@code link}: linking by name, the top, used by Kiln's other modules;
 *   <li>{@code host}: host functions, which see their calling instance;
 *   <li>{@code instance} (this package): an instance, its VMContext and its imports;
 *   <li>{@code module}: the loaded module an instance is made from;
 *       {@code func}, {@code memory}, {@code table}, {@code global}: what an instance owns or imports;
 *   <li>{@code runtime}: the store, lifetimes, traps, values; {@code profile}: perf maps;
 *   <li>{@code exec}: executors; {@code sys}: libc through FFM.
 * </ul>
 */
package dev.kiln.loader.instance;
