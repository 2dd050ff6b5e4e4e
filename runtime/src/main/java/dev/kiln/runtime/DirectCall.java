package dev.kiln.runtime;

import dev.kiln.loader.runtime.DirectEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A function whose parameters and results are all numbers (i32, i64, f32, f64), called with its
 * arguments' bits as {@code long}s: the typed-call primitive for code generators (the classes {@code
 * kiln-maven-plugin} generates) and for the typed handles of {@link Instance#func(String, Class)}.
 * The function's entry is resolved once, when this is made ({@link Func#direct()}); a call writes
 * the words to the entry's own value slots and runs the function's native entry, with no lookup, no
 * value object and no allocation. Calls from several threads are refused as {@link Func#call}'s are
 * (a store runs on one thread at a time); in a store {@linkplain Store.Builder#confined() confined}
 * to its thread, a call claims the store without a memory fence, the cheapest way in (within a
 * few percent of a bare FFM downcall of the entry, docs/PERFORMANCE.md, "Host calls and first calls").
 *
 * <p>The words: an i32 argument is the {@code int} widened in any way ({@code (long) x}); an f32
 * {@code Float.floatToRawIntBits(x)}; an f64 {@code Double.doubleToRawLongBits(x)}; an i64 itself.
 * A result is read back as {@code (int) r}, {@code Float.intBitsToFloat((int) r)}, {@code
 * Double.longBitsToDouble(r)} or {@code r}: only the low 32 bits of an i32 or f32 result count.
 *
 * <pre>{@code
 * DirectCall add = instance.func("add").direct();   // (i32 i32) -> (i32)
 * int sum = (int) add.call(2, 40);
 * }</pre>
 */
public final class DirectCall {
  private final Func func;
  /** Null for a host function an instance re-exports: it runs in Java, through {@link Func#call}. */
  private final DirectEntry entry;
  private final int params;
  private final int results;

  DirectCall(Func func, DirectEntry entry) {
    this.func = Objects.requireNonNull(func, "func");
    this.entry = entry;
    this.params = func.type().params().size();
    this.results = func.type().results().size();
  }

  /**
   * The function's type.
   *
   * @return the type
   */
  public FuncType type() {
    return func.type();
  }

  /**
   * Calls a function of no parameters.
   *
   * @return the first result's bits, 0 if it has none
   * @throws Trap if the code traps (or a host function it calls throws)
   * @throws WasiExit if a WASI guest called {@code proc_exit}
   * @throws IllegalArgumentException if the function has parameters
   * @throws IllegalStateException if the instance was closed, or another thread is using the store
   * @throws WrongThreadException if the store is {@linkplain Store.Builder#confined() confined} to
   *     another thread
   */
  public long call() {
    if (entry == null) {
      return viaFunc(new long[0]);
    }
    try {
      return entry.call();
    } catch (RuntimeException e) {
      throw Failures.translate(e);
    }
  }

  /**
   * Calls a function of one parameter, as {@link #call()}.
   *
   * @param a0 the argument's bits
   * @return the first result's bits, 0 if it has none
   */
  public long call(long a0) {
    if (entry == null) {
      return viaFunc(new long[] {a0});
    }
    try {
      return entry.call(a0);
    } catch (RuntimeException e) {
      throw Failures.translate(e);
    }
  }

  /**
   * Calls a function of two parameters, as {@link #call()}.
   *
   * @param a0 the first argument's bits
   * @param a1 the second argument's bits
   * @return the first result's bits, 0 if it has none
   */
  public long call(long a0, long a1) {
    if (entry == null) {
      return viaFunc(new long[] {a0, a1});
    }
    try {
      return entry.call(a0, a1);
    } catch (RuntimeException e) {
      throw Failures.translate(e);
    }
  }

  /**
   * Calls a function of three parameters, as {@link #call()}.
   *
   * @param a0 the first argument's bits
   * @param a1 the second argument's bits
   * @param a2 the third argument's bits
   * @return the first result's bits, 0 if it has none
   */
  public long call(long a0, long a1, long a2) {
    if (entry == null) {
      return viaFunc(new long[] {a0, a1, a2});
    }
    try {
      return entry.call(a0, a1, a2);
    } catch (RuntimeException e) {
      throw Failures.translate(e);
    }
  }

  /**
   * Calls a function of four parameters, as {@link #call()}.
   *
   * @param a0 the first argument's bits
   * @param a1 the second argument's bits
   * @param a2 the third argument's bits
   * @param a3 the fourth argument's bits
   * @return the first result's bits, 0 if it has none
   */
  public long call(long a0, long a1, long a2, long a3) {
    if (entry == null) {
      return viaFunc(new long[] {a0, a1, a2, a3});
    }
    try {
      return entry.call(a0, a1, a2, a3);
    } catch (RuntimeException e) {
      throw Failures.translate(e);
    }
  }

  /**
   * Calls the function with any number of arguments and gives every result, as {@link #call()}.
   *
   * @param args one word per parameter
   * @param out receives one word per result; at least as long as the function has results
   * @throws IllegalArgumentException if {@code args} does not match the parameters or {@code out}
   *     is too short
   */
  public void call(long[] args, long[] out) {
    if (entry != null) {
      try {
        entry.call(args, out);
      } catch (RuntimeException e) {
        throw Failures.translate(e);
      }
      return;
    }
    viaFunc(args, out);
  }

  /** {@link #call(long[], long[])} of a host function, through {@link Func#call}: it may link. */
  private void viaFunc(long[] args, long[] out) {
    Failures.requireRoomToCall();
    if (out.length < results) {
      throw new IllegalArgumentException("the function has " + results + " results, room for " + out.length);
    }
    List<Val> values = func.call(vals(args));
    for (int i = 0; i < values.size(); i++) {
      out[i] = bits(values.get(i));
    }
  }

  /** A host function's call, through {@link Func#call}: not the direct path, and it may link. */
  private long viaFunc(long[] args) {
    Failures.requireRoomToCall();
    List<Val> values = func.call(vals(args));
    return values.isEmpty() ? 0 : bits(values.getFirst());
  }

  private Val[] vals(long[] args) {
    if (args.length != params) {
      throw new IllegalArgumentException("the function takes " + params + " arguments, got " + args.length);
    }
    List<Val> out = new ArrayList<>(args.length);
    List<ValType> types = func.type().params();
    for (int i = 0; i < args.length; i++) {
      out.add(number(types.get(i), args[i]));
    }
    return out.toArray(Val[]::new);
  }

  /** The value of {@code type} whose bits are {@code bits}. */
  private static Val number(ValType type, long bits) {
    // An if-chain, not a switch: javac compiles a switch over another class's enum to a numbered
    // class of switch maps with an initialiser of its own (Engine.Statics.INITIALISED_AT_START)
    if (type == ValType.I32) {
      return Val.i32((int) bits);
    }
    if (type == ValType.I64) {
      return Val.i64(bits);
    }
    if (type == ValType.F32) {
      return Val.f32(Float.intBitsToFloat((int) bits));
    }
    if (type == ValType.F64) {
      return Val.f64(Double.longBitsToDouble(bits));
    }
    throw new IllegalStateException("not a number type: " + type);
  }

  private static long bits(Val v) {
    return switch (v) {
      case Val.I32(int x) -> Integer.toUnsignedLong(x);
      case Val.I64(long x) -> x;
      case Val.F32(float x) -> Integer.toUnsignedLong(Float.floatToRawIntBits(x));
      case Val.F64(double x) -> Double.doubleToRawLongBits(x);
      default -> throw new IllegalStateException("not a number: " + v);
    };
  }
}
