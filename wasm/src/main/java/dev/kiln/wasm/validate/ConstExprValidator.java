package dev.kiln.wasm.validate;

import dev.kiln.wasm.Features;
import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.ImplementationLimitException;
import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.code.InstructionReader;
import dev.kiln.wasm.code.Opcode;
import dev.kiln.wasm.module.ConstExpr;
import dev.kiln.wasm.types.ArrayType;
import dev.kiln.wasm.types.CompositeType;
import dev.kiln.wasm.types.FieldType;
import dev.kiln.wasm.types.GlobalType;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.StructType;
import dev.kiln.wasm.types.ValType;
import dev.kiln.wasm.types.ValueType;
import java.util.Arrays;
import java.util.List;

/**
 * Validates constant expressions (spec 3.3.10): global initialisers, segment offsets and element
 * items. Only constant instructions may appear: {@code t.const}, {@code ref.null}, {@code
 * ref.func}, {@code global.get} of an immutable global it may see (an imported one; with {@link
 * dev.kiln.wasm.Features#wasm3()}, WebAssembly 3.0's rule, also a defined
 * one: for a global's initialiser those defined before it), and, when {@link
 * dev.kiln.wasm.Features#extendedConst()} is on, the extended-const proposal's {@code
 * i32/i64 add, sub, mul}. Anything else is "constant expression required"; a result other than exactly one
 * value of the expected type is "type mismatch".
 *
 * <p>{@code ref.func} here needs no declaration: these expressions are where functions get
 * declared (C.refs, spec 3.4.10).
 */
public final class ConstExprValidator {
  private ConstExprValidator() {}

  /**
   * Checks that {@code expr} is constant and produces one value of type {@code expected}.
   *
   * @throws InvalidException with the offset of the offending instruction
   * @throws MalformedException if the bytes do not decode or lack the final {@code end}
   */
  public static void validate(ConstExpr expr, ValueType expected, ValidationContext context) {
    validate(expr, expected, context,
        context.features().wasm3() ? context.globals().size() : context.importedGlobalCount());
  }

  /**
   * As {@link #validate(ConstExpr, ValueType, ValidationContext)} for the initialiser of defined
   * global {@code definedIndex} (0 for the first defined one), which may read only the globals
   * before it (spec 3.4.6).
   */
  public static void validateGlobalInit(ConstExpr expr, ValueType expected, ValidationContext context, int definedIndex) {
    validate(expr, expected, context, context.importedGlobalCount()
        + (context.features().wasm3() ? definedIndex : 0));
  }

  /**
   * As {@link #validate(ConstExpr, ValueType, ValidationContext)} for a table's initialiser, which
   * may read only imported globals: tables are defined before globals (spec 3.0 3.4.x, "modules").
   */
  public static void validateTableInit(ConstExpr expr, ValueType expected, ValidationContext context) {
    validate(expr, expected, context, context.importedGlobalCount());
  }

