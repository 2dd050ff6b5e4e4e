package dev.kiln.wasm.validate;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.Features;
import dev.kiln.wasm.module.EntryOffsets;
import dev.kiln.wasm.module.Import;
import dev.kiln.wasm.module.ImportDesc;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.types.Limits;
import dev.kiln.wasm.types.MemoryType;
import dev.kiln.wasm.types.TableType;
import dev.kiln.wasm.module.ElementSegment;
import dev.kiln.wasm.types.ArrayType;
import dev.kiln.wasm.types.FuncType;
import dev.kiln.wasm.types.StorageType;
import dev.kiln.wasm.types.StructType;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.SubType;
import dev.kiln.wasm.types.TypeMatcher;
import dev.kiln.wasm.types.TypeSection;
import dev.kiln.wasm.types.ValueType;
import java.util.List;

/**
 * Module-level rules about types (spec 3.2, 3.4.1-3.4.4 and 3.4.11 for imports): type indices of
 * imported and defined functions, table and memory limits, and how many memories a module may
 * have. Messages are the reference interpreter's, which the test suite checks; each error names the
 * offset of the entry that breaks the rule ({@link dev.kiln.wasm.module.EntryOffsets}).
 */
final class ModuleTypeRules {
  /** Spec 3.2.4: a 32-bit memory has at most 2^16 pages of 64 KiB. */
  private static final long MAX_PAGES_32 = 1L << 16;
  /** Memory64 proposal: a 64-bit memory has at most 2^48 pages, 2^64 bytes. */
  private static final long MAX_PAGES_64 = 1L << 48;
  /**
   * How many declared supertypes a type may have above it: Kiln's implementation limit (spec
   * appendix A.2 allows limits), the one V8 and Wasmtime use as well.
   */
  static final int MAX_SUBTYPING_DEPTH = 63;
  /** Spec 3.2.3: table sizes are u32. */
  private static final long MAX_TABLE_SIZE = 0xFFFF_FFFFL;

  private ModuleTypeRules() {}

  /**
   * WebAssembly 3.0 spec 3.2.x, tag types: a tag names a function type whose results are empty
   * (its parameters are the exception's payload).
   */
  private static void tagType(Module module, int typeIndex, int at) {
    functionTypeIndex(module.typeSection(), typeIndex, at); // a struct or array type is no tag's
    if (!module.types().get(typeIndex).resultTypes().isEmpty()) {
      throw new InvalidException("non-empty tag result type", at);
    }
  }

  static void check(Module module, Features features) {
    int typeCount = module.types().size();
    EntryOffsets offsets = module.offsets();
    typeSection(module.typeSection());
    List<Import> imports = module.imports();
    for (int i = 0; i < imports.size(); i++) {
      CompileDeadline.pollCounted(Phase.DECODE, i);
      int at = offsets.imports().get(i);
      switch (imports.get(i).desc()) {
        case ImportDesc.Func f -> functionTypeIndex(module.typeSection(), f.typeIndex(), at);
        case ImportDesc.Table t -> {
          valueType(t.type().reference(), typeCount, at);
          table(t.type(), at);
        }
        case ImportDesc.Memory m -> memory(m.type(), at);
        case ImportDesc.Global g -> valueType(g.type().type(), typeCount, at);
        case ImportDesc.Tag t -> tagType(module, t.typeIndex(), at);
      }
    }
    for (int tagType : module.tags()) {
      // the tag section keeps no entry offsets: its errors name the module's start
      tagType(module, tagType, 0);
    }
    for (int i = 0; i < module.globals().size(); i++) {
      valueType(module.globals().get(i).type().type(), typeCount, offsets.globals().get(i));
    }
    List<Integer> functions = module.functions();
    CompileDeadline.forEach(Phase.DECODE, functions.size(),
        i -> functionTypeIndex(module.typeSection(), functions.get(i), offsets.functions().get(i)));
    List<TableType> tables = module.tables();
    for (int i = 0; i < tables.size(); i++) {
      CompileDeadline.pollCounted(Phase.DECODE, i);
      valueType(tables.get(i).reference(), typeCount, offsets.tables().get(i));
      table(tables.get(i), offsets.tables().get(i));
      // spec 3.0 3.4.x: a defined table without an initialiser starts filled with null, so its
      // element type must be nullable
      if (!tables.get(i).reference().defaultable() && !module.tableInitialisers().containsKey(i)) {
        throw new InvalidException("type mismatch", offsets.tables().get(i));
      }
    }
    for (ElementSegment e : module.elements()) {
      valueType(e.reference(), typeCount, e.offset());
    }
    List<MemoryType> memories = module.memories();
    for (int i = 0; i < memories.size(); i++) {
      CompileDeadline.pollCounted(Phase.DECODE, i);
      memory(memories.get(i), offsets.memories().get(i));
    }
    if (module.allMemories().size() > 1 && !features.multiMemory()) {
      throw new InvalidException("multiple memories", module.memoryOffset(1)); // the second one
    }
  }

