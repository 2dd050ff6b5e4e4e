/**
 * Loading and instantiating a {@code .cwasm} (ARCHITECTURE.md sections 3-4). {@link
 * dev.kiln.loader.instance.LoadedModule} maps the file, runs every structural check and the
 * compatibility check before any byte of it can execute, publishes {@code .text} R|X in place (no
 * copy) and resolves entry points through the mapped function index. {@link
 * dev.kiln.loader.instance.Instance} builds one VMContext per instance from the module info: linear
 * memories as reservations committed on grow, tables, globals, data and element segments, builtin
 * pointers (memory.grow is a Java upcall that never throws into native code; the bulk memory moves
 * are the executor's memmove/memset, with the data segment records they read, see {@link
 * dev.kiln.loader.instance.BulkMemoryState}), VMFuncRefs and the
 * start function; exports are called through their ARRAY_TO_WASM trampolines. {@link
 * dev.kiln.loader.instance.VmContextView} is the loader's own struct layout of the VMContext, which
 * a test checks field by field against the compiler's {@code VmLayout}.
 */
package dev.kiln.loader.instance;
