package dev.kiln.compiler.translate;

import dev.kiln.artifact.gc.ReferenceWord;
import dev.kiln.ir.InstBuilder;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.Type;
import dev.kiln.ir.builder.FunctionBuilder;
import dev.kiln.wasm.types.CompositeType;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.TypeSection;

/**
 * The GC instructions that need no heap (WebAssembly 3.0 spec 4.4.x): {@code ref.i31}, {@code
 * i31.get_s/_u}, {@code ref.eq}, and the run-time type test behind {@code ref.test}, {@code
 * ref.cast}, {@code br_on_cast} and {@code br_on_cast_fail}. Every reference is one i64 word
 * encoded as {@link ReferenceWord} says, so each is a few integer instructions that both backends
 * already lower; {@code any.convert_extern} and {@code extern.convert_any} keep the word and emit
 * nothing.
 *
 * <p>Kiln has no GC heap yet: validation refuses every module with a struct or array instruction
 * ({@code dev.kiln.wasm.validate.Validator}), so no word is a heap object. A test against
 * {@code struct}, {@code array} or a concrete struct or array type therefore fails for every
 * non-null word, and {@code eq} holds exactly for i31s; the heap's object test goes here when it
 * lands. Casts to concrete function types are refused by validation too (they need the canonical
 * type ids the artifact does not carry yet), so none reaches here.
 */
final class ReferenceOperators {
  private final FunctionBuilder b;
  private final TypeSection types;

  ReferenceOperators(FunctionBuilder b, TypeSection types) {
    this.b = b;
    this.types = types;
  }

  /** {@code ref.i31}: the value's low 31 bits, shifted up and tagged (the 32-bit shift drops bit 31). */
  int refI31(int value) {
    InstBuilder ins = b.ins();
    int shifted = ins.binary(Opcode.ISHL, Type.I32, value, ins.iconst(Type.I32, ReferenceWord.I31_SHIFT));
    int tagged = ins.binary(Opcode.BOR, Type.I32, shifted, ins.iconst(Type.I32, ReferenceWord.I31_TAG));
    return ins.unary(Opcode.UEXTEND, Type.I64, tagged);
  }

  /** {@code i31.get_s} or {@code i31.get_u}: traps on null, else shifts the tag out of the low 32 bits. */
  int i31Get(int ref, boolean signed) {
    InstBuilder ins = b.ins();
    ins.trapz(ref, TrapCode.NULL_I31_REFERENCE);
    int low = ins.unary(Opcode.IREDUCE, Type.I32, ref);
    return ins.binary(signed ? Opcode.SSHR : Opcode.USHR, Type.I32, low, ins.iconst(Type.I32, ReferenceWord.I31_SHIFT));
  }

  /** {@code ref.eq}: the same word (an i31 is its value, a heap object its address, null 0). */
  int refEq(int x, int y) {
    return b.ins().icmp(IntCC.EQ, x, y);
  }

  /** {@code ref.test rt}: 1 when {@code ref} is a value of {@code target}, else 0 (an i32). */
  int test(int ref, RefType target) {
    InstBuilder ins = b.ins();
    int zero = ins.iconst(Type.I64, ReferenceWord.NULL);
    return switch (nonNullTest(target.heap())) {
      case ALWAYS -> target.nullable() ? ins.iconst(Type.I32, 1) : ins.icmp(IntCC.NE, ref, zero);
      case NEVER -> target.nullable() ? ins.icmp(IntCC.EQ, ref, zero) : ins.iconst(Type.I32, 0);
      case I31 -> {
        int tag = ins.unary(Opcode.IREDUCE, Type.I32,
            ins.band(ref, ins.iconst(Type.I64, ReferenceWord.I31_TAG)));
        yield target.nullable() ? ins.binary(Opcode.BOR, Type.I32, tag, ins.icmp(IntCC.EQ, ref, zero)) : tag;
      }
    };
  }

  /** {@code ref.cast rt}: traps with "cast failure" unless {@link #test} holds; the word is unchanged. */
  void cast(int ref, RefType target) {
    b.ins().trapz(test(ref, target), TrapCode.CAST_FAILURE);
  }

  /** What a non-null word must be to be in a heap type. */
  private enum NonNullTest {
    /** Every non-null word of the operand's hierarchy is in it (a top type). */
    ALWAYS,
    /** No non-null word is (a bottom type; or a heap object type while there is no heap). */
    NEVER,
    /** Exactly the i31 words are. */
    I31
  }

  private NonNullTest nonNullTest(HeapType heap) {
    HeapType.Abstract kind = heap instanceof HeapType.Concrete(int index)
        ? composite(index).abstractSuper() : (HeapType.Abstract) heap;
    return switch (kind) {
      // validation already proved the operand is in the target's hierarchy, whose top this is
      case ANY, EXTERN, FUNC -> NonNullTest.ALWAYS;
      case EQ, I31 -> NonNullTest.I31;
      case STRUCT, ARRAY, NONE, NOEXTERN, NOFUNC, EXN, NOEXN, BOT -> NonNullTest.NEVER;
    };
  }

  private CompositeType composite(int typeIndex) {
    CompositeType c = types.subTypes().get(typeIndex).composite();
    if (c.abstractSuper() == HeapType.Abstract.FUNC) {
      throw new IllegalStateException("a cast to function type " + typeIndex + ", which validation refuses");
    }
    return c;
  }
}