  /**
   * The type section (spec 3.0, 3.2.2 and 3.4.1): a heap type names a type defined before the end
   * of its own recursion group; a declared supertype is defined before its subtype, is not final,
   * and the subtype's function type matches it (parameters contravariant, results covariant).
   * Types have no offsets of their own here: errors point at the start of the module.
   */
  private static void typeSection(TypeSection section) {
    int start = 0;
    for (List<SubType> group : section.groups()) {
      int end = start + group.size();
      for (SubType t : group) {
        for (HeapType s : t.supertypes()) {
          heapType(s, end, 0);
        }
        switch (t.composite()) {
          case FuncType f -> {
            f.paramTypes().forEach(p -> valueType(p, end, 0));
            f.resultTypes().forEach(r -> valueType(r, end, 0));
          }
          case StructType st -> st.fields().forEach(f -> storageType(f.storage(), end));
          case ArrayType a -> storageType(a.element().storage(), end);
        }
      }
      start = end;
    }
    if (section.subTypes().stream().allMatch(t -> t.supertypes().isEmpty())) {
      return;
    }
    TypeMatcher matcher = section.matcher();
    int[] depth = new int[section.size()];
    for (int i = 0; i < section.size(); i++) {
      List<HeapType> supers = section.subTypes().get(i).supertypes();
      if (supers.size() > 1) {
        throw new InvalidException("multiple supertypes", 0);
      }
      for (HeapType s : supers) {
        int j = ((HeapType.Concrete) s).typeIndex();
        if (j >= i) {
          throw new InvalidException("unknown type " + j, 0);
        }
        // Matching two concrete types walks the subtype's supertype chain, once per operand the
        // validator compares: a chain as long as the module allows would make validation quadratic.
        depth[i] = depth[j] + 1;
        if (depth[i] > MAX_SUBTYPING_DEPTH) {
          throw new InvalidException("subtyping chain longer than " + MAX_SUBTYPING_DEPTH + " (Kiln's limit)", 0);
        }
        if (section.subTypes().get(j).isFinal() || !TypeMatcher.compositeMatches(matcher.canonical(i), matcher.canonical(j))) {
          throw new InvalidException("sub type " + i + " does not match super type " + j, 0);
        }
      }
    }
  }

  private static void storageType(StorageType t, int typeCount) {
    if (t instanceof ValueType v) {
      valueType(v, typeCount, 0);
    }
  }

  /** A value type's heap type, if any, names one of the first {@code typeCount} types. */
  static void valueType(ValueType t, int typeCount, int at) {
    if (t instanceof RefType r) {
      heapType(r.heap(), typeCount, at);
    }
  }

  private static void heapType(HeapType h, int typeCount, int at) {
    if (h instanceof HeapType.Concrete(int index)) {
      typeIndex(index, typeCount, at);
    }
  }

  /** A function's type index names a function type (spec 3.0 3.4.x: {@code C.types[x]} expands to func). */
  private static void functionTypeIndex(TypeSection section, int index, int at) {
    typeIndex(index, section.size(), at);
    if (!(section.subTypes().get(index).composite() instanceof FuncType)) {
      throw new InvalidException("type mismatch: type " + index + " is not a function type", at);
    }
  }

  private static void typeIndex(int index, int typeCount, int at) {
    if (Integer.compareUnsigned(index, typeCount) >= 0) {
      throw new InvalidException("unknown type " + Integer.toUnsignedString(index), at);
    }
  }

  /**
   * Spec 3.2.3 table types: limits within u32; a 64-bit table's (WebAssembly 3.0) within u64,
   * which every decoded value is.
   */
  private static void table(TableType t, int at) {
    limits(t.limits(), t.is64() ? -1L : MAX_TABLE_SIZE, "table size must be at most 2^32-1", at);
  }

  /**
   * Spec 3.2.4 memory types: limits within 2^16 pages (2^48 for 64-bit memories); the threads
   * proposal requires a shared memory to declare its maximum.
   */
  private static void memory(MemoryType m, int at) {
    if (m.is64()) {
      limits(m.limits(), MAX_PAGES_64, "memory size must be at most 2^48 pages (256 TiB)", at);
    } else {
      limits(m.limits(), MAX_PAGES_32, "memory size must be at most 65536 pages (4GiB)", at);
    }
    if (m.shared() && m.limits().max().isEmpty()) {
      throw new InvalidException("shared memory must have maximum", at);
    }
  }

  /** Spec 3.2.1 limits: both bounds in range (checked first, as the interpreter does), min <= max. */
  private static void limits(Limits limits, long range, String tooLarge, int at) {
    if (Long.compareUnsigned(limits.min(), range) > 0) {
      throw new InvalidException(tooLarge, at);
    }
    if (limits.max().isPresent()) {
      long max = limits.max().getAsLong();
      if (Long.compareUnsigned(max, range) > 0) {
        throw new InvalidException(tooLarge, at);
      }
      if (Long.compareUnsigned(limits.min(), max) > 0) {
        throw new InvalidException("size minimum must not be greater than maximum", at);
      }
    }
  }
}
