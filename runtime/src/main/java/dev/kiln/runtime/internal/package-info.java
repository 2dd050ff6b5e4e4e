/**
 * What the public API ({@code dev.kiln.runtime}) and the tools API ({@code dev.kiln.runtime.tools})
 * share and neither exposes: the one path from a module's bytes to loaded code
 * ({@link dev.kiln.runtime.internal.ModuleCompiler}: compile, or load from the compiled-module cache),
 * and the bridge through which the tools API reaches an {@link dev.kiln.runtime.Engine}'s compiler
 * ({@link dev.kiln.runtime.internal.EngineAccess}). Not exported: its types name the compiler's,
 * loader's and cache's, which are internal.
 */
package dev.kiln.runtime.internal;
