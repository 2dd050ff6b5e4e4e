/**
 * The compiled-module cache behind {@code kiln run FILE.wasm} and the embedding API: a module is
 * compiled once per (module bytes, Kiln version, target, CPU features, compile settings) and every
 * later run loads the stored {@code .cwasm}. {@link dev.kiln.cache.ModuleCache#lookup} is the whole
 * interface (bytes and expected compat header in, an opened entry or freshly compiled bytes out);
 * the caller supplies the compiler, the opener that loads and checks an entry ({@link
 * dev.kiln.cache.ModuleCache.Opener}) and names its build ({@link dev.kiln.cache.CompilerIdentity}),
 * so this package needs only the artifact contract. An entry that does not open is replaced, so a
 * damaged cache costs a compile, never a wrong result or a crash.
 *
 * <p>The cache is a trust boundary: what is in it runs as the user. This package decides whom it
 * trusts: only the user, through a directory nobody else could write ({@link
 * dev.kiln.cache.PrivatePath}) and an HMAC-SHA256 tag on every entry under the user's own key
 * ({@link dev.kiln.cache.CacheSecret}), bound to the module and settings the entry came from.
 */
package dev.kiln.cache;
