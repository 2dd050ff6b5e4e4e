package dev.kiln.wasm.decode;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import dev.kiln.wasm.Features;
import dev.kiln.wasm.ImplementationLimitException;
import dev.kiln.wasm.code.ValueTypes;
import dev.kiln.wasm.types.ArrayType;
import dev.kiln.wasm.types.CompositeType;
import dev.kiln.wasm.types.FieldType;
import dev.kiln.wasm.types.FuncType;
import dev.kiln.wasm.types.PackedType;
import dev.kiln.wasm.types.StorageType;
import dev.kiln.wasm.types.StructType;
import dev.kiln.wasm.types.GlobalType;
import dev.kiln.wasm.types.Limits;
import dev.kiln.wasm.types.MemoryType;
import dev.kiln.wasm.types.TableType;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.SubType;
import dev.kiln.wasm.types.ValType;
import dev.kiln.wasm.types.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Types in the binary format (spec 5.3): value, function, limits, table, memory and global types. */
final class TypeDecoder {
  private static final int FUNC_TYPE_FORM = 0x60;
  private static final int REC_FORM = 0x4E;
  private static final int SUB_FORM = 0x50;
  private static final int SUB_FINAL_FORM = 0x4F;
  private static final int STRUCT_FORM = 0x5F;
  private static final int ARRAY_FORM = 0x5E;
  private static final int LIMITS_HAS_MAX = 0x01;
  private static final int LIMITS_SHARED = 0x02;
  private static final int LIMITS_64 = 0x04;

  private TypeDecoder() {}

  /**
   * A value type (spec 5.3.4). Like the reference interpreter, a byte in the number range reports a
   * malformed number type and anything else a malformed reference type.
   */
  static ValueType valueType(ByteCursor in, Features features) {
    int at = in.position();
    int code = in.u8();
    ValueType t = ValueTypes.afterCode(code, in.reader(), features.wasm3());
    if (t == null) {
      throw in.error(typeByteError(code, code > 0x70 ? "malformed number type" : "malformed reference type"), at);
    }
    return t;
  }

  /**
   * Type constructors are one-byte signed LEB128 values (s7) in the spec's grammar: a byte with the
   * continuation bit set starts an encoding longer than an s7 may be.
   */
  private static String typeByteError(int b, String otherwise) {
    return (b & 0x80) != 0 ? "integer representation too long" : otherwise;
  }

  /**
   * A reference type (spec 5.3.3): funcref 0x70 or externref 0x6F, or the same spelled 0x63 0x70
   * and 0x63 0x6F, and under WebAssembly 3.0's rules the others it adds ({@link ValueTypes}).
   */
  static RefType referenceType(ByteCursor in, Features features) {
    int at = in.position();
    ValueType t = ValueTypes.afterCode(in.u8(), in.reader(), features.wasm3());
    if (!(t instanceof RefType r)) {
      throw in.error("malformed reference type", at);
    }
    return r;
  }

  /**
   * One entry of the type section (WebAssembly 3.0 spec 5.3.8): a recursion group {@code 0x4E
   * vec(subtype)}, or one subtype standing for a group of one. WebAssembly 2.0 has only function
   * types.
   */
  static List<SubType> recGroup(ByteCursor in, Features features, long typesBefore) {
    if (features.wasm3() && in.reader().peek() == REC_FORM) {
      in.u8();
      int at = in.position();
      int n = in.len32();
      // The implementation limit counts types, not groups: one group may declare all of them.
      ImplementationLimitException.check("types", typesBefore + n, ImplementationLimitException.MAX_ENTRIES, at);
      List<SubType> group = new ArrayList<>(ByteCursor.initialCapacity(n));
      for (int i = 0; i < n; i++) {
        CompileDeadline.pollCounted(Phase.DECODE, i);
        group.add(subType(in, features));
      }
      return group;
    }
    return List.of(features.wasm3() ? subType(in, features) : SubType.plain(funcType(in, features)));
  }

  /** A subtype (spec 5.3.8): {@code 0x50 vec(typeidx) comptype}, {@code 0x4F} the same final, or a final comptype. */
  private static SubType subType(ByteCursor in, Features features) {
    int form = in.reader().peek();
    if (form != SUB_FORM && form != SUB_FINAL_FORM) {
      return SubType.plain(compositeType(in, features));
    }
    in.u8();
    int n = in.len32();
    List<HeapType> supertypes = new ArrayList<>(ByteCursor.initialCapacity(n));
    for (int i = 0; i < n; i++) {
      supertypes.add(new HeapType.Concrete(in.u32()));
    }
    return new SubType(form == SUB_FINAL_FORM, supertypes, compositeType(in, features));
  }

  /**
   * A composite type (WebAssembly 3.0 spec 5.3.7): a function type {@code 0x60 params results}, a
   * struct type {@code 0x5F vec(fieldtype)} or an array type {@code 0x5E fieldtype}; WebAssembly 2.0
   * has only function types.
   */
  static CompositeType compositeType(ByteCursor in, Features features) {
    int at = in.position();
    int form = in.reader().peek();
    if (features.wasm3() && form == STRUCT_FORM) {
      in.u8();
      int n = in.len32();
      ImplementationLimitException.check("fields of a struct type", n, ImplementationLimitException.MAX_STRUCT_FIELDS,
          at);
      List<FieldType> fields = new ArrayList<>(ByteCursor.initialCapacity(n));
      for (int i = 0; i < n; i++) {
        fields.add(fieldType(in, features));
      }
      return new StructType(fields);
    }
    if (features.wasm3() && form == ARRAY_FORM) {
      in.u8();
      return new ArrayType(fieldType(in, features));
    }
    return funcType(in, features);
  }

