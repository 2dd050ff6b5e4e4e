package dev.kiln.compiler.translate;

import dev.kiln.artifact.gc.ObjectLayout;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.ExceptionLayout;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.artifact.vm.TableStorage;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.ir.BranchTarget;
import dev.kiln.ir.InstBuilder;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.MemFlags;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.Type;
import dev.kiln.ir.builder.FunctionBuilder;
import dev.kiln.wasm.types.ArrayType;
import dev.kiln.wasm.types.FieldType;
import dev.kiln.wasm.types.PackedType;
import dev.kiln.wasm.types.StructType;
import dev.kiln.wasm.types.ValueType;

/**
 * The struct and array instructions (WebAssembly 3.0 spec 4.4.x "aggregate instructions"), and
 * {@code throw}'s exception object, on objects in the store's GC heap, laid out as {@link
 * ObjectLayout} says: what each instruction means is decided here once, as IR both backends lower
 * with the loads, stores, compares and calls they already have.
 *
 * <p><b>Allocation.</b> A bump of {@code gc_heap_top} in the store context ({@link StoreLayout}):
 * when the new top stays below {@code gc_heap_end} (the part accounted against the store's memory
 * limit), the object is the old top. Otherwise an out-of-line block calls the heap's slow path
 * ({@link Builtin#GC_ALLOCATE}), which accounts more of the heap or collects, and gives the object's
 * address, or 0 where the heap has no room within the limit, on which the code traps with {@code
 * GC_HEAP_EXHAUSTED}. That call is a safepoint ({@link GcSafepoints}): the references the frame
 * holds across it (its reference locals live after it, the operand stack, and the ones the instruction itself
 * holds, such as {@code struct.new}'s field values) are stored to stack slots in the out-of-line
 * block before the call and loaded back after it, so a collection in the slow path finds and
 * rewrites them. The loaded values reach the join as its block parameters, beside the object; the
 * bump path passes the values it has, so the fast path stores and loads no slot, and the code after
 * the join sees the moved references whichever path ran. The bytes
 * past the top are always zero (the collector zeroes what it evacuates), every field's default:
 * allocation writes the header and the fields it is given.
 *
 * <p><b>Checks.</b> A null reference traps before any access ("null structure reference", "null
 * array reference"); an element index, or a fill, copy or init range, is compared with the length
 * in 64-bit arithmetic (no wrap) before anything is written ("out of bounds array access"); a data
 * or element segment's range traps as {@code memory.init} and {@code table.init} do.
 */
final class GcObjects {
  /** Object fields: may alias any other object's, never the VMContext's. */
  private static final MemFlags OBJECT = MemFlags.NONE;
  /** The heap fields of the store context: compiled allocation writes them. */
  private static final MemFlags HEAP_STATE = MemFlags.NONE;

  /**
   * The function's side of an allocation's safepoint: the translator knows which references its
   * frame holds (locals, operand stack), this class which ones the instruction holds.
   */
  interface SlowPathSpills {
    /**
     * Before the allocation's bump and slow paths split: whatever the frame must store where both
     * paths see it (a frame-resident function's stack references not in their slots yet, which
     * the code after the join loads from them).
     */
    void beforePaths();

    /**
     * Stores to stack slots every reference the frame holds across the slow path and each of
     * {@code held} that is one; null, emitting nothing, when there is none.
     */
    Spilled spill(int[] held);
  }

  /** References stored by {@link SlowPathSpills#spill}, in slot order. */
  interface Spilled {
    /** The references as they were before the slow path, in slot order. */
    int[] values();

    /** Gives the calls built since the spill (the slow path's) the stack map of these slots. */
    void markCalls();

    /** Loads the references back from their slots as new values, in slot order. */
    int[] reload();

    /**
     * From here on the frame holds {@code values} (one per slot, as {@link #values} and {@link
     * #reload} give them): its locals and operand stack take theirs, and each spilled entry of
     * {@code held} is replaced in place.
     */
    void restore(int[] values, int[] held);
  }

  private final ModuleEnvironment env;
  private final FuncEnvironment fenv;
  private final FunctionBuilder b;
  private final SlowPathSpills spills;
  private final NullChecks nulls;

  GcObjects(ModuleEnvironment env, FuncEnvironment fenv, FunctionBuilder b, SlowPathSpills spills, NullChecks nulls) {
    this.env = env;
    this.fenv = fenv;
    this.b = b;
    this.spills = spills;
    this.nulls = nulls;
  }

  // ---------------------------------------------------------------- structs

