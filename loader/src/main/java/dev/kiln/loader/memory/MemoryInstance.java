package dev.kiln.loader.memory;

import dev.kiln.artifact.info.Limits;
import dev.kiln.artifact.info.MemoryType;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.pool.MemorySlot;
import dev.kiln.loader.runtime.HostObjects;
import dev.kiln.loader.sys.ImageFile;
import dev.kiln.loader.runtime.Lifetime;
import dev.kiln.loader.runtime.NativeStore;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One linear memory (WebAssembly 2.0 section 4.2.8) with its {@code {base, length, max_length}}
 * definition record, which compiled code reads and grows ({@link VmLayout#MEMORY_BASE}).
 * The record lives where the owner put it: inline in the defining instance's VMContext, or in memory
 * of its own for a memory the host creates; an importing VMContext's {@code memory[i].import} holds
 * {@link #definitionAddress()}, so a grow through any importer is seen by all of them.
 *
 * <p>The pages and the record live in the owner's arena: a defined memory as long as its instance,
 * a host memory ({@link #createHost}) has a {@link Lifetime} of its own in its store. A {@link
 * #segment()} taken earlier throws {@link IllegalStateException} once the owner is freed.
 */
public final class MemoryInstance implements AutoCloseable {
  private final LinearMemory memory;
  private final MemoryType declared;
  private final Lifetime owner;
  /** Whether the memory is the host's own ({@link #createHost}), closed by {@link #close()}. */
  private final boolean hostMemory;

  /**
   * For a pooled memory: the arena an embedder's view of the bytes is scoped to, made on the first
   * {@link #segment()} (the owner's, closed when it is freed), or null for a memory of its own
   * arena, whose reservation's segment has that scope already.
   */
  private final Supplier<Arena> viewArena;

  private MemoryInstance(MemoryType declared, MemorySegment definition, Arena arena, Lifetime owner, boolean hostMemory) {
    NativeStore store = owner.store();
    this.memory = LinearMemory.create(declared, arena, store.resources(), store.context().address(), definition);
    this.declared = declared;
    this.owner = owner;
    this.hostMemory = hostMemory;
    this.viewArena = null;
  }

  private MemoryInstance(MemoryType declared, LinearMemory memory, Lifetime owner, Supplier<Arena> viewArena) {
    this.memory = memory;
    this.declared = declared;
    this.owner = owner;
    this.hostMemory = false;
    this.viewArena = viewArena;
  }

  /**
   * A memory of {@code type}'s minimum, of instance {@code owner}, in a pool's {@code slot} (no
   * mapping made: {@link LinearMemory#createPooled}), with its definition record in the owner's
   * VMContext. The slot's region outlives the instance, so the views {@link #segment()} hands out
   * are scoped to {@code viewArena}, an arena of the owner made on first use and closed when it is
   * freed: a view kept past the instance fails instead of reading the slot's next instance.
   */
  public static MemoryInstance createPooled(MemoryType type, MemorySegment definition, MemorySlot slot,
      long maxPoolPages, Lifetime owner, Supplier<Arena> viewArena, Optional<ImageFile> image) {
    NativeStore store = owner.store();
    LinearMemory memory = LinearMemory.createPooled(type, slot, maxPoolPages, store.resources(),
        store.context().address(), definition.asSlice(0, VmLayout.MEMORY_DEFINITION_SIZE), image.orElse(null));
    return new MemoryInstance(type, memory, owner, Objects.requireNonNull(viewArena, "viewArena"));
  }

  /**
   * Gives back what a pooled memory counted against its store and returns its byte length, for
   * the slot's reset; called once, when the owner is freed.
   */
  public long releasePooled() {
    if (viewArena == null) {
      throw new IllegalStateException("not a pooled memory");
    }
    return memory.releasePooled();
  }

  /**
   * The committed bytes for Kiln's own use while the owner is alive and its store claimed (data
   * segments written at instantiation): not scoped to anything, so never handed to an embedder.
   */
  public MemorySegment unscopedSegment() {
    return memory.segment();
  }

  /**
   * A memory of {@code type}'s minimum, of instance {@code owner}, reserved in its {@code arena},
   * whose definition record is {@code definition} ({@link VmLayout#MEMORY_DEFINITION_SIZE} bytes of
   * the VMContext, allocated in the same arena).
   */
  public static MemoryInstance create(MemoryType type, MemorySegment definition, Arena arena, Lifetime owner) {
    return new MemoryInstance(type, definition.asSlice(0, VmLayout.MEMORY_DEFINITION_SIZE), arena, owner, false);
  }

  /**
   * {@link #create} with {@code image} mapped copy-on-write over the start of the new memory, in
   * place of copying its data segments ({@code instance.MemoryImages}).
   */
  public static MemoryInstance create(MemoryType type, MemorySegment definition, Arena arena, Lifetime owner,
      ImageFile image) {
    MemoryInstance memory = create(type, definition, arena, owner);
    memory.memory.mapImage(image);
    return memory;
  }

  /**
   * A memory of the host's in {@code store}, with a definition record of its own. It lives until
   * {@link #close()} and its last importer, or the store, is gone.
   */
  public static MemoryInstance createHost(NativeStore store, MemoryType type) {
    Objects.requireNonNull(type, "type");
    return HostObjects.create(store, "host memory (" + type + ")", (arena, lifetime) -> new MemoryInstance(
        type, arena.allocate(VmLayout.MEMORY_DEFINITION_SIZE, 16), arena, lifetime, true));
  }

  /** The instance or host lifetime the memory belongs to: what an importer uses. */
  public Lifetime owner() {
    return owner;
  }

  /** The store the memory belongs to; only instances of this store may import it. */
  public NativeStore store() {
    return owner.store();
  }

  /**
   * The memory's type as import matching sees it (spec 4.5.2, external typing of a memory
   * instance): the current size as the minimum, the declared maximum.
   */
  public MemoryType type() {
    owner.checkAlive();
    return new MemoryType(new Limits(memory.pages(), declared.limits().max()), declared.is64(), declared.shared());
  }

  /** Where the {@code {base, length}} record is: what an importer's {@code memory[i].import} holds. */
  public long definitionAddress() {
    return memory.definitionAddress();
  }

  /** The current size in pages. */
  public long pages() {
    owner.checkAlive();
    return memory.pages();
  }

  /**
   * The committed bytes (a view: fetch it again after a grow).
   *
   * @throws IllegalStateException if the memory was freed
   */
  public MemorySegment segment() {
    owner.checkAlive();
    MemorySegment bytes = memory.segment();
    return viewArena == null ? bytes : bytes.reinterpret(viewArena.get(), null);
  }

  /**
   * {@code memory.grow} (spec 4.4.7) from Java: the old size in pages, or -1 if the memory cannot
   * grow by {@code delta} pages; the definition record follows, so compiled code sees the new
   * length. It claims the store, since compiled code grows the same memory and takes from the same
   * account on the claiming thread.
   *
   * @throws IllegalStateException if the memory was freed, or another thread is using the store
   */
  public long grow(long delta) {
    return owner.store().exclusive("grow a memory", () -> {
      owner.checkAlive();
      return memory.grow(delta);
    });
  }

  /**
   * Closes the handle of a host memory ({@link #createHost}): it is freed once no instance imports
   * it. A memory an instance defines lives as long as the instance, so here nothing happens.
   */
  @Override
  public void close() {
    if (hostMemory) {
      owner.close();
    }
  }
}