  /** A function type (spec 5.3.6): 0x60, parameter types, result types. */
  static FuncType funcType(ByteCursor in, Features features) {
    int at = in.position();
    int form = in.u8();
    if (form != FUNC_TYPE_FORM) {
      throw in.error(typeByteError(form, "malformed function type"), at);
    }
    List<ValueType> params = valueTypes(in, features, "params of a function type",
        ImplementationLimitException.MAX_FUNCTION_PARAMS);
    List<ValueType> results = valueTypes(in, features, "results of a function type",
        ImplementationLimitException.MAX_FUNCTION_RESULTS);
    return new FuncType(params, results);
  }

  /**
   * A field type (spec 5.3.7): a storage type, a value type or the packed i8 (0x78) or i16 (0x77),
   * then its mutability, 0x00 or 0x01 like a global's.
   */
  private static FieldType fieldType(ByteCursor in, Features features) {
    PackedType packed = PackedType.fromCode(in.reader().peek());
    StorageType storage;
    if (packed != null) {
      in.u8();
      storage = packed;
    } else {
      storage = valueType(in, features);
    }
    int at = in.position();
    int mut = in.u8();
    if (mut > 1) {
      throw in.error("malformed mutability", at);
    }
    return new FieldType(storage, mut == 1);
  }

  /** A function type's parameter or result types, refused at their count past {@code limit}. */
  private static List<ValueType> valueTypes(ByteCursor in, Features features, String what, int limit) {
    int at = in.position();
    int n = in.len32();
    ImplementationLimitException.check(what, n, limit, at);
    if (n == 0) {
      return List.of();
    }
    List<ValueType> types = new ArrayList<>(ByteCursor.initialCapacity(n));
    for (int i = 0; i < n; i++) {
      types.add(valueType(in, features));
    }
    return types;
  }

  /**
   * A table type (spec 5.3.9): reference type, then limits whose flags only say whether a maximum
   * follows. WebAssembly 3.0 reads table limits as u64, leaving the 32-bit range to validation
   * ("table size"), and (with memory64's flags) gives bit 2 to 64-bit tables (address type i64).
   */
  static TableType tableType(ByteCursor in, Features features) {
    RefType element = referenceType(in, features);
    boolean table64 = features.wasm3() && features.memory64();
    int flags = limitsFlags(in, features, table64 ? LIMITS_HAS_MAX | LIMITS_64 : LIMITS_HAS_MAX);
    return new TableType(element, limits(in, flags, features.wasm3()), (flags & LIMITS_64) != 0);
  }

  /**
   * A memory type (spec 5.3.8): limits flags (bit 0 maximum present, bit 1 shared with threads, bit 2
   * 64-bit with memory64), then the limits: u32 in WebAssembly 2.0, u64 whenever memory64 is on.
   */
  static MemoryType memoryType(ByteCursor in, Features features) {
    int allowed = LIMITS_HAS_MAX;
    if (features.threads()) {
      allowed |= LIMITS_SHARED;
    }
    if (features.memory64()) {
      allowed |= LIMITS_64;
    }
    int flags = limitsFlags(in, features, allowed);
    boolean is64 = (flags & LIMITS_64) != 0;
    // memory64 reads every memory's limits as u64 and leaves the 32-bit range to validation
    boolean wide = features.memory64();
    return new MemoryType(limits(in, flags, wide), is64, (flags & LIMITS_SHARED) != 0);
  }

  /** A global type (spec 5.3.10): value type, then mutability 0x00 (const) or 0x01 (var). */
  static GlobalType globalType(ByteCursor in, Features features) {
    ValueType t = valueType(in, features);
    int at = in.position();
    int mutability = in.u8();
    if (mutability > 1) {
      throw in.error("malformed mutability", at);
    }
    return new GlobalType(t, mutability == 1);
  }

  /**
   * The limits flags. In WebAssembly 2.0 they are a 1-bit LEB128 value (so 0x02 is "integer too
   * large"); the threads and memory64 proposals make them a byte of flag bits, where an unknown bit
   * is "malformed limits flags".
   */
  private static int limitsFlags(ByteCursor in, Features features, int allowed) {
    if (!features.memory64() && !features.threads()) {
      return in.flagBit();
    }
    int at = in.position();
    int flags = in.u8();
    if ((flags & ~allowed) != 0) {
      throw in.error("malformed limits flags", at);
    }
    return flags;
  }

  private static Limits limits(ByteCursor in, int flags, boolean wide) {
    long min = wide ? in.u64() : Integer.toUnsignedLong(in.u32());
    OptionalLong max = OptionalLong.empty();
    if ((flags & LIMITS_HAS_MAX) != 0) {
      max = OptionalLong.of(wide ? in.u64() : Integer.toUnsignedLong(in.u32()));
    }
    return new Limits(min, max);
  }
}
