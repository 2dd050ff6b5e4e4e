package dev.kiln.wasm.module;

import dev.kiln.wasm.types.GlobalType;
import dev.kiln.wasm.types.MemoryType;
import dev.kiln.wasm.types.TableType;

/** What an import brings in: a function of a given type, a table, a memory, a global or a tag. */
public sealed interface ImportDesc {
  ExternKind kind();

  record Func(int typeIndex) implements ImportDesc {
    @Override
    public ExternKind kind() {
      return ExternKind.FUNC;
    }
  }

  record Table(TableType type) implements ImportDesc {
    @Override
    public ExternKind kind() {
      return ExternKind.TABLE;
    }
  }

  record Memory(MemoryType type) implements ImportDesc {
    @Override
    public ExternKind kind() {
      return ExternKind.MEMORY;
    }
  }

  record Global(GlobalType type) implements ImportDesc {
    @Override
    public ExternKind kind() {
      return ExternKind.GLOBAL;
    }
  }

  /** An exception tag whose payload is the parameters of function type {@code typeIndex} (spec 3.0 2.5.10). */
  record Tag(int typeIndex) implements ImportDesc {
    @Override
    public ExternKind kind() {
      return ExternKind.TAG;
    }
  }
}
