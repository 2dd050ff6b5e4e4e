/**
 * Linear memories (WebAssembly 2.0 section 4.2.8): {@link dev.kiln.loader.memory.LinearMemory}, a
 * PROT_NONE reservation committed with {@code mprotect} as it grows, so its base never moves
 * (docs/ARCHITECTURE.md section 4), and taken from the store's resource account before it grows;
 * {@link dev.kiln.loader.memory.MemoryInstance}, the memory as instances share it, over its
 * definition record {@code {base, length}} in the owner's VMContext or in the host's own memory.
 *
 * <p>A memory is owned by one instance or by the host, and imported by others; it depends only on
 * {@code runtime} (store, lifetimes, limits) and {@code sys} (the mappings), never on instances.
 */
package dev.kiln.loader.memory;