  /** {@code struct.new $t} with the field values in order, or {@code struct.new_default $t} with none. */
  int structNew(int typeIndex, int[] values) {
    StructType type = structType(typeIndex);
    values = values.clone();
    int object = allocate(b.ins().iconst(Type.I64, ObjectLayout.structSize(type)), values);
    writeHeader(object, typeIndex, constantUpper(ObjectLayout.STRUCT_MARK));
    int[] offsets = ObjectLayout.fieldOffsets(type);
    for (int i = 0; i < values.length; i++) {
      store(type.fields().get(i), values[i], object, offsets[i]);
    }
    return object;
  }

  /** {@code struct.get(_s/_u) $t i}: traps on null, then one load. */
  int structGet(int typeIndex, int field, int ref, boolean signed) {
    StructType type = structType(typeIndex);
    nulls.check(ref, TrapCode.NULL_STRUCTURE_REFERENCE);
    return load(type.fields().get(field), ref, ObjectLayout.fieldOffsets(type)[field], signed);
  }

  /** {@code struct.set $t i}: traps on null, then one store. */
  void structSet(int typeIndex, int field, int ref, int value) {
    StructType type = structType(typeIndex);
    nulls.check(ref, TrapCode.NULL_STRUCTURE_REFERENCE);
    store(type.fields().get(field), value, ref, ObjectLayout.fieldOffsets(type)[field]);
  }

  // ---------------------------------------------------------------- arrays

  /** {@code array.new $t}: {@code length} copies of {@code value}; null for {@code array.new_default}. */
  int arrayNew(int typeIndex, Integer value, int length) {
    FieldType element = arrayType(typeIndex).element();
    int length64 = b.ins().unary(Opcode.UEXTEND, Type.I64, length);
    int[] held = value == null ? new int[0] : new int[] {value};
    int object = allocateArray(typeIndex, length64, held);
    if (value != null) {
      value = held[0];
      fillElements(element, elementAddress(element, object, b.ins().iconst(Type.I64, 0)),
          elementAddress(element, object, length64), value);
    }
    return object;
  }

  /** {@code array.new_fixed $t n}: the values in order. */
  int arrayNewFixed(int typeIndex, int[] values) {
    FieldType element = arrayType(typeIndex).element();
    values = values.clone();
    int object = allocateArray(typeIndex, b.ins().iconst(Type.I64, values.length), values);
    int size = ObjectLayout.size(element);
    for (int i = 0; i < values.length; i++) {
      store(element, values[i], object, ObjectLayout.FIELDS + (long) size * i);
    }
    return object;
  }

  /**
   * {@code array.new_data $t $d} and {@code array.new_elem $t $e}: {@code length} elements from
   * segment {@code segment} at {@code offset} (bytes of a data segment, items of an element
   * segment); the segment's range is checked before anything is allocated.
   */
  int arrayNewSegment(int typeIndex, boolean data, int segment, int offset, int length) {
    FieldType element = arrayType(typeIndex).element();
    InstBuilder ins = b.ins();
    int length64 = ins.unary(Opcode.UEXTEND, Type.I64, length);
    int source = segmentRange(data, segment, ins.unary(Opcode.UEXTEND, Type.I64, offset), length64, element);
    int object = allocateArray(typeIndex, length64, new int[0]);
    copyBytes(elementAddress(element, object, b.ins().iconst(Type.I64, 0)), source, byteLength(element, length64));
    return object;
  }

  /** {@code array.get(_s/_u) $t}: null and bounds checks, then one load. */
  int arrayGet(int typeIndex, int ref, int index, boolean signed) {
    FieldType element = arrayType(typeIndex).element();
    int address = checkedElement(element, ref, index);
    return load(element, address, 0, signed);
  }

  /** {@code array.set $t}: null and bounds checks, then one store. */
  void arraySet(int typeIndex, int ref, int index, int value) {
    FieldType element = arrayType(typeIndex).element();
    store(element, value, checkedElement(element, ref, index), 0);
  }

  /** {@code array.len}: traps on null, then the header's length. */
  int arrayLen(int ref) {
    nulls.check(ref, TrapCode.NULL_ARRAY_REFERENCE);
    return b.ins().load(Opcode.LOAD, Type.I32, OBJECT, ref, ObjectLayout.LENGTH);
  }

  /** {@code array.fill $t}: {@code [offset, offset + n)} of the array becomes {@code value}. */
  void arrayFill(int typeIndex, int ref, int offset, int value, int n) {
    FieldType element = arrayType(typeIndex).element();
    int[] range = checkedRange(ref, offset, n);
    fillElements(element, elementAddress(element, ref, range[0]),
        elementAddress(element, ref, b.ins().iadd(range[0], range[1])), value);
  }

