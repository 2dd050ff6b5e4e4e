package dev.kiln.artifact.info;

import dev.kiln.wasm.types.ArrayType;
import dev.kiln.wasm.types.CompositeType;
import dev.kiln.wasm.types.FieldType;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.StructType;
import dev.kiln.wasm.types.SubType;
import dev.kiln.wasm.types.TypeMatcher;
import dev.kiln.wasm.types.TypeSection;
import dev.kiln.wasm.types.ValueType;
import java.util.BitSet;
import java.util.List;

/**
 * Type-checks one constant expression of the module as the wasm validator does (WebAssembly 3.0
 * spec 3.3.10, each instruction typed by its rule in 3.3): every operand of the type its instruction
 * takes, {@code global.get} only of an immutable global the expression may see and typed as
 * declared, {@code ref.func} typed {@code (ref $t)} by the function's type, and the one value left a
 * subtype of what the expression initialises. The loader evaluates these expressions into slots
 * that compiled code reads without checks, so a faulty writer's expression of another type would be
 * a forged word there (red team 34 F1: {@code global.get} of an i64 global as a funcref global's
 * initialiser, called through by {@code call_indirect}). Subtyping is the wasm module's {@link
 * TypeMatcher}, the one validation and import matching use.
 *
 * <p>The artifact keeps two things less precisely than the wasm module, and the rules follow what it
 * keeps:
 *
 * <ul>
 *   <li>{@code ref.null} stores only its representation, and a null is the word 0 in every one
 *       (the loader's {@code ConstExprEvaluator}), so a null is typed {@code (ref null bot)}: it
 *       fits any nullable reference type and no other.
 *   <li>{@code any.convert_extern} and {@code extern.convert_any} are not stored (the compiler drops
 *       them: the any and extern hierarchies share one word, {@code dev.kiln.artifact.gc}), so a
 *       reference of either hierarchy also fits where the conversion's result would (spec 3.0
 *       3.3.2.x: {@code [(ref null? extern)] -> [(ref null? any)]} and back).
 * </ul>
 *
 * Indices are checked here too, before anything is looked up by them.
 */
final class ConstExprChecker {
  /** A null's type: bot is below every heap type (TypeMatcher.closedHeapMatches). */
  private static final RefType NULL = new RefType(true, HeapType.Abstract.BOT);
  private static final RefType ANYREF = new RefType(true, HeapType.Abstract.ANY);

  private final int[] functionTypes;
  private final BitSet escapes;
  private final List<ValueType> globalTypes;
  private final List<GlobalType> globalRepresentations;
  private final TypeSection section;
  private final List<SubType> objectTypes;

  /**
   * @param functionTypes the type index of every function, imports first (each checked to name a
   *     function type)
   * @param escapes the functions with a VMFuncRef, which {@code ref.func} may name
   * @param globalTypes the precise type of every global, imports first
   * @param globalRepresentations the same globals' types as compiled, whose mutability counts
   * @param section the module's types, checked (PreciseTypes.check) so that its matcher canonicalises
   */
  ConstExprChecker(int[] functionTypes, BitSet escapes, List<ValueType> globalTypes,
      List<GlobalType> globalRepresentations, TypeSection section) {
    this.functionTypes = functionTypes;
    this.escapes = escapes;
    this.globalTypes = globalTypes;
    this.globalRepresentations = globalRepresentations;
    this.section = section;
    this.objectTypes = section.subTypes();
  }

  /**
   * Checks that {@code expr} leaves exactly one value, of a subtype of {@code expected}.
   *
   * @param visibleGlobals how many globals, from index 0, {@code global.get} may name: a global's
   *     initialiser sees the imported ones and the defined ones before it, a table's initialiser
   *     only the imported ones (tables come before globals), a segment every global (spec 3.0
   *     3.4.x, "modules")
   * @throws IllegalArgumentException naming {@code what} and the first disagreement
   */
  void check(ConstExpr expr, ValueType expected, int visibleGlobals, String what) {
    ValueType[] stack = new ValueType[expr.instructions().size()];
    int depth = 0;
    for (ConstInstr instr : expr.instructions()) {
      // instanceof rather than a pattern switch with a default: a switch spins a class at its first
      // run, on every run's load (loader.module.TableInitPlan.constant says why that counts).
      ValueType pushed;
      if (instr instanceof ConstInstr.I32Const) {
        pushed = dev.kiln.wasm.types.ValType.I32;
      } else if (instr instanceof ConstInstr.I64Const) {
        pushed = dev.kiln.wasm.types.ValType.I64;
      } else if (instr instanceof ConstInstr.F32Const) {
        pushed = dev.kiln.wasm.types.ValType.F32;
      } else if (instr instanceof ConstInstr.F64Const) {
        pushed = dev.kiln.wasm.types.ValType.F64;
      } else if (instr instanceof ConstInstr.V128Const) {
        pushed = dev.kiln.wasm.types.ValType.V128;
      } else if (instr instanceof ConstInstr.RefNull) {
        pushed = NULL;
      } else if (instr instanceof ConstInstr.GlobalGet g) {
        int global = ModuleInfo.index(g.globalIndex(), visibleGlobals, what + " global.get");
        if (globalRepresentations.get(global).mutable()) {
          throw new IllegalArgumentException(what + ": global.get " + global + " reads a mutable global");
        }
        pushed = globalTypes.get(global);
      } else if (instr instanceof ConstInstr.RefFunc r) {
        int function = ModuleInfo.index(r.functionIndex(), functionTypes.length, what + " ref.func");
        ModuleInfo.requireEscapes(escapes, function, "named by ref.func in " + what);
        pushed = new RefType(false, new HeapType.Concrete(functionTypes[function]));
      } else if (instr instanceof ConstInstr.RefI31) {
        pop(stack, depth--, dev.kiln.wasm.types.ValType.I32, instr, what);
        pushed = new RefType(false, HeapType.Abstract.I31);
      } else if (instr instanceof ConstInstr.Binary b) {
        ValueType operand = PreciseTypes.precise(b.op().type());
        pop(stack, depth--, operand, instr, what);
        pop(stack, depth--, operand, instr, what);
        pushed = operand;
      } else {
        ConstInstr.GcNew allocation = (ConstInstr.GcNew) instr;
        depth = popObjectOperands(allocation, stack, depth, what);
        pushed = new RefType(false, new HeapType.Concrete(allocation.typeIndex()));
      }
      stack[depth++] = pushed;
    }
    if (depth != 1) {
      throw new IllegalArgumentException(what + " leaves " + depth + " values, expected 1");
    }
    if (!fits(stack[0], expected)) {
      throw new IllegalArgumentException(what + " is of type " + stack[0] + ", not of " + expected);
    }
  }

