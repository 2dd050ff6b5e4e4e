/**
 * The loader's embedding layer (issue 4 item 6), which Kiln's public API ({@code dev.kiln.runtime},
 * issue 14) wraps: exported only to Kiln's own modules, which also use it directly (the CLI, WASI,
 * the tests). An {@link
 * dev.kiln.loader.api.Engine} loads modules (a {@code .cwasm}, or a {@code .wasm} through a {@link
 * dev.kiln.loader.api.WasmCompiler} the embedder plugs in, since the runtime never depends on the
 * compiler); a {@link dev.kiln.loader.api.Linker} collects definitions by their two-level import
 * names (host functions written in Java, other instances' exports) and instantiates modules
 * against them in a {@link dev.kiln.loader.runtime.Store}. Instances hand out typed function
 * handles ({@link dev.kiln.loader.instance.FunctionInstance}) and their memories, tables and
 * globals.
 *
 * <pre>{@code
 * Engine engine = new Engine();
 * try (Store store = new Store(); WasmModule module = engine.load(Path.of("app.cwasm"))) {
 *   Linker linker = new Linker(store);
 *   linker.defineFunction("env", "log", FuncTypes.of(List.of(ValType.I32), List.of()),
 *       args -> { System.out.println(args.get(0)); return List.of(); });
 *   Instance instance = linker.instantiate(module);
 *   Object answer = instance.function("run").callJava(41);   // an Integer
 * }
 * }</pre>
 *
 * <p>A guest that does not stop by itself is stopped by the engine's epoch ({@link
 * dev.kiln.loader.api.Engine#withEpochInterruption}, {@link
 * dev.kiln.loader.api.Engine#incrementEpoch}, {@code Store.setEpochDeadline}) or by fuel ({@link
 * dev.kiln.loader.api.Engine#withConsumeFuel}, {@code Store.setFuel}): an {@code INTERRUPT} or
 * {@code OUT_OF_FUEL} trap with its backtrace, after which the store runs code again. What a store
 * may allocate is bounded by its {@link dev.kiln.loader.runtime.StoreLimits} ({@link
 * dev.kiln.loader.api.Engine#newStore(dev.kiln.loader.runtime.StoreLimits)}): memory bytes, table
 * elements, instance/memory/table counts and host-call depth.
 *
 * <p>Host functions run as FFM upcalls reached through the importing module's WASM_TO_ARRAY
 * trampoline; anything they throw becomes a {@link dev.kiln.loader.runtime.Trap} of the calling wasm
 * code, never a JVM crash. A trap carries its code and a backtrace with function names and wasm
 * offsets.
 */
package dev.kiln.loader.api;
