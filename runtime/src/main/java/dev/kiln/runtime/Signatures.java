package dev.kiln.runtime;

import static dev.kiln.runtime.ValType.F64;
import static dev.kiln.runtime.ValType.I32;
import static dev.kiln.runtime.ValType.I64;

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
 * plain primitives and the compiler checks its lambdas (inside, the values still travel as {@link
 * Val}s to the loader's entry, so a typed call costs what {@link Func#call} does). The shapes are
 * the ones those interfaces have (up to two parameters, at most one result); other types use
 * {@link Func#call} and {@link HostFunc}.
 * Wasmtime-java's {@code WasmFunctions} takes the same approach with its own interfaces; Chicory
 * passes {@code long[]} for every signature.
 */
final class Signatures {
  private Signatures() {}

  /**
   * One functional interface: its wasm type, a wasm function made an instance of it, and an
   * instance of it made a host function body.
   */
  private record Shape(FuncType type, Function<Func, Object> export, Function<Object, HostFunc> host) {}

  private static final Map<Class<?>, Shape> SHAPES = new LinkedHashMap<>();

  private static <T> void shape(Class<T> type, List<ValType> params, List<ValType> results,
      Function<Func, T> export, Function<T, HostFunc> host) {
    SHAPES.put(type, new Shape(new FuncType(params, results), export::apply, o -> host.apply(type.cast(o))));
  }

  private static List<Val> none() {
    return List.of();
  }

  static {
    shape(Runnable.class, List.of(), List.of(),
        f -> () -> f.call(),
        r -> (c, a) -> {
          r.run();
          return none();
        });
    shape(IntSupplier.class, List.of(), List.of(I32),
        f -> () -> f.call().getFirst().asInt(),
        s -> (c, a) -> List.of(Val.i32(s.getAsInt())));
    shape(LongSupplier.class, List.of(), List.of(I64),
        f -> () -> f.call().getFirst().asLong(),
        s -> (c, a) -> List.of(Val.i64(s.getAsLong())));
    shape(DoubleSupplier.class, List.of(), List.of(F64),
        f -> () -> f.call().getFirst().asDouble(),
        s -> (c, a) -> List.of(Val.f64(s.getAsDouble())));
    shape(IntConsumer.class, List.of(I32), List.of(),
        f -> x -> f.call(Val.i32(x)),
        s -> (c, a) -> {
          s.accept(a.get(0).asInt());
          return none();
        });
    shape(LongConsumer.class, List.of(I64), List.of(),
        f -> x -> f.call(Val.i64(x)),
        s -> (c, a) -> {
          s.accept(a.get(0).asLong());
          return none();
        });
    shape(DoubleConsumer.class, List.of(F64), List.of(),
        f -> x -> f.call(Val.f64(x)),
        s -> (c, a) -> {
          s.accept(a.get(0).asDouble());
          return none();
        });
    shape(IntUnaryOperator.class, List.of(I32), List.of(I32),
        f -> x -> f.call(Val.i32(x)).getFirst().asInt(),
        s -> (c, a) -> List.of(Val.i32(s.applyAsInt(a.get(0).asInt()))));
    shape(IntBinaryOperator.class, List.of(I32, I32), List.of(I32),
        f -> (x, y) -> f.call(Val.i32(x), Val.i32(y)).getFirst().asInt(),
        s -> (c, a) -> List.of(Val.i32(s.applyAsInt(a.get(0).asInt(), a.get(1).asInt()))));
    shape(LongUnaryOperator.class, List.of(I64), List.of(I64),
        f -> x -> f.call(Val.i64(x)).getFirst().asLong(),
        s -> (c, a) -> List.of(Val.i64(s.applyAsLong(a.get(0).asLong()))));
    shape(LongBinaryOperator.class, List.of(I64, I64), List.of(I64),
        f -> (x, y) -> f.call(Val.i64(x), Val.i64(y)).getFirst().asLong(),
        s -> (c, a) -> List.of(Val.i64(s.applyAsLong(a.get(0).asLong(), a.get(1).asLong()))));
    shape(DoubleUnaryOperator.class, List.of(F64), List.of(F64),
        f -> x -> f.call(Val.f64(x)).getFirst().asDouble(),
        s -> (c, a) -> List.of(Val.f64(s.applyAsDouble(a.get(0).asDouble()))));
    shape(DoubleBinaryOperator.class, List.of(F64, F64), List.of(F64),
        f -> (x, y) -> f.call(Val.f64(x), Val.f64(y)).getFirst().asDouble(),
        s -> (c, a) -> List.of(Val.f64(s.applyAsDouble(a.get(0).asDouble(), a.get(1).asDouble()))));
    shape(IntToLongFunction.class, List.of(I32), List.of(I64),
        f -> x -> f.call(Val.i32(x)).getFirst().asLong(),
        s -> (c, a) -> List.of(Val.i64(s.applyAsLong(a.get(0).asInt()))));
    shape(LongToIntFunction.class, List.of(I64), List.of(I32),
        f -> x -> f.call(Val.i64(x)).getFirst().asInt(),
        s -> (c, a) -> List.of(Val.i32(s.applyAsInt(a.get(0).asLong()))));
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
    return signature.cast(shape.export().apply(func));
  }

  /** The wasm type of {@code signature}. */
  static FuncType type(Class<?> signature) {
    return shape(signature).type();
  }

  /** {@code body}, an instance of {@code signature}, as a host function body. */
  static HostFunc host(Class<?> signature, Object body) {
    return shape(signature).host().apply(body);
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
