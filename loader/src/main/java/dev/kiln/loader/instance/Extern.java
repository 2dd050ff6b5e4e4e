package dev.kiln.loader.instance;

import dev.kiln.artifact.info.ExternKind;
import dev.kiln.loader.func.FunctionInstance;
import dev.kiln.loader.global.GlobalInstance;
import dev.kiln.loader.memory.MemoryInstance;
import dev.kiln.loader.runtime.Lifetime;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.table.TableInstance;
import java.util.Objects;

/**
 * An external value (WebAssembly 2.0 section 4.2.11): what an instance exports and what satisfies
 * an import. One record per kind, each wrapping the runtime object that owns the entity, so an
 * importer links to the very same function, memory, table or global the exporter uses.
 */
public sealed interface Extern {
  ExternKind kind();

  /**
   * The lifetime of the object the entity lives in (an instance, a host function, a host memory,
   * table or global): an importer becomes one of its users.
   */
  Lifetime owner();

  /** The store the entity belongs to; only instances of that store may import it. */
  default NativeStore store() {
    return owner().store();
  }

  record Function(FunctionInstance function) implements Extern {
    public Function {
      Objects.requireNonNull(function, "function");
    }

    @Override
    public ExternKind kind() {
      return ExternKind.FUNCTION;
    }

    @Override
    public Lifetime owner() {
      return function.owner();
    }
  }

  record Memory(MemoryInstance memory) implements Extern {
    public Memory {
      Objects.requireNonNull(memory, "memory");
    }

    @Override
    public ExternKind kind() {
      return ExternKind.MEMORY;
    }

    @Override
    public Lifetime owner() {
      return memory.owner();
    }
  }

  record Table(TableInstance table) implements Extern {
    public Table {
      Objects.requireNonNull(table, "table");
    }

    @Override
    public ExternKind kind() {
      return ExternKind.TABLE;
    }

    @Override
    public Lifetime owner() {
      return table.owner();
    }
  }

  record Global(GlobalInstance global) implements Extern {
    public Global {
      Objects.requireNonNull(global, "global");
    }

    @Override
    public ExternKind kind() {
      return ExternKind.GLOBAL;
    }

    @Override
    public Lifetime owner() {
      return global.owner();
    }
  }

  /** An exception tag (WebAssembly 3.0): the exporter's tag object itself, compared by identity. */
  record Tag(TagInstance tag) implements Extern {
    public Tag {
      Objects.requireNonNull(tag, "tag");
    }

    @Override
    public ExternKind kind() {
      return ExternKind.TAG;
    }

    @Override
    public Lifetime owner() {
      return tag.owner();
    }
  }
}
