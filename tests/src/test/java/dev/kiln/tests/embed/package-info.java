/**
 * The loader's embedding layer end to end, below the public API: wasm text compiled for x86-64
 * ({@link dev.kiln.tests.embed.WatCompiler}), instantiated in a store with host functions written in
 * Java, called through their trampolines; {@link dev.kiln.tests.embed.EmbeddingSession} is each
 * test's fixture and closes what it opened.
 */
package dev.kiln.tests.embed;