  /** {@code array.copy $d $s}: as if through a temporary buffer, so overlapping ranges are fine. */
  void arrayCopy(int destinationType, int destination, int destinationOffset, int source, int sourceOffset, int n) {
    FieldType element = arrayType(destinationType).element();
    nulls.check(destination, TrapCode.NULL_ARRAY_REFERENCE);
    nulls.check(source, TrapCode.NULL_ARRAY_REFERENCE);
    int[] to = checkedRange(destination, destinationOffset, n);
    int[] from = checkedRange(source, sourceOffset, n);
    copyBytes(elementAddress(element, destination, to[0]), elementAddress(element, source, from[0]),
        byteLength(element, to[1]));
  }

  /** {@code array.init_data $t $d} and {@code array.init_elem $t $e}: the array's range first, then the segment's. */
  void arrayInitSegment(int typeIndex, boolean data, int segment, int ref, int offset, int sourceOffset, int n) {
    FieldType element = arrayType(typeIndex).element();
    int[] range = checkedRange(ref, offset, n);
    int source = segmentRange(data, segment, b.ins().unary(Opcode.UEXTEND, Type.I64, sourceOffset), range[1], element);
    copyBytes(elementAddress(element, ref, range[0]), source, byteLength(element, range[1]));
  }

  // ---------------------------------------------------------------- exceptions

  /**
   * The exception object {@code throw} of tag {@code tag} with payload {@code values} makes
   * (WebAssembly 3.0 spec 4.4.8.3; {@link ExceptionLayout}): allocated as {@code struct.new}'s
   * object is, so making it calls nothing on the bump path; its header holds the
   * tag type's runtime type id (the collector reads the payload's types from it) and the
   * exception's kind word with the count ({@link ObjectLayout#exceptionWord}), then the tag's
   * identity, then the values. A reference among {@code values} is held across the
   * slow path as a struct's field is.
   */
  int exceptionNew(int tag, int[] values) {
    values = values.clone();
    int bytes = b.ins().iconst(Type.I64, ExceptionLayout.size(values.length));
    int object = allocate(bytes, values);
    writeHeader(object, env.module().allTagTypeIndices().get(tag), constantUpper(ObjectLayout.exceptionWord(values.length)));
    b.ins().store(Opcode.STORE, OBJECT, fenv.tagIdentity(tag), object, ExceptionLayout.TAG);
    for (int i = 0; i < values.length; i++) {
      b.ins().store(Opcode.STORE, OBJECT, values[i], object, ExceptionLayout.value(i));
    }
    return object;
  }

  // ---------------------------------------------------------------- allocation

  /**
   * Allocates an array object of {@code length64} elements (an i64 below 2^32) and writes its
   * header; {@code held} as {@link #allocate}'s.
   */
  private int allocateArray(int typeIndex, int length64, int[] held) {
    FieldType element = arrayType(typeIndex).element();
    InstBuilder ins = b.ins();
    // at most 8 + (2^32 - 1) * 16 bytes: no overflow in 64 bits; rounded up to the object granule
    int bytes = ins.iadd(byteLength(element, length64), ins.iconst(Type.I64, ObjectLayout.FIELDS + ObjectLayout.ALIGNMENT - 1));
    bytes = ins.band(bytes, ins.iconst(Type.I64, -ObjectLayout.ALIGNMENT));
    int object = allocate(bytes, held);
    writeHeader(object, typeIndex, ins.binary(Opcode.ISHL, Type.I64, length64, ins.iconst(Type.I64, 32)));
    return object;
  }

  /**
   * A kind word known when compiling (a struct's mark, an exception's), in a header's upper half: one
   * constant, where the shift of a constant was two instructions and a register per allocation (no
   * pass folds constants; the backends fold them into immediates).
   */
  private int constantUpper(int kindWord) {
    return b.ins().iconst(Type.I64, Integer.toUnsignedLong(kindWord) << 32);
  }

  /**
   * Writes an object's header: its runtime type id, and {@code upperHalf} (its kind word,
   * ObjectLayout.kindOf, shifted into bits 32-63).
   */
  private void writeHeader(int object, int typeIndex, int upperHalf) {
    InstBuilder ins = b.ins();
    int id = ins.load(Opcode.ULOAD32, Type.I64, MemFlags.VMCTX_READONLY, fenv.vmctx(), env.layout().typeId(typeIndex));
    ins.store(Opcode.STORE, OBJECT, ins.binary(Opcode.BOR, Type.I64, id, upperHalf), object, ObjectLayout.TYPE_ID);
  }

