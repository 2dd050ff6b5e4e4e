package dev.kiln.loader.instance;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.info.Limits;
import dev.kiln.artifact.info.MemoryType;
import dev.kiln.artifact.vm.VmLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * One linear memory (WebAssembly 2.0 section 4.2.8) with its {@code {base, length}} definition
 * record, which compiled code reads ({@link VmLayout#MEMORY_BASE}, {@link VmLayout#MEMORY_LENGTH}).
 * The record lives where the owner put it: inline in the defining instance's VMContext, or in memory
 * of its own for a memory the host creates; an importing VMContext's {@code memory[i].import} holds
 * {@link #definitionAddress()}, so a grow through any importer is seen by all of them.
 */
public final class MemoryInstance implements AutoCloseable {
  private final LinearMemory memory;
  private final MemorySegment definition;
  private final MemoryType declared;
  private final Arena ownDefinition;

  private MemoryInstance(LinearMemory memory, MemorySegment definition, MemoryType declared, Arena ownDefinition) {
    this.memory = memory;
    this.definition = definition;
    this.declared = declared;
    this.ownDefinition = ownDefinition;
    definition.set(JAVA_LONG, VmLayout.MEMORY_BASE, memory.base());
    publishLength();
  }

  /** A memory of {@code type}'s minimum whose definition record is {@code definition} (16 bytes). */
  static MemoryInstance create(MemoryType type, MemorySegment definition) {
    return new MemoryInstance(LinearMemory.create(type),
        definition.asSlice(0, VmLayout.MEMORY_DEFINITION_SIZE), type, null);
  }

  /** A memory of the host's, with a definition record of its own; {@link #close()} frees both. */
  public static MemoryInstance createHost(MemoryType type) {
    Objects.requireNonNull(type, "type");
    Arena arena = Arena.ofShared();
    try {
      return new MemoryInstance(LinearMemory.create(type),
          arena.allocate(VmLayout.MEMORY_DEFINITION_SIZE, 16), type, arena);
    } catch (RuntimeException | Error e) {
      arena.close();
      throw e;
    }
  }

  /**
   * The memory's type as import matching sees it (spec 4.5.2, external typing of a memory
   * instance): the current size as the minimum, the declared maximum.
   */
  public MemoryType type() {
    return new MemoryType(new Limits(memory.pages(), declared.limits().max()), declared.is64(), declared.shared());
  }

  /** Where the {@code {base, length}} record is: what an importer's {@code memory[i].import} holds. */
  public long definitionAddress() {
    return definition.address();
  }

  /** The current size in pages. */
  public long pages() {
    return memory.pages();
  }

  /** The committed bytes (a view: fetch it again after a grow). */
  public MemorySegment segment() {
    return memory.segment();
  }

  /**
   * {@code memory.grow} (spec 4.4.7): the old size in pages, or -1 if the memory cannot grow by
   * {@code delta} pages; the definition record follows, so compiled code sees the new length.
   */
  public long grow(long delta) {
    long old = memory.grow(delta);
    if (old >= 0) {
      publishLength();
    }
    return old;
  }

  private void publishLength() {
    definition.set(JAVA_LONG, VmLayout.MEMORY_LENGTH, memory.byteLength());
  }

  @Override
  public void close() {
    memory.close();
    if (ownDefinition != null && ownDefinition.scope().isAlive()) {
      ownDefinition.close();
    }
  }
}
