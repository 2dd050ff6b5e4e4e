/**
 * The compiled-module cache behind {@code kiln run FILE.wasm} and the embedding API: a module is
 * compiled once per (module bytes, Kiln version, target, CPU features, compile settings) and every
 * later run maps the stored {@code .cwasm}. {@link dev.kiln.cache.ModuleCache#lookup} is the whole
 * interface (bytes and expected compat header in, an opened entry or freshly compiled bytes out);
 * the caller supplies the compiler, the opener that loads and checks an entry ({@link
 * dev.kiln.cache.ModuleCache.Opener}) and names its build ({@link dev.kiln.cache.CompilerIdentity}),
 * so this package needs only the artifact contract. An entry that does not open is replaced, so a
 * damaged cache costs a compile, never a wrong result or a crash.
 */
package dev.kiln.cache;
