package dev.kiln.compiler.testsupport;

import dev.kiln.wat.Wat;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * A generated module written as text and read with Kiln's own text reader, whose size {@code n}
 * grows it linearly ({@link HandlerAndGcShapes}, {@link TableShapes}): work or time measured at
 * {@code n} and {@code 4n} shows whether the compiler is linear in the shape.
 */
public interface TextShape {
  /** The shape's name (an enum constant's). */
  String name();

  /** The module as text at size {@code n}, which {@link #text} has checked. */
  String textAt(int n);

  /** The module as text. */
  default String text(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("size must be at least 1, got " + n);
    }
    return textAt(n);
  }

  /** A shape of a test's own: {@code text} gives the module at a size. */
  static TextShape of(String name, IntFunction<String> text) {
    return new TextShape() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String textAt(int n) {
        return text.apply(n);
      }
    };
  }

  /** The module in the binary format. */
  default byte[] module(int n) {
    return Wat.toBinary(text(n), name().toLowerCase(Locale.ROOT) + ".wat");
  }
}
