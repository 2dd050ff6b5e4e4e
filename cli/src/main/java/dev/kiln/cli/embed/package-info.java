/**
 * What an embedder needs that joins the compiler and the runtime: {@link
 * dev.kiln.cli.embed.HostCompiler}, Kiln's compiler behind the loader's {@code WasmCompiler}
 * interface, so {@code Engine.compile} can take a {@code .wasm} directly. The runtime itself (the
 * {@code dev.kiln.loader.api} package) never depends on the compiler.
 */
package dev.kiln.cli.embed;
