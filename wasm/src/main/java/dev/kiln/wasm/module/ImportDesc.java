package dev.kiln.wasm.module;

import dev.kiln.wasm.types.GlobalType;
import dev.kiln.wasm.types.MemoryType;
import dev.kiln.wasm.types.TableType;

/** What an import brings in: a function of a given type, a table, a memory or a global. */
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
}
