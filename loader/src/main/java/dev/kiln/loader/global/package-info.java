/**
 * Globals (WebAssembly 2.0 section 4.2.10): {@link dev.kiln.loader.global.GlobalInstance}, a value
 * slot where its owner keeps it (the defining instance's VMContext, or the host's own memory),
 * which importers point at, so a {@code global.set} in one instance is seen by all of them.
 *
 * <p>A global depends only on {@code runtime} (the store, its lifetime, {@code WasmValue}).
 */
package dev.kiln.loader.global;
