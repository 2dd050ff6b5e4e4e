package dev.kiln.wasm.validate;

import dev.kiln.wasm.ImplementationLimitException;
import dev.kiln.wasm.code.InstructionReader;
import dev.kiln.wasm.code.Opcode;
import dev.kiln.wasm.types.ArrayType;
import dev.kiln.wasm.types.FieldType;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.PackedType;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.StorageType;
import dev.kiln.wasm.types.StructType;
import dev.kiln.wasm.types.ValueType;
import java.util.List;

/**
 * The typing rules of the GC instructions (WebAssembly 3.0 spec 3.3.2-3.3.3: aggregate, cast, i31
 * and conversion instructions), on the stacks and type codes of the {@link FunctionValidator} that
 * validates the body: one family of instructions in a class of its own.
 */
final class GcInstructionRules {
  private final FunctionValidator v;

  GcInstructionRules(FunctionValidator v) {
    this.v = v;
  }

  /** Types {@code op}, one of this family's instructions, whose immediates {@code r} holds. */
  void validate(Opcode op, InstructionReader r) {
    switch (op) {
      case REF_EQ -> {
        v.popExpect(v.eqref);
        v.popExpect(v.eqref);
        v.push(FunctionValidator.I32);
      }
      case STRUCT_NEW -> {
        List<FieldType> fields = structType(r.index()).fields();
        for (int i = fields.size() - 1; i >= 0; i--) {
          v.popExpect(v.code(fields.get(i).storage().unpacked()));
        }
        v.push(concrete(false, r.index()));
      }
      case STRUCT_NEW_DEFAULT -> {
        for (FieldType f : structType(r.index()).fields()) {
          defaultableField(f);
        }
        v.push(concrete(false, r.index()));
      }
      case STRUCT_GET, STRUCT_GET_S, STRUCT_GET_U -> {
        FieldType f = field(structType(r.index()), r.secondIndex());
        packedAccess(op != Opcode.STRUCT_GET, f);
        v.popExpect(concrete(true, r.index()));
        v.push(v.code(f.storage().unpacked()));
      }
      case STRUCT_SET -> {
        FieldType f = field(structType(r.index()), r.secondIndex());
        mutableField(f);
        v.popExpect(v.code(f.storage().unpacked()));
        v.popExpect(concrete(true, r.index()));
      }
      case ARRAY_NEW -> {
        FieldType e = arrayType(r.index()).element();
        v.popExpect(FunctionValidator.I32);
        v.popExpect(v.code(e.storage().unpacked()));
        v.push(concrete(false, r.index()));
      }
      case ARRAY_NEW_DEFAULT -> {
        defaultableField(arrayType(r.index()).element());
        v.popExpect(FunctionValidator.I32);
        v.push(concrete(false, r.index()));
      }
      case ARRAY_NEW_FIXED -> {
        FieldType e = arrayType(r.index()).element();
        int n = r.secondIndex();
        ImplementationLimitException.check("operands of array.new_fixed", Integer.toUnsignedLong(n),
            ImplementationLimitException.MAX_ARRAY_NEW_FIXED_OPERANDS, v.at);
        int t = v.code(e.storage().unpacked());
        for (int i = 0; i < n; i++) {
          v.popExpect(t);
        }
        v.push(concrete(false, r.index()));
      }
      case ARRAY_NEW_DATA -> {
        numericElement(arrayType(r.index()).element());
        v.data(r.secondIndex());
        v.popExpect(FunctionValidator.I32);
        v.popExpect(FunctionValidator.I32);
        v.push(concrete(false, r.index()));
      }
      case ARRAY_NEW_ELEM -> {
        segmentFitsElement(arrayType(r.index()).element(), r.secondIndex());
        v.popExpect(FunctionValidator.I32);
        v.popExpect(FunctionValidator.I32);
        v.push(concrete(false, r.index()));
      }
      case ARRAY_GET, ARRAY_GET_S, ARRAY_GET_U -> {
        FieldType e = arrayType(r.index()).element();
        packedAccess(op != Opcode.ARRAY_GET, e);
        v.popExpect(FunctionValidator.I32);
        v.popExpect(concrete(true, r.index()));
        v.push(v.code(e.storage().unpacked()));
      }
      case ARRAY_SET -> {
        FieldType e = arrayType(r.index()).element();
        mutableField(e);
        v.popExpect(v.code(e.storage().unpacked()));
        v.popExpect(FunctionValidator.I32);
        v.popExpect(concrete(true, r.index()));
      }
      case ARRAY_LEN -> {
        v.popExpect(v.arrayref);
        v.push(FunctionValidator.I32);
      }
      case ARRAY_FILL -> {
        FieldType e = arrayType(r.index()).element();
        mutableField(e);
        v.popExpect(FunctionValidator.I32);
        v.popExpect(v.code(e.storage().unpacked()));
        v.popExpect(FunctionValidator.I32);
        v.popExpect(concrete(true, r.index()));
      }
      case ARRAY_COPY -> {
        FieldType destination = arrayType(r.index()).element();
        FieldType source = arrayType(r.secondIndex()).element();
        mutableField(destination);
        if (!storageMatches(source.storage(), destination.storage())) {
          throw v.invalid("array types do not match");
        }
        v.popExpect(FunctionValidator.I32);
        v.popExpect(FunctionValidator.I32);
        v.popExpect(concrete(true, r.secondIndex()));
        v.popExpect(FunctionValidator.I32);
        v.popExpect(concrete(true, r.index()));
      }
      case ARRAY_INIT_DATA, ARRAY_INIT_ELEM -> {
        FieldType e = arrayType(r.index()).element();
        mutableField(e);
        if (op == Opcode.ARRAY_INIT_DATA) {
          numericElement(e);
          v.data(r.secondIndex());
        } else {
          segmentFitsElement(e, r.secondIndex());
        }
        v.popI32Times(3);
        v.popExpect(concrete(true, r.index()));
      }
      case REF_TEST, REF_TEST_NULL, REF_CAST, REF_CAST_NULL -> {
        RefType target = (RefType) v.checkedType(r.castTargetType());
        int operand = v.popReference();
        sameHierarchy(operand, target);
        v.push(op == Opcode.REF_TEST || op == Opcode.REF_TEST_NULL ? FunctionValidator.I32 : v.code(target));
      }
      case BR_ON_CAST, BR_ON_CAST_FAIL -> castBranch(op == Opcode.BR_ON_CAST, r);
      case ANY_CONVERT_EXTERN, EXTERN_CONVERT_ANY -> {
        boolean toAny = op == Opcode.ANY_CONVERT_EXTERN;
        int operand = v.popExpect(toAny ? FunctionValidator.EXTERNREF : v.anyref);
        // the nullability carries over (spec 3.3.2: [(ref null? extern)] -> [(ref null? any)])
        boolean nullable = operand != FunctionValidator.UNKNOWN && ((RefType) v.typeOf(operand)).nullable();
        v.push(v.code(new RefType(nullable, toAny ? HeapType.Abstract.ANY : HeapType.Abstract.EXTERN)));
      }
      case REF_I31 -> {
        v.popExpect(FunctionValidator.I32);
        v.push(v.i31NonNull);
      }
      case I31_GET_S, I31_GET_U -> {
        v.popExpect(v.i31ref);
        v.push(FunctionValidator.I32);
      }
      default -> throw new IllegalStateException("no typing rule for " + op.name());
    }
  }

