/**
 * The instance pool (issue 41): an engine's linear memories, tables and VMContexts (with the
 * passive element items after them) reserved once, in slots, and handed to one instance after
 * another, so that instantiating maps and unmaps nothing.
 * {@link dev.kiln.loader.pool.InstancePool} owns the reservations and the free slots; {@link
 * dev.kiln.loader.pool.InstanceSlot} is what one instance holds; {@link
 * dev.kiln.loader.pool.MemorySlot} is one linear memory's 4 GiB + guard region, emptied when its
 * instance is freed (its first 64 KiB rewritten in place with zeros or the memory image's bytes,
 * the rest dropped with {@code madvise(MADV_DONTNEED)}), whose guard stays {@code PROT_NONE};
 * {@link dev.kiln.loader.pool.TableSlot} is one table's region, zeroed in place (its tail dropped)
 * for the next instance.
 *
 * <p>It sits below {@code instance} and {@code memory} and knows neither: they ask it for slots.
 * It knows the stores ({@code runtime.NativeStore}) whose closed instances their GC heap keeps in
 * its slots, so that one store's refusal can ask the others to make their owner decisions
 * ({@code HeapHeldSlotStores}).
 */
package dev.kiln.loader.pool;
