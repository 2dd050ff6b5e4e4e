package dev.kiln.ir;

import java.util.Objects;

/** One parameter or result of a {@link Signature}: its type and what it carries. */
public record AbiParam(Type type, ParamPurpose purpose) {
  public AbiParam {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(purpose, "purpose");
  }

  public static AbiParam of(Type type) {
    return new AbiParam(type, ParamPurpose.NORMAL);
  }

  /** Text form: {@code i64 vmctx} or {@code i32}. */
  public String text() {
    return purpose == ParamPurpose.NORMAL ? type.text() : type.text() + " " + purpose.text();
  }
}