  /**
   * br_on_cast and br_on_cast_fail (spec 3.3.8): the target type must match the source type, the
   * operand must match the source type, and the label's last type receives the cast's success
   * (br_on_cast) or the source type minus the target type (br_on_cast_fail); the other outcome
   * stays on the stack.
   */
  private void castBranch(boolean onSuccess, InstructionReader r) {
    int frame = v.label(r.index());
    RefType source = (RefType) v.checkedType(r.castSourceType());
    RefType target = (RefType) v.checkedType(r.castTargetType());
    if (!v.matcher.matches(target, source)) {
      throw v.invalid("type mismatch");
    }
    // source \ target: what is left when the cast fails
    RefType difference = source.withNullable(source.nullable() && !target.nullable());
    RefType branched = onSuccess ? target : difference;
    RefType remaining = onSuccess ? difference : target;
    int[] types = v.labelTypes(frame);
    if (types.length == 0 || !v.matches(v.code(branched), types[types.length - 1])) {
      throw v.invalid("type mismatch");
    }
    v.popExpect(v.code(source));
    for (int k = types.length - 2; k >= 0; k--) {
      v.popExpect(types[k]);
    }
    for (int k = 0; k < types.length - 1; k++) {
      v.push(types[k]);
    }
    v.push(v.code(remaining));
  }

