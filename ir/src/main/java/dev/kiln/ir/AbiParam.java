package dev.kiln.ir;

import java.util.Objects;

/** One parameter or result of a {@link Signature}: its type and what it carries; ordered for {@link Signature#compareTo}. */
public record AbiParam(Type type, ParamPurpose purpose) implements Comparable<AbiParam> {
  public AbiParam {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(purpose, "purpose");
  }

  // equals and hashCode written out: the record's generated ones go through an invokedynamic
  // bootstrap (ObjectMethods) that C1, kiln compile's JIT under 24 MB, does not inline, and this record
  // keys hash maps per signature (inside Signature's). The hash is the generated one's formula (31 x h(previous) + h(next)
  // component), so maps iterate as before.
  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof AbiParam p && p.type == type && p.purpose == purpose;
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + purpose.hashCode();
  }

  @Override
  public int compareTo(AbiParam other) {
    int byType = type.compareTo(other.type);
    return byType != 0 ? byType : purpose.compareTo(other.purpose);
  }

  /** The plain parameter of each type, made once: signatures are built per call site and function. */
  private static final AbiParam[] NORMAL_BY_TYPE = new AbiParam[Type.values().length];

  static {
    for (Type t : Type.values()) {
      NORMAL_BY_TYPE[t.ordinal()] = new AbiParam(t, ParamPurpose.NORMAL);
    }
  }

  public static AbiParam of(Type type) {
    return NORMAL_BY_TYPE[type.ordinal()];
  }

  /** Text form: {@code i64 vmctx} or {@code i32}. */
  public String text() {
    return purpose == ParamPurpose.NORMAL ? type.text() : type.text() + " " + purpose.text();
  }
}
