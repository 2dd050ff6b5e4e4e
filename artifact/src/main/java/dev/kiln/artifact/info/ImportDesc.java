package dev.kiln.artifact.info;

import java.util.Objects;

/** What an import brings in (WebAssembly 2.0 section 2.5.11), one record per {@link ExternKind}. */
public sealed interface ImportDesc {
  ExternKind kind();

  /** A function of the type at {@code typeIndex}. */
  record Function(int typeIndex) implements ImportDesc {
    @Override
    public ExternKind kind() {
      return ExternKind.FUNCTION;
    }
  }

  record Table(TableType type) implements ImportDesc {
    public Table {
      Objects.requireNonNull(type);
    }

    @Override
    public ExternKind kind() {
      return ExternKind.TABLE;
    }
  }

  record Memory(MemoryType type) implements ImportDesc {
    public Memory {
      Objects.requireNonNull(type);
    }

    @Override
    public ExternKind kind() {
      return ExternKind.MEMORY;
    }
  }

  record Global(GlobalType type) implements ImportDesc {
    public Global {
      Objects.requireNonNull(type);
    }

    @Override
    public ExternKind kind() {
      return ExternKind.GLOBAL;
    }
  }

  /**
   * An exception tag whose payload is the parameters of the type at {@code typeIndex} (WebAssembly
   * 3.0 spec 2.5.10); that type has no results.
   */
  record Tag(int typeIndex) implements ImportDesc {
    @Override
    public ExternKind kind() {
      return ExternKind.TAG;
    }
  }
}