  /** A cast's target type and its operand belong to one hierarchy (spec 3.3.3: rt <: top of rt'). */
  private void sameHierarchy(int operand, RefType target) {
    if (operand == FunctionValidator.UNKNOWN) {
      return;
    }
    RefType actual = (RefType) v.typeOf(operand);
    if (actual.heap() == HeapType.Abstract.BOT) {
      return;
    }
    if (top(actual.heap()) != top(target.heap())) {
      throw v.invalid("type mismatch");
    }
  }

  /** The top of a heap type's hierarchy: func, extern or any (spec 3.2.x). */
  private HeapType.Abstract top(HeapType heap) {
    if (heap instanceof HeapType.Concrete(int index)) {
      return v.context.typeSection().subTypes().get(index).composite().abstractSuper().top();
    }
    return ((HeapType.Abstract) heap).top();
  }

  private int concrete(boolean nullable, int typeIndex) {
    return v.code(new RefType(nullable, new HeapType.Concrete(typeIndex)));
  }

  private StructType structType(int index) {
    if (v.context.typeSection().subTypes().get(v.type(index)).composite() instanceof StructType s) {
      return s;
    }
    throw v.invalid("type mismatch: type " + index + " is not a struct type");
  }

  private ArrayType arrayType(int index) {
    if (v.context.typeSection().subTypes().get(v.type(index)).composite() instanceof ArrayType a) {
      return a;
    }
    throw v.invalid("type mismatch: type " + index + " is not an array type");
  }

  private FieldType field(StructType s, int index) {
    if (Integer.compareUnsigned(index, s.fields().size()) >= 0) {
      throw v.invalid("unknown field " + Integer.toUnsignedString(index));
    }
    return s.fields().get(index);
  }

  /** get_s/_u read packed fields only, plain get only unpacked ones (spec 3.3.3). */
  private void packedAccess(boolean signed, FieldType f) {
    boolean packed = f.storage() instanceof PackedType;
    if (packed != signed) {
      throw v.invalid(packed ? "field is packed" : "type mismatch: field is not packed");
    }
  }

  private void mutableField(FieldType f) {
    if (!f.mutable()) {
      throw v.invalid("field is immutable");
    }
  }

  private void defaultableField(FieldType f) {
    if (!f.defaultable()) {
      throw v.invalid("field type is not defaultable");
    }
  }

  /** array.new_data and array.init_data fill numbers or vectors from bytes (spec 3.3.3). */
  private void numericElement(FieldType e) {
    if (e.storage() instanceof RefType) {
      throw v.invalid("array type is not numeric or vector");
    }
  }

  /** array.new_elem and array.init_elem: the segment's reference type matches the element type. */
  private void segmentFitsElement(FieldType e, int segment) {
    int s = v.element(segment);
    if (!(e.storage() instanceof RefType) || !v.matches(s, v.code(e.storage().unpacked()))) {
      throw v.invalid("type mismatch");
    }
  }

  /** Storage subtyping (spec 3.2.x): packed types only themselves, value types by {@link #matches}. */
  private boolean storageMatches(StorageType actual, StorageType expected) {
    if (actual instanceof ValueType a && expected instanceof ValueType e) {
      return v.matches(v.code(a), v.code(e));
    }
    return actual == expected;
  }
}
