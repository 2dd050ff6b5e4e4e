package dev.kiln.codegen.lower;

import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;

/**
 * An ISA's instructions for the IR's loads and stores, one per access: which access each opcode
 * means (its width, its extension, the register it fills) is decided here once, and an ISA names
 * only its instruction for each.
 *
 * <p>Two facts both ISAs share let one full-width instruction serve a narrower opcode: a load into a
 * 32-bit general register clears the register's upper half (Intel SDM Vol. 1 section 3.4.1.1; Arm
 * ARM C1.2.5, the W registers), so {@code uload32} into an i64 is the i32 load; and a scalar load
 * into a vector register clears its other lanes (SDM Vol. 2B "MOVSS", "MOVSD"; Arm ARM C7.2.176
 * "LDR (immediate, SIMD&amp;FP)"), so {@code uload32}/{@code uload64} into a v128 ({@code
 * v128.load32_zero}, {@code v128.load64_zero}) are the f32 and f64 loads. Likewise {@code istore32}
 * is the i32 store. The 8- and 16-bit zero-extending loads fill the whole register for the same
 * reason, so they have one instruction whatever the result's width.
 *
 * @param loads the full-width load of each type ({@code load})
 * @param stores the full-width store of each type ({@code store})
 * @param uload8 the zero-extending byte load
 * @param uload16 the zero-extending 16-bit load
 * @param sload8 the sign-extending byte load into 32 bits
 * @param sload8To64 the sign-extending byte load into 64 bits
 * @param sload16 the sign-extending 16-bit load into 32 bits
 * @param sload16To64 the sign-extending 16-bit load into 64 bits
 * @param sload32To64 the sign-extending 32-bit load into 64 bits
 * @param store8 the byte store of an integer's low 8 bits
 * @param store16 the 16-bit store of an integer's low 16 bits
 * @param <F> the ISA's instruction form
 */
public record MemoryForms<F>(ByType<F> loads, ByType<F> stores, F uload8, F uload16, F sload8,
    F sload8To64, F sload16, F sload16To64, F sload32To64, F store8, F store16) {

  /**
   * One instruction per IR type.
   *
   * @param <F> the ISA's instruction form
   */
  public record ByType<F>(F i32, F i64, F f32, F f64, F v128) {
    /** The instruction for type {@code t}. */
    public F of(Type t) {
      return switch (t) {
        case I32 -> i32;
        case I64 -> i64;
        case F32 -> f32;
        case F64 -> f64;
        case V128 -> v128;
      };
    }
  }

  /** The instruction of load {@code op} whose result has type {@code t}. */
  public F load(Opcode op, Type t) {
    boolean wide = t == Type.I64;
    return switch (op) {
      case LOAD -> loads.of(t);
      case ULOAD8 -> uload8;
      case SLOAD8 -> wide ? sload8To64 : sload8;
      case ULOAD16 -> uload16;
      case SLOAD16 -> wide ? sload16To64 : sload16;
      case ULOAD32 -> loads.of(t == Type.V128 ? Type.F32 : Type.I32);
      case ULOAD64 -> loads.of(Type.F64);
      case SLOAD32 -> sload32To64;
      default -> throw new IllegalArgumentException("not a load: " + op);
    };
  }

  /** The instruction of store {@code op} of a value of type {@code t}. */
  public F store(Opcode op, Type t) {
    return switch (op) {
      case STORE -> stores.of(t);
      case ISTORE8 -> store8;
      case ISTORE16 -> store16;
      case ISTORE32 -> stores.of(Type.I32);
      default -> throw new IllegalArgumentException("not a store: " + op);
    };
  }
}