  /**
   * The address of {@code bytes} (an i64 multiple of {@link ObjectLayout#ALIGNMENT}, below 2^37)
   * new zero bytes of the heap; see the class documentation. {@code held} are the values the
   * instruction still needs after the allocation: each GC reference among them is replaced in
   * place by its value after the slow path (a collection may have moved it).
   */
  private int allocate(int bytes, int[] held) {
    spills.beforePaths();
    InstBuilder ins = b.ins();
    int context = fenv.storeContext();
    int top = ins.load(Opcode.LOAD, Type.I64, HEAP_STATE, context, StoreLayout.GC_HEAP_TOP);
    int end = ins.load(Opcode.LOAD, Type.I64, HEAP_STATE, context, StoreLayout.GC_HEAP_END);
    // top <= end < 2^48 and bytes < 2^37: no wrap
    int newTop = ins.iadd(top, bytes);
    int slow = b.createBlock();
    int bump = b.createBlock();
    int join = b.createBlock();
    int object = b.appendBlockParam(join, Type.I64);
    b.ins().brif(b.ins().icmp(IntCC.UGT, newTop, end), slow, bump);
    b.sealBlock(slow);
    b.sealBlock(bump);

    b.switchToBlock(slow);
    b.markCold(slow);
    // the spill belongs to the slow path alone: the bump path calls nothing, so nothing moves there
    Spilled spilled = spills.spill(held);
    int allocated = fenv.callBuiltin(Builtin.GC_ALLOCATE, bytes)[0];
    b.ins().trapz(allocated, TrapCode.GC_HEAP_EXHAUSTED);
    int[] before = spilled == null ? new int[0] : spilled.values();
    int[] after = new int[0];
    if (spilled != null) {
      spilled.markCalls();
      after = spilled.reload();
    }
    int[] joined = new int[before.length];
    for (int i = 0; i < joined.length; i++) {
      joined[i] = b.appendBlockParam(join, b.function().dfg().valueType(before[i]));
    }
    b.ins().jump(join, prepend(allocated, after));

    b.switchToBlock(bump);
    b.ins().store(Opcode.STORE, HEAP_STATE, newTop, context, StoreLayout.GC_HEAP_TOP);
    b.ins().jump(join, prepend(top, before));
    b.sealBlock(join);

    b.switchToBlock(join);
    for (int i = 0; i < joined.length; i++) {
      nulls.same(before[i], joined[i]);
    }
    if (spilled != null) {
      spilled.restore(joined, held);
    }
    return nulls.noteNonNull(object);
  }

