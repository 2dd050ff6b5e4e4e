package dev.kiln.ir;

/**
 * Integer comparison condition codes of {@link Opcode#ICMP}; wasm's {@code i32.eq} ... {@code
 * i64.ge_u} (WebAssembly spec 4.3.2, "irelop") map one to one. Signedness lives in the condition,
 * never in the type.
 */
public enum IntCC {
  EQ("eq"),
  NE("ne"),
  SLT("slt"),
  SLE("sle"),
  SGT("sgt"),
  SGE("sge"),
  ULT("ult"),
  ULE("ule"),
  UGT("ugt"),
  UGE("uge");

  private static final IntCC[] VALUES = values();
  private final String text;

  IntCC(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  /** Evaluates the condition on two values of {@code type} (I32 compares the low 32 bits). */
  public boolean evaluate(Type type, long x, long y) {
    if (type == Type.I32) {
      x = (int) x;
      y = (int) y;
    }
    // Sign-extended I32 operands order the same way unsigned as their 32-bit patterns do.
    return switch (this) {
      case EQ -> x == y;
      case NE -> x != y;
      case SLT -> x < y;
      case SLE -> x <= y;
      case SGT -> x > y;
      case SGE -> x >= y;
      case ULT -> Long.compareUnsigned(x, y) < 0;
      case ULE -> Long.compareUnsigned(x, y) <= 0;
      case UGT -> Long.compareUnsigned(x, y) > 0;
      case UGE -> Long.compareUnsigned(x, y) >= 0;
    };
  }

  public static IntCC ofOrdinal(int ordinal) {
    return VALUES[ordinal];
  }

  public static IntCC byText(String text) {
    for (IntCC c : VALUES) {
      if (c.text.equals(text)) {
        return c;
      }
    }
    return null;
  }
}