  /**
   * Whether a value of type {@code actual} may stand where {@code expected} is: subtyping, or a
   * reference of the any or extern hierarchy converted to the other's top (the class comment says
   * why).
   */
  boolean fits(ValueType actual, ValueType expected) {
    if (actual.equals(expected)) {
      return true;
    }
    if (!(actual instanceof RefType a) || !(expected instanceof RefType)) {
      return false;
    }
    TypeMatcher matcher = section.matcher();
    if (matcher.matches(a, expected)) {
      return true;
    }
    if (matcher.matches(a, RefType.EXTERNREF)) {
      return matcher.matches(new RefType(a.nullable(), HeapType.Abstract.ANY), expected);
    }
    return matcher.matches(a, ANYREF) && matcher.matches(new RefType(a.nullable(), HeapType.Abstract.EXTERN), expected);
  }

  /**
   * Pops the operands of an allocating GC instruction (spec 3.0 3.3.2.x, struct.new and array.new
   * and their forms): one per field for struct.new, the element and an i32 length for array.new, the
   * length for array.new_default, {@code operands} elements for array.new_fixed; a packed field or
   * element takes an i32. The default forms need defaultable fields. Returns the depth left.
   */
  private int popObjectOperands(ConstInstr.GcNew g, ValueType[] stack, int depth, String what) {
    ModuleInfo.index(g.typeIndex(), objectTypes.size(), what + " type of " + g);
    CompositeType type = objectTypes.get(g.typeIndex()).composite();
    if (type instanceof StructType s && g.struct()) {
      List<FieldType> fields = s.fields();
      requireOperands(g, g.subOpcode() == ConstInstr.GcNew.STRUCT_NEW ? fields.size() : 0, what);
      for (int i = fields.size() - 1; i >= 0; i--) {
        if (g.subOpcode() == ConstInstr.GcNew.STRUCT_NEW) {
          pop(stack, depth--, fields.get(i).storage().unpacked(), g, what);
        } else {
          requireDefault(fields.get(i), g, what);
        }
      }
      return depth;
    }
    if (!(type instanceof ArrayType a) || g.struct()) {
      throw new IllegalArgumentException(what + ": " + g + " does not fit type " + type);
    }
    ValueType element = a.element().storage().unpacked();
    if (g.subOpcode() == ConstInstr.GcNew.ARRAY_NEW_FIXED) {
      if (g.operands() < 0) {
        throw new IllegalArgumentException(what + ": " + g + " pops " + Integer.toUnsignedString(g.operands())
            + " operands");
      }
      for (int i = 0; i < g.operands(); i++) {
        pop(stack, depth--, element, g, what);
      }
      return depth;
    }
    requireOperands(g, g.subOpcode() == ConstInstr.GcNew.ARRAY_NEW ? 2 : 1, what);
    pop(stack, depth--, dev.kiln.wasm.types.ValType.I32, g, what);
    if (g.subOpcode() == ConstInstr.GcNew.ARRAY_NEW) {
      pop(stack, depth--, element, g, what);
    } else {
      requireDefault(a.element(), g, what);
    }
    return depth;
  }

  private static void requireOperands(ConstInstr.GcNew g, int expected, String what) {
    if (g.operands() != expected) {
      throw new IllegalArgumentException(what + ": " + g + " must pop " + expected + " operands");
    }
  }

  private static void requireDefault(FieldType field, ConstInstr.GcNew g, String what) {
    if (!field.defaultable()) {
      throw new IllegalArgumentException(what + ": " + g + " needs a default value of " + field.storage());
    }
  }

  /** Checks the top of {@code stack} (of {@code depth} values), which {@code instr} pops as {@code expected}. */
  private void pop(ValueType[] stack, int depth, ValueType expected, ConstInstr instr, String what) {
    if (depth == 0) {
      throw new IllegalArgumentException(what + ": " + instr + " needs an operand of type " + expected);
    }
    if (!fits(stack[depth - 1], expected)) {
      throw new IllegalArgumentException(what + ": " + instr + " takes " + expected + ", given "
          + stack[depth - 1]);
    }
  }
}
