package dev.kiln.loader.instance;

import dev.kiln.artifact.gc.ObjectLayout;
import dev.kiln.artifact.info.ConstInstr;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.wasm.types.ArrayType;
import dev.kiln.wasm.types.CompositeType;
import dev.kiln.wasm.types.FieldType;
import dev.kiln.wasm.types.PackedType;
import dev.kiln.wasm.types.StructType;
import dev.kiln.wasm.types.SubType;
import dev.kiln.wasm.types.ValueType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * The objects constant expressions make ({@code struct.new}, {@code struct.new_default}, {@code
 * array.new}, {@code array.new_default}, {@code array.new_fixed} in a global's or an element's
 * initialiser, WebAssembly 3.0 spec 3.3.10), written into the store's GC heap in the layout compiled
 * code reads ({@link ObjectLayout}). {@code ModuleInfo} checked that each instruction names a type
 * of its kind and pops as many operands as the type says.
 */
final class ConstObjects implements ConstExprEvaluator.ObjectAllocator {
  private final NativeStore store;
  private final List<SubType> types;
  private final int[] typeIds;
  private final InstantiationDeadline deadline;

  /**
   * @param types the module's types, by type index
   * @param typeIds their runtime type ids, what an object's header holds
   * @param deadline ticked per element an array's initialiser writes: a length is the guest's
   *     choice (red team 8 F5: a 1 GiB array ran 14 s past a 10 ms epoch deadline)
   */
  ConstObjects(NativeStore store, List<SubType> types, int[] typeIds, InstantiationDeadline deadline) {
    this.store = store;
    this.types = types;
    this.typeIds = typeIds;
    this.deadline = deadline;
  }

  @Override
  public long allocate(ConstInstr.GcNew instruction, long[] operands, long[] highs) {
    CompositeType type = types.get(instruction.typeIndex()).composite();
    long id = Integer.toUnsignedLong(typeIds[instruction.typeIndex()]);
    if (type instanceof StructType struct) {
      int size = ObjectLayout.structSize(struct);
      long address = store.allocateObject(size);
      MemorySegment object = MemorySegment.ofAddress(address).reinterpret(size);
      object.set(ValueLayout.JAVA_LONG, ObjectLayout.TYPE_ID, id | (long) ObjectLayout.STRUCT_MARK << 32);
      int[] offsets = ObjectLayout.fieldOffsets(struct);
      for (int i = 0; i < operands.length; i++) {
        write(object, offsets[i], struct.fields().get(i), operands[i], highs[i]);
      }
      return address;
    }
    FieldType element = ((ArrayType) type).element();
    int size = ObjectLayout.size(element);
    long length = switch (instruction.subOpcode()) {
      case ConstInstr.GcNew.ARRAY_NEW_FIXED -> operands.length;
      default -> Integer.toUnsignedLong((int) operands[operands.length - 1]);
    };
    long bytes = (ObjectLayout.FIELDS + length * size + ObjectLayout.ALIGNMENT - 1) & -ObjectLayout.ALIGNMENT;
    long address = store.allocateObject(bytes);
    MemorySegment object = MemorySegment.ofAddress(address).reinterpret(bytes);
    object.set(ValueLayout.JAVA_LONG, ObjectLayout.TYPE_ID, id | length << 32);
    // array.new_default writes nothing, nor array.new of a zero: the heap's zeroes are the values
    boolean fixed = instruction.subOpcode() == ConstInstr.GcNew.ARRAY_NEW_FIXED;
    boolean zeroes = !fixed && operands.length > 1 && operands[0] == 0 && highs[0] == 0;
    if (instruction.subOpcode() != ConstInstr.GcNew.ARRAY_NEW_DEFAULT && !zeroes) {
      for (int i = 0; i < length; i++) {
        deadline.tick();
        int from = fixed ? i : 0;
        write(object, ObjectLayout.FIELDS + (long) i * size, element, operands[from], highs[from]);
      }
    }
    return address;
  }

  /** Writes one field or element: packed ones truncated, a v128 as its two halves. */
  private static void write(MemorySegment object, long offset, FieldType field, long value, long high) {
    switch (field.storage()) {
      case PackedType p when p == PackedType.I8 -> object.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
      case PackedType p -> object.set(ValueLayout.JAVA_SHORT_UNALIGNED, offset, (short) value);
      case ValueType v -> {
        switch (field.storage().byteSize()) {
          case 4 -> object.set(ValueLayout.JAVA_INT_UNALIGNED, offset, (int) value);
          case 8 -> object.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, value);
          default -> {
            object.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, value);
            object.set(ValueLayout.JAVA_LONG_UNALIGNED, offset + 8, high);
          }
        }
      }
    }
  }
}
