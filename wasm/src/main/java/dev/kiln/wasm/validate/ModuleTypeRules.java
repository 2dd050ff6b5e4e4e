package dev.kiln.wasm.validate;

import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.Features;
import dev.kiln.wasm.module.Import;
import dev.kiln.wasm.module.ImportDesc;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.types.Limits;
import dev.kiln.wasm.types.MemoryType;
import dev.kiln.wasm.types.TableType;
import java.util.List;

/**
 * Module-level rules about types (spec 3.2, 3.4.1-3.4.4 and 3.4.11 for imports): type indices of
 * imported and defined functions, table and memory limits, and how many memories a module may
 * have. Messages are the reference interpreter's, which the test suite checks.
 */
final class ModuleTypeRules {
  /** Spec 3.2.4: a 32-bit memory has at most 2^16 pages of 64 KiB. */
  private static final long MAX_PAGES_32 = 1L << 16;
  /** Memory64 proposal: a 64-bit memory has at most 2^48 pages, 2^64 bytes. */
  private static final long MAX_PAGES_64 = 1L << 48;
  /** Spec 3.2.3: table sizes are u32. */
  private static final long MAX_TABLE_SIZE = 0xFFFF_FFFFL;

  private ModuleTypeRules() {}

  static void check(Module module, Features features) {
    int typeCount = module.types().size();
    for (Import imp : module.imports()) {
      switch (imp.desc()) {
        case ImportDesc.Func f -> typeIndex(f.typeIndex(), typeCount);
        case ImportDesc.Table t -> table(t.type());
        case ImportDesc.Memory m -> memory(m.type());
        case ImportDesc.Global g -> {}
      }
    }
    for (int typeIndex : module.functions()) {
      typeIndex(typeIndex, typeCount);
    }
    for (TableType t : module.tables()) {
      table(t);
    }
    for (MemoryType m : module.memories()) {
      memory(m);
    }
    List<MemoryType> memories = module.allMemories();
    if (memories.size() > 1 && !features.multiMemory()) {
      throw new InvalidException("multiple memories", -1);
    }
  }

  private static void typeIndex(int index, int typeCount) {
    if (Integer.compareUnsigned(index, typeCount) >= 0) {
      throw new InvalidException("unknown type " + Integer.toUnsignedString(index), -1);
    }
  }

  /** Spec 3.2.3 table types: limits within u32. */
  static void table(TableType t) {
    limits(t.limits(), MAX_TABLE_SIZE, "table size must be at most 2^32-1");
  }

  /**
   * Spec 3.2.4 memory types: limits within 2^16 pages (2^48 for 64-bit memories); the threads
   * proposal requires a shared memory to declare its maximum.
   */
  static void memory(MemoryType m) {
    if (m.is64()) {
      limits(m.limits(), MAX_PAGES_64, "memory size must be at most 2^48 pages (256 TiB)");
    } else {
      limits(m.limits(), MAX_PAGES_32, "memory size must be at most 65536 pages (4GiB)");
    }
    if (m.shared() && m.limits().max().isEmpty()) {
      throw new InvalidException("shared memory must have maximum", -1);
    }
  }

  /** Spec 3.2.1 limits: both bounds in range (checked first, as the interpreter does), min <= max. */
  private static void limits(Limits limits, long range, String tooLarge) {
    if (Long.compareUnsigned(limits.min(), range) > 0) {
      throw new InvalidException(tooLarge, -1);
    }
    if (limits.max().isPresent()) {
      long max = limits.max().getAsLong();
      if (Long.compareUnsigned(max, range) > 0) {
        throw new InvalidException(tooLarge, -1);
      }
      if (Long.compareUnsigned(limits.min(), max) > 0) {
        throw new InvalidException("size minimum must not be greater than maximum", -1);
      }
    }
  }
}