  /** {@code first}, then {@code rest}: a jump's arguments, the object before the references. */
  private static int[] prepend(int first, int[] rest) {
    int[] all = new int[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  // ---------------------------------------------------------------- checks and addresses

  /** The address of element {@code index} (i32) of array {@code ref}, after the null and bounds checks. */
  private int checkedElement(FieldType element, int ref, int index) {
    InstBuilder ins = b.ins();
    nulls.check(ref, TrapCode.NULL_ARRAY_REFERENCE);
    int length = ins.load(Opcode.LOAD, Type.I32, OBJECT, ref, ObjectLayout.LENGTH);
    ins.trapnz(ins.icmp(IntCC.UGE, index, length), TrapCode.ARRAY_OUT_OF_BOUNDS);
    return elementAddress(element, ref, ins.unary(Opcode.UEXTEND, Type.I64, index));
  }

  /**
   * Checks that {@code [offset, offset + n)} (i32s) is inside array {@code ref} (null traps);
   * returns both, widened to i64.
   */
  private int[] checkedRange(int ref, int offset, int n) {
    InstBuilder ins = b.ins();
    nulls.check(ref, TrapCode.NULL_ARRAY_REFERENCE);
    int length = ins.load(Opcode.ULOAD32, Type.I64, OBJECT, ref, ObjectLayout.LENGTH);
    int offset64 = ins.unary(Opcode.UEXTEND, Type.I64, offset);
    int n64 = ins.unary(Opcode.UEXTEND, Type.I64, n);
    ins.trapnz(ins.icmp(IntCC.UGT, ins.iadd(offset64, n64), length), TrapCode.ARRAY_OUT_OF_BOUNDS);
    return new int[] {offset64, n64};
  }

  /**
   * Checks that {@code n64} elements from {@code offset64} (i64s below 2^32) are inside segment
   * {@code segment} (length 0 once dropped) and returns the address of the first: a data
   * segment's bytes trap as {@code memory.init} does, an element segment's items as {@code
   * table.init} does.
   */
  private int segmentRange(boolean data, int segment, int offset64, int n64, FieldType element) {
    InstBuilder ins = b.ins();
    int record = data ? env.layout().dataSegment(segment) : env.layout().elementSegment(segment);
    int base = ins.load(Opcode.LOAD, Type.I64, MemFlags.VMCTX_READONLY, fenv.vmctx(), record + VmLayout.SEGMENT_BASE);
    int length = ins.load(Opcode.LOAD, Type.I64, MemFlags.VMCTX, fenv.vmctx(), record + VmLayout.SEGMENT_LENGTH);
    // a data segment's offset and length count bytes (spec: n * |storage| bytes from byte s), an
    // element segment's items, one 8-byte word each like the array's reference elements
    int count = data ? byteLength(element, n64) : n64;
    ins.trapnz(ins.icmp(IntCC.UGT, ins.iadd(offset64, count), length),
        data ? TrapCode.HEAP_OUT_OF_BOUNDS : TrapCode.TABLE_OUT_OF_BOUNDS);
    return ins.iadd(base, data ? offset64 : ins.imul(offset64, ins.iconst(Type.I64, TableStorage.SLOT_SIZE)));
  }

  /** {@code n64} elements' bytes (an i64). */
  private int byteLength(FieldType element, int n64) {
    int size = ObjectLayout.size(element);
    return size == 1 ? n64 : b.ins().imul(n64, b.ins().iconst(Type.I64, size));
  }

  /** The address of element {@code index64} of array {@code ref}, unchecked. */
  private int elementAddress(FieldType element, int ref, int index64) {
    InstBuilder ins = b.ins();
    return ins.iadd(ins.iadd(ref, byteLength(element, index64)), ins.iconst(Type.I64, ObjectLayout.FIELDS));
  }

  /** Copies {@code bytes64} bytes with the MEMORY_COPY builtin (memmove: overlap allowed). */
  private void copyBytes(int to, int from, int bytes64) {
    fenv.callBuiltin(Builtin.MEMORY_COPY, to, from, bytes64);
  }

  /** Stores {@code value} in every element from address {@code start} up to {@code end}: a loop. */
  private void fillElements(FieldType element, int start, int end, int value) {
    int header = b.createBlock();
    int body = b.createBlock();
    int exit = b.createBlock();
    int at = b.appendBlockParam(header, Type.I64);
    b.ins().jump(header, start);
    b.switchToBlock(header);
    b.ins().brif(b.ins().icmp(IntCC.ULT, at, end), new BranchTarget(body), new BranchTarget(exit));
    b.sealBlock(body);
    b.switchToBlock(body);
    store(element, value, at, 0);
    b.ins().jump(header, b.ins().iadd(at, b.ins().iconst(Type.I64, ObjectLayout.size(element))));
    b.sealBlock(header);
    b.sealBlock(exit);
    b.switchToBlock(exit);
  }

  // ---------------------------------------------------------------- field access

  private int load(FieldType field, int address, long offset, boolean signed) {
    InstBuilder ins = b.ins();
    return switch (field.storage()) {
      case PackedType p when p == PackedType.I8 ->
          ins.load(signed ? Opcode.SLOAD8 : Opcode.ULOAD8, Type.I32, OBJECT, address, offset);
      case PackedType p -> ins.load(signed ? Opcode.SLOAD16 : Opcode.ULOAD16, Type.I32, OBJECT, address, offset);
      case ValueType v -> ins.load(Opcode.LOAD, ModuleEnvironment.irType(v.kind()), OBJECT, address, offset);
    };
  }

  private void store(FieldType field, int value, int address, long offset) {
    InstBuilder ins = b.ins();
    Opcode opcode = switch (field.storage()) {
      case PackedType p when p == PackedType.I8 -> Opcode.ISTORE8;
      case PackedType p -> Opcode.ISTORE16;
      case ValueType v -> Opcode.STORE;
    };
    ins.store(opcode, OBJECT, value, address, offset);
  }

  private StructType structType(int typeIndex) {
    return (StructType) env.module().typeSection().subTypes().get(typeIndex).composite();
  }

  private ArrayType arrayType(int typeIndex) {
    return (ArrayType) env.module().typeSection().subTypes().get(typeIndex).composite();
  }
}
