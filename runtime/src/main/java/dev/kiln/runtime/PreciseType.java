package dev.kiln.runtime;

/**
 * A value's type as the module declares it (WebAssembly 3.0 spec 2.3.4): a number or vector type is
 * its {@link ValType}, a reference type its {@link RefType} (nullability and heap type), never a
 * reference {@link ValType}, which only names a reference's representation in Java.
 */
public sealed interface PreciseType permits ValType, RefType {
  /**
   * How a value of this type travels in {@link Val}: the type itself for a number or vector, the
   * hierarchy's reference type for a reference.
   *
   * @return the representation
   */
  ValType kind();

  /**
   * The precise type a WebAssembly 2.0 representation stands for: a number or vector type itself, a
   * reference type the nullable top of its hierarchy ({@code funcref}, {@code externref}, {@code
   * anyref}, {@code exnref}).
   *
   * @param type the representation
   * @return the type
   */
  static PreciseType of(ValType type) {
    // An if-chain, not a switch: javac compiles a switch over another class's enum to a numbered
    // class of switch maps with an initialiser of its own (Engine.Statics.INITIALISED_AT_START)
    if (type == ValType.FUNCREF) {
      return RefType.FUNCREF;
    }
    if (type == ValType.EXTERNREF) {
      return RefType.EXTERNREF;
    }
    if (type == ValType.ANYREF) {
      return RefType.ANYREF;
    }
    if (type == ValType.EXNREF) {
      return new RefType(true, HeapType.Abstract.EXN);
    }
    return type;
  }
}
