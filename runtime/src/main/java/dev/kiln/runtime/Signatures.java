package dev.kiln.runtime;

import static dev.kiln.runtime.ValType.F64;
import static dev.kiln.runtime.ValType.I32;
import static dev.kiln.runtime.ValType.I64;

import dev.kiln.loader.host.HostFunction.WordCallback;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleConsumer;
import java.util.function.DoubleSupplier;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.IntBinaryOperator;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import java.util.function.IntToLongFunction;
import java.util.function.IntUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.LongToIntFunction;
import java.util.function.LongUnaryOperator;

/**
 * The Java functional interfaces that stand for wasm function types, both ways: a wasm export seen
 * as one ({@link Instance#func(String, Class)}) and a lambda of one made a host function ({@link
 * Linker#func(String, String, Class, Object)}). i32 is {@code int}, i64 {@code long}, f64 {@code
 * double}: the primitive specialisations of {@code java.util.function}, so the embedder's code sees
 * plain primitives and the compiler checks its lambdas. A typed export call is a {@link DirectCall}
 * (its arguments' bits straight into the function's entry, no {@link Val}s); a typed host function is a
 * {@link WordCallback}: wasm's call reaches the lambda with its arguments' bits and no value objects
 * (docs/history/performance-journal.md, "Host calls before the JIT"). The shapes are the ones those
 * interfaces have (up to two parameters, at most one result); other types use {@link Func#call} and
 * {@link HostFunc}.
 * Wasmtime-java's {@code WasmFunctions} takes the same approach with its own interfaces; Chicory
 * passes {@code long[]} for every signature.
 */
final class Signatures {
  private Signatures() {}

  /**
   * One functional interface: its wasm type, a wasm function made an instance of it, and an
   * instance of it made a host function body.
   */
  private record Shape(FuncType type, Function<DirectCall, Object> export, Function<Object, WordCallback> host) {}

  private static final Map<Class<?>, Shape> SHAPES = new LinkedHashMap<>();

  private static <T> void shape(Class<T> type, List<ValType> params, List<ValType> results,
      Function<DirectCall, T> export, Function<T, WordCallback> host) {
    SHAPES.put(type, new Shape(new FuncType(params, results), export::apply, o -> host.apply(type.cast(o))));
  }

  static {
    shape(Runnable.class, List.of(), List.of(),
        f -> () -> f.call(),
        r -> (c, a) -> {
          r.run();
          return 0;
        });
    shape(IntSupplier.class, List.of(), List.of(I32),
        f -> () -> (int) f.call(),
        s -> (c, a) -> s.getAsInt());
    shape(LongSupplier.class, List.of(), List.of(I64),
        f -> () -> f.call(),
        s -> (c, a) -> s.getAsLong());
    shape(DoubleSupplier.class, List.of(), List.of(F64),
        f -> () -> f64(f.call()),
        s -> (c, a) -> bits(s.getAsDouble()));
    shape(IntConsumer.class, List.of(I32), List.of(),
        f -> x -> f.call(x),
        s -> (c, a) -> {
          s.accept((int) a[0]);
          return 0;
        });
    shape(LongConsumer.class, List.of(I64), List.of(),
        f -> x -> f.call(x),
        s -> (c, a) -> {
          s.accept(a[0]);
          return 0;
        });
    shape(DoubleConsumer.class, List.of(F64), List.of(),
        f -> x -> f.call(bits(x)),
        s -> (c, a) -> {
          s.accept(f64(a[0]));
          return 0;
        });
    shape(IntUnaryOperator.class, List.of(I32), List.of(I32),
        f -> x -> (int) f.call(x),
        s -> (c, a) -> s.applyAsInt((int) a[0]));
    shape(IntBinaryOperator.class, List.of(I32, I32), List.of(I32),
        f -> (x, y) -> (int) f.call(x, y),
        s -> (c, a) -> s.applyAsInt((int) a[0], (int) a[1]));
    shape(LongUnaryOperator.class, List.of(I64), List.of(I64),
        f -> x -> f.call(x),
        s -> (c, a) -> s.applyAsLong(a[0]));
    shape(LongBinaryOperator.class, List.of(I64, I64), List.of(I64),
        f -> (x, y) -> f.call(x, y),
        s -> (c, a) -> s.applyAsLong(a[0], a[1]));
    shape(DoubleUnaryOperator.class, List.of(F64), List.of(F64),
        f -> x -> f64(f.call(bits(x))),
        s -> (c, a) -> bits(s.applyAsDouble(f64(a[0]))));
    shape(DoubleBinaryOperator.class, List.of(F64, F64), List.of(F64),
        f -> (x, y) -> f64(f.call(bits(x), bits(y))),
        s -> (c, a) -> bits(s.applyAsDouble(f64(a[0]), f64(a[1]))));
    shape(IntToLongFunction.class, List.of(I32), List.of(I64),
        f -> x -> f.call(x),
        s -> (c, a) -> s.applyAsLong((int) a[0]));
    shape(LongToIntFunction.class, List.of(I64), List.of(I32),
        f -> x -> (int) f.call(x),
        s -> (c, a) -> s.applyAsInt(a[0]));
  }

  /**
   * The wasm function {@code func} as an instance of {@code signature}.
   *
   * @throws IllegalArgumentException if {@code signature} is not a supported interface or its type
   *     is not {@code func}'s
   */
  static <T> T export(String name, Func func, Class<T> signature) {
    Shape shape = shape(signature);
    if (!shape.type().equals(func.type())) {
      throw new IllegalArgumentException("\"" + name + "\" is " + func.type() + ", " + signature.getSimpleName()
          + " is " + shape.type());
    }
    return signature.cast(shape.export().apply(func.direct()));
  }

  /** The wasm type of {@code signature}. */
  static FuncType type(Class<?> signature) {
    return shape(signature).type();
  }

  /** {@code body}, an instance of {@code signature}, as a host function body. */
  static WordCallback host(Class<?> signature, Object body) {
    return shape(signature).host().apply(body);
  }

  private static long bits(double d) {
    return Double.doubleToRawLongBits(d);
  }

  private static double f64(long bits) {
    return Double.longBitsToDouble(bits);
  }

  private static Shape shape(Class<?> signature) {
    Shape shape = SHAPES.get(signature);
    if (shape == null) {
      throw new IllegalArgumentException(signature.getName() + " is no typed function signature; use one of "
          + SHAPES.keySet().stream().map(Class::getSimpleName).toList() + ", or FuncType with Val values");
    }
    return shape;
  }
}
