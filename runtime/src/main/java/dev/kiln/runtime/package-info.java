/**
 * Kiln's embedding API: compile, load and run WebAssembly 3.0 modules inside the JVM, as native
 * code. The only package of Kiln an embedder needs (the compiler, loader and WASI are internal).
 *
 * <ul>
 *   <li>{@link dev.kiln.runtime.Engine}: the shared settings (target, epoch interruption, fuel, a
 *       verify key) and the epoch counter.
 *   <li>{@link dev.kiln.runtime.WasmModule}: compiled code, from a {@code .wasm} (compiled in memory)
 *       or a {@code .cwasm} (read into private memory, no compiler work); {@link dev.kiln.runtime.WasmModule#serialize()}
 *       writes the latter.
 *   <li>{@link dev.kiln.runtime.Store}: per-thread state that owns every instance and host
 *       function made in it; epoch deadline and fuel.
 *   <li>{@link dev.kiln.runtime.Linker}: host functions as Java lambdas, WASI in one call, other
 *       instances' exports; instantiation.
 *   <li>{@link dev.kiln.runtime.Instance}: exports as typed Java functional interfaces ({@code
 *       instance.func("add", IntBinaryOperator.class)}) or {@link dev.kiln.runtime.Func}s over
 *       {@link dev.kiln.runtime.Val}s, {@link dev.kiln.runtime.Memory} with {@code MemorySegment}
 *       views, {@link dev.kiln.runtime.Global}, {@link dev.kiln.runtime.Table}.
 *   <li>{@link dev.kiln.runtime.Trap}: a trap with its wasm backtrace; {@link
 *       dev.kiln.runtime.KilnException}: a module that cannot be compiled, loaded or linked, in one
 *       line.
 * </ul>
 *
 * <pre>{@code
 * Engine engine = Engine.create();
 * try (WasmModule module = WasmModule.compile(engine, Path.of("app.wasm")); Store store = new Store(engine)) {
 *   Linker linker = new Linker(store);
 *   linker.func("env", "log", IntConsumer.class, value -> System.out.println("wasm says " + value));
 *   Instance instance = linker.instantiate(module);
 *   int sum = instance.func("add", IntBinaryOperator.class).applyAsInt(2, 40);
 * }
 * }</pre>
 *
 * <p>Why the API is its own package over the internal ones: its types are small copies of the
 * internal ones (value and function types, targets), so the compiler and runtime can change without
 * breaking embedders, and the module system exports only this package. The design takes Wasmtime's
 * objects (engine, module, store, linker, instance), which wasmtime-java mirrors, and Chicory's
 * plain-Java host functions, with typed signatures from {@code java.util.function}.
 */
package dev.kiln.runtime;
