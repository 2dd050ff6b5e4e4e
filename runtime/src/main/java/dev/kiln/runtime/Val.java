package dev.kiln.runtime;

/**
 * A WebAssembly value (WebAssembly 2.0 section 4.2.1), for calls whose signature is not one of the
 * typed shapes {@link Instance#func(String, Class)} covers: one record per value type.
 *
 * <pre>{@code
 * List<Val> results = instance.func("divmod").call(Val.i32(17), Val.i32(5));
 * int quotient = results.get(0).asInt();
 * }</pre>
 */
public sealed interface Val {
  /**
   * The value's type.
   *
   * @return the type
   */
  ValType type();

  /**
   * An i32.
   *
   * @param value the value
   * @return the i32
   */
  static Val i32(int value) {
    return new I32(value);
  }

  /**
   * An i64.
   *
   * @param value the value
   * @return the i64
   */
  static Val i64(long value) {
    return new I64(value);
  }

  /**
   * An f32.
   *
   * @param value the value
   * @return the f32
   */
  static Val f32(float value) {
    return new F32(value);
  }

  /**
   * An f64.
   *
   * @param value the value
   * @return the f64
   */
  static Val f64(double value) {
    return new F64(value);
  }

  /**
   * A v128 from its two little-endian halves (byte 0 is the low byte of {@code low}).
   *
   * @param low bytes 0-7
   * @param high bytes 8-15
   * @return the v128
   */
  static Val v128(long low, long high) {
    return new V128(low, high);
  }

  /**
   * A v128 from its 16 bytes in memory order (as {@code v128.store} writes them).
   *
   * @param bytes exactly 16 bytes
   * @return the v128
   * @throws IllegalArgumentException if there are not 16 bytes
   */
  static Val v128(byte[] bytes) {
    if (bytes.length != 16) {
      throw new IllegalArgumentException("a v128 is 16 bytes, not " + bytes.length);
    }
    java.nio.ByteBuffer le = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    return new V128(le.getLong(0), le.getLong(8));
  }

  /**
   * The null reference of a reference type ({@code ref.null func}, {@code ref.null extern}, {@code
   * ref.null any} or {@code ref.null exn}).
   *
   * @param type {@link ValType#FUNCREF}, {@link ValType#EXTERNREF}, {@link ValType#ANYREF} or {@link
   *     ValType#EXNREF}
   * @return the null reference
   * @throws IllegalArgumentException if {@code type} is not a reference type
   */
  static Val nullRef(ValType type) {
    return new Ref(type, 0);
  }

  /**
   * Whether this is a null reference.
   *
   * @return true for a {@link Ref} whose handle is 0
   */
  default boolean isNull() {
    return this instanceof Ref(var type, long handle) && handle == 0;
  }

  /**
   * This i32 as a Java {@code int}.
   *
   * @return the value
   * @throws IllegalStateException if this is not an i32
   */
  default int asInt() {
    if (this instanceof I32(int value)) {
      return value;
    }
    throw new IllegalStateException("not an i32: " + type());
  }

  /**
   * This i64 as a Java {@code long}.
   *
   * @return the value
   * @throws IllegalStateException if this is not an i64
   */
  default long asLong() {
    if (this instanceof I64(long value)) {
      return value;
    }
    throw new IllegalStateException("not an i64: " + type());
  }

  /**
   * This f32 as a Java {@code float}.
   *
   * @return the value
   * @throws IllegalStateException if this is not an f32
   */
  default float asFloat() {
    if (this instanceof F32(float value)) {
      return value;
    }
    throw new IllegalStateException("not an f32: " + type());
  }

  /**
   * This f64 as a Java {@code double}.
   *
   * @return the value
   * @throws IllegalStateException if this is not an f64
   */
  default double asDouble() {
    if (this instanceof F64(double value)) {
      return value;
    }
    throw new IllegalStateException("not an f64: " + type());
  }

  /**
   * An i32.
   *
   * @param value the 32 bits (wasm integers have no sign; operators choose one)
   */
  record I32(int value) implements Val {
    @Override
    public ValType type() {
      return ValType.I32;
    }

    // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
    @Override
    public boolean equals(Object o) {
      return o instanceof I32 other && value == other.value;
    }

    @Override
    public int hashCode() {
      return Integer.hashCode(value);
    }

    @Override
    public String toString() {
      return "I32[value=" + value + "]";
    }
  }

  /**
   * An i64.
   *
   * @param value the 64 bits
   */
  record I64(long value) implements Val {
    @Override
    public ValType type() {
      return ValType.I64;
    }

    // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
    @Override
    public boolean equals(Object o) {
      return o instanceof I64 other && value == other.value;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(value);
    }

    @Override
    public String toString() {
      return "I64[value=" + value + "]";
    }
  }

  /**
   * An f32.
   *
   * @param value the float, NaN payloads kept
   */
  record F32(float value) implements Val {
    @Override
    public ValType type() {
      return ValType.F32;
    }

    // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
    @Override
    public boolean equals(Object o) {
      return o instanceof F32 other && Float.compare(value, other.value) == 0;
    }

    @Override
    public int hashCode() {
      return Float.hashCode(value);
    }

