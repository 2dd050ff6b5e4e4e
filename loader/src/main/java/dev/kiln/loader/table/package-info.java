/**
 * Tables (WebAssembly 2.0 section 4.2.7): {@link dev.kiln.loader.table.TableInstance}, the slots
 * compiled code reads and writes, lazily initialised funcref slots included, and the operations the
 * table builtins and the embedder perform on them (get, set, grow, fill, copy, init): a funcref
 * written from Java is checked against the store's function references, and growth is taken from
 * the store's resource account.
 *
 * <p>A table is owned by one instance or by the host, and imported by others; it depends only on
 * {@code runtime} and {@code sys}. The builtin slots that reach these operations from compiled code
 * belong to the instance ({@code instance.TableBuiltins}), which knows its tables by index.
 */
package dev.kiln.loader.table;
