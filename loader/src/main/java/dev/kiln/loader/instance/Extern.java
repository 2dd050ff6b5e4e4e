package dev.kiln.loader.instance;

import dev.kiln.artifact.info.ExternKind;
import java.util.Objects;

/**
 * An external value (WebAssembly 2.0 section 4.2.11): what an instance exports and what satisfies
 * an import. One record per kind, each wrapping the runtime object that owns the entity, so an
 * importer links to the very same function, memory, table or global the exporter uses.
 */
public sealed interface Extern {
  ExternKind kind();

  record Function(FunctionInstance function) implements Extern {
    public Function {
      Objects.requireNonNull(function, "function");
    }

    @Override
    public ExternKind kind() {
      return ExternKind.FUNCTION;
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
  }

  record Table(TableInstance table) implements Extern {
    public Table {
      Objects.requireNonNull(table, "table");
    }

    @Override
    public ExternKind kind() {
      return ExternKind.TABLE;
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
  }
}