    @Override
    public String toString() {
      return "F32[value=" + value + "]";
    }
  }

  /**
   * An f64.
   *
   * @param value the double, NaN payloads kept
   */
  record F64(double value) implements Val {
    @Override
    public ValType type() {
      return ValType.F64;
    }

    // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
    @Override
    public boolean equals(Object o) {
      return o instanceof F64 other && Double.compare(value, other.value) == 0;
    }

    @Override
    public int hashCode() {
      return Double.hashCode(value);
    }

    @Override
    public String toString() {
      return "F64[value=" + value + "]";
    }
  }

  /**
   * A 128-bit vector as two little-endian halves: byte 0 is the low byte of {@code low}.
   *
   * @param low bytes 0-7
   * @param high bytes 8-15
   */
  record V128(long low, long high) implements Val {
    @Override
    public ValType type() {
      return ValType.V128;
    }

    // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
    @Override
    public boolean equals(Object o) {
      return o instanceof V128 other && low == other.low && high == other.high;
    }

    @Override
    public int hashCode() {
      int h = Long.hashCode(low);
      return 31 * h + Long.hashCode(high);
    }

    @Override
    public String toString() {
      return "V128[low=" + low + ", high=" + high + "]";
    }
  }

  /**
   * A reference value: {@code handle} 0 is null. A funcref's handle is a number its store gave
   * out for the function when the reference reached Java (a table slot, a global, a result or a
   * host function's argument), never an address and never given out twice in the process: only
   * that store takes it back, so a reference kept from another store, or from a closed one whose
   * pool slot a new instance took, is refused with {@link IllegalArgumentException}; the same
   * function always has the same handle in its store. An externref's handle is the embedder's own
   * opaque value, which comes back unchanged. An anyref's is an i31 as its word, or an embedder's
   * value the guest converted with {@code any.convert_extern}; a struct or array is a {@link Gc},
   * never a word (one in the store's GC heap is refused). An exnref here is only ever null: an
   * exception object is an {@link Exn}.
   *
   * @param type {@link ValType#FUNCREF}, {@link ValType#EXTERNREF}, {@link ValType#ANYREF} or (null
   *     only) {@link ValType#EXNREF}
   * @param handle the reference, 0 for null
   */
  record Ref(ValType type, long handle) implements Val {
    /** Checks that {@code type} is a reference type Java can hold, and that an exnref is null. */
    public Ref {
      if (type != ValType.FUNCREF && type != ValType.EXTERNREF && type != ValType.ANYREF && type != ValType.EXNREF) {
        throw new IllegalArgumentException("not a reference type Java holds: " + type);
      }
      if (type == ValType.EXNREF && handle != 0) {
        throw new IllegalArgumentException("an exnref is null or an ExnRef the store gave out (Val.Exn), never a"
            + " number");
      }
    }

    // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
    @Override
    public boolean equals(Object o) {
      return o instanceof Ref other && java.util.Objects.equals(type, other.type) && handle == other.handle;
    }

    @Override
    public int hashCode() {
      int h = java.util.Objects.hashCode(type);
      return 31 * h + Long.hashCode(handle);
    }

    @Override
    public String toString() {
      return "Ref[type=" + type + ", handle=" + handle + "]";
    }
  }

  /**
   * A struct or array of a store's GC heap, as an anyref or, converted by {@code
   * extern.convert_any}, an externref: passed back to the same store it is the same object, so
   * {@code any.convert_extern} and {@code ref.eq} see it again.
   *
   * @param type {@link ValType#ANYREF} or {@link ValType#EXTERNREF}
   * @param object the store's handle for the object
   */
  record Gc(ValType type, AnyRef object) implements Val {
    /** Checks the type and that there is an object (null is a {@link Ref} of handle 0). */
    public Gc {
      java.util.Objects.requireNonNull(object, "object");
      if (type != ValType.ANYREF && type != ValType.EXTERNREF) {
        throw new IllegalArgumentException("a GC object is an anyref or an externref, not " + type);
      }
    }

    // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
    @Override
    public boolean equals(Object o) {
      return o instanceof Gc other && java.util.Objects.equals(type, other.type)
          && java.util.Objects.equals(object, other.object);
    }

    @Override
    public int hashCode() {
      int h = java.util.Objects.hashCode(type);
      return 31 * h + java.util.Objects.hashCode(object);
    }

    @Override
    public String toString() {
      return "Gc[type=" + type + ", object=" + object + "]";
    }
  }

  /**
   * An exception object of a store, as an exnref: passed back to the same store it is the same
   * object, so {@code throw_ref} throws it again with its tag and payload.
   *
   * @param exception the store's handle for the object (null is a {@link Ref} of type {@link
   *     ValType#EXNREF} and handle 0)
   */
  record Exn(ExnRef exception) implements Val {
    /** Checks that there is an object. */
    public Exn {
      java.util.Objects.requireNonNull(exception, "exception");
    }

    @Override
    public ValType type() {
      return ValType.EXNREF;
    }

    // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
    @Override
    public boolean equals(Object o) {
      return o instanceof Exn other && java.util.Objects.equals(exception, other.exception);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hashCode(exception);
    }

    @Override
    public String toString() {
      return "Exn[exception=" + exception + "]";
    }
  }
}