  /** @param visibleGlobals how many globals, from index 0, {@code global.get} may name */
  private static void validate(ConstExpr expr, ValueType wanted, ValidationContext context, int visibleGlobals) {
    ValueType expected = wanted instanceof ValType v ? ValueType.of(v) : wanted;
    InstructionReader r = new InstructionReader(expr.source(), expr.start(), expr.end(), context.features());
    ValueType[] stack = new ValueType[4];
    int size = 0;
    while (r.hasNext()) {
      Opcode op = r.next();
      int at = r.instructionStart();
      ValueType pushed;
      switch (op) {
        case END -> {
          if (size != 1 || !matches(stack[0], expected, context)) {
            throw new InvalidException("type mismatch", at);
          }
          if (r.hasNext()) {
            throw new MalformedException("section size mismatch", r.position());
          }
          return;
        }
        case I32_CONST -> pushed = ValType.I32;
        case I64_CONST -> pushed = ValType.I64;
        case F32_CONST -> pushed = ValType.F32;
        case F64_CONST -> pushed = ValType.F64;
        case V128_CONST -> pushed = ValType.V128;
        case REF_NULL -> {
          if (r.heapType() instanceof HeapType.Concrete(int index)
              && Integer.compareUnsigned(index, context.types().size()) >= 0) {
            throw new InvalidException("unknown type " + Integer.toUnsignedString(index), at);
          }
          pushed = new RefType(true, r.heapType());
        }
        case REF_FUNC -> {
          if (Integer.compareUnsigned(r.index(), context.functionCount()) >= 0) {
            throw new InvalidException("unknown function " + Integer.toUnsignedString(r.index()), at);
          }
          // spec 3.3.2.3 (3.0): ref.func x has the function's own type, non-null
          pushed = new RefType(false, new HeapType.Concrete(context.functionTypeIndices().get(r.index())));
        }
        case GLOBAL_GET -> {
          int g = r.index();
          if (Integer.compareUnsigned(g, visibleGlobals) >= 0) {
            throw new InvalidException("unknown global " + Integer.toUnsignedString(g), at);
          }
          GlobalType type = context.globals().get(g);
          if (type.mutable()) {
            throw new InvalidException("constant expression required", at);
          }
          pushed = type.type();
        }
        case I32_ADD, I32_SUB, I32_MUL, I64_ADD, I64_SUB, I64_MUL -> {
          if (!context.features().extendedConst()) {
            throw new InvalidException("constant expression required", at);
          }
          ValType t = op.signature().charAt(0) == 'i' ? ValType.I32 : ValType.I64;
          for (int k = 0; k < 2; k++) {
            if (size == 0 || stack[size - 1] != t) {
              throw new InvalidException("type mismatch", at);
            }
            size--;
          }
          pushed = t;
        }
        // GC (spec 3.0 3.3.10): ref.i31 and the conversions are constant
        case REF_I31 -> {
          pop(stack, size--, ValType.I32, context, at);
          pushed = new RefType(false, HeapType.Abstract.I31);
        }
        case ANY_CONVERT_EXTERN, EXTERN_CONVERT_ANY -> {
          boolean toAny = op == Opcode.ANY_CONVERT_EXTERN;
          ValueType operand = pop(stack, size--, new RefType(true, toAny ? HeapType.Abstract.EXTERN : HeapType.Abstract.ANY),
              context, at);
          pushed = new RefType(((RefType) operand).nullable(), toAny ? HeapType.Abstract.ANY : HeapType.Abstract.EXTERN);
        }
        // the allocating GC instructions are constant (spec 3.0 3.3.10) and typed as in code (3.3.2)
        case STRUCT_NEW, STRUCT_NEW_DEFAULT -> {
          List<FieldType> fields = composite(context, r.index(), StructType.class, at).fields();
          for (int i = fields.size() - 1; i >= 0; i--) {
            if (op == Opcode.STRUCT_NEW) {
              pop(stack, size--, fields.get(i).storage().unpacked(), context, at);
            } else if (!fields.get(i).defaultable()) {
              throw new InvalidException("type mismatch: field " + i + " has no default value", at);
            }
          }
          pushed = new RefType(false, new HeapType.Concrete(r.index()));
        }
        case ARRAY_NEW, ARRAY_NEW_DEFAULT, ARRAY_NEW_FIXED -> {
          FieldType element = composite(context, r.index(), ArrayType.class, at).element();
          if (op == Opcode.ARRAY_NEW_FIXED) {
            ImplementationLimitException.check("operands of array.new_fixed", Integer.toUnsignedLong(r.secondIndex()),
                ImplementationLimitException.MAX_ARRAY_NEW_FIXED_OPERANDS, at);
            for (int i = 0; i < r.secondIndex(); i++) {
              pop(stack, size--, element.storage().unpacked(), context, at);
            }
          } else {
            pop(stack, size--, ValType.I32, context, at);
            if (op == Opcode.ARRAY_NEW) {
              pop(stack, size--, element.storage().unpacked(), context, at);
            } else if (!element.defaultable()) {
              throw new InvalidException("type mismatch: the element type has no default value", at);
            }
          }
          pushed = new RefType(false, new HeapType.Concrete(r.index()));
        }
        default -> throw new InvalidException("constant expression required", at);
      }
      if (size == stack.length) {
        stack = Arrays.copyOf(stack, size * 2);
      }
      stack[size++] = pushed;
    }
    throw new MalformedException("unexpected end of section or function", r.position());
  }

  /** The composite type {@code index} names, which must be a {@code kind} (a struct or array type). */
  private static <T extends CompositeType> T composite(ValidationContext context, int index, Class<T> kind, int at) {
    if (Integer.compareUnsigned(index, context.typeSection().size()) >= 0) {
      throw new InvalidException("unknown type " + Integer.toUnsignedString(index), at);
    }
    CompositeType c = context.typeSection().subTypes().get(index).composite();
    if (!kind.isInstance(c)) {
      throw new InvalidException("type mismatch: type " + index + " is not " + kind.getSimpleName(), at);
    }
    return kind.cast(c);
  }

  /** Pops the top of {@code stack} (of {@code size} values), which must match {@code expected}. */
  private static ValueType pop(ValueType[] stack, int size, ValueType expected, ValidationContext context, int at) {
    if (size == 0 || !matches(stack[size - 1], expected, context)) {
      throw new InvalidException("type mismatch", at);
    }
    return stack[size - 1];
  }

  /** The result's type matches the expected one; subtyping is asked only when they differ. */
  private static boolean matches(ValueType actual, ValueType expected, ValidationContext context) {
    return actual.equals(expected)
        || (actual instanceof RefType && expected instanceof RefType && context.matcher().matches(actual, expected));
  }
}
