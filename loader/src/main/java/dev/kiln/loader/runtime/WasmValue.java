package dev.kiln.loader.runtime;

import dev.kiln.artifact.info.ValType;

/** A typed wasm value as returned from an export (WebAssembly 2.0 section 4.2.1). */
public sealed interface WasmValue {
  ValType type();

  /** The value's bits as they travel in a ValRaw slot's first eight bytes. */
  long bits();

  record I32(int value) implements WasmValue {
    @Override
    public ValType type() {
      return ValType.I32;
    }

    @Override
    public long bits() {
      return Integer.toUnsignedLong(value);
    }

    @Override
    public String toString() {
      return Integer.toString(value);
    }
  }

  record I64(long value) implements WasmValue {
    @Override
    public ValType type() {
      return ValType.I64;
    }

    @Override
    public long bits() {
      return value;
    }

    @Override
    public String toString() {
      return Long.toString(value);
    }
  }

  record F32(float value) implements WasmValue {
    @Override
    public ValType type() {
      return ValType.F32;
    }

    @Override
    public long bits() {
      return Integer.toUnsignedLong(Float.floatToRawIntBits(value));
    }

    @Override
    public String toString() {
      return Float.toString(value);
    }
  }

  record F64(double value) implements WasmValue {
    @Override
    public ValType type() {
      return ValType.F64;
    }

    @Override
    public long bits() {
      return Double.doubleToRawLongBits(value);
    }

    @Override
    public String toString() {
      return Double.toString(value);
    }
  }

  /** A 128-bit vector as its two little-endian halves. */
  record V128(long low, long high) implements WasmValue {
    @Override
    public ValType type() {
      return ValType.V128;
    }

    /** The low half (a ValRaw slot holds both; see {@link #high()}). */
    @Override
    public long bits() {
      return low;
    }

    @Override
    public String toString() {
      return String.format("0x%016x%016x", high, low);
    }
  }

  /** A reference (funcref: a VMFuncRef address; externref: host-defined), 0 for null. */
  record Ref(ValType type, long address) implements WasmValue {
    public Ref {
      if (!type.isReference()) {
        throw new IllegalArgumentException("not a reference type: " + type);
      }
    }

    @Override
    public long bits() {
      return address;
    }

    @Override
    public String toString() {
      // The word of a non-null reference is a host address (a VMFuncRef, a GC object): never shown.
      return address == 0 ? "null" : type.name().toLowerCase(java.util.Locale.ROOT) + " (not null)";
    }
  }

  /**
   * The value of {@code type} whose ValRaw slot holds {@code bits} then {@code high}. An i32 or f32
   * takes the low 32 bits only, so callers pass a slot's word as read, upper half and all.
   */
  static WasmValue ofBits(ValType type, long bits, long high) {
    return switch (type) {
      case I32 -> new I32((int) bits);
      case I64 -> new I64(bits);
      case F32 -> new F32(Float.intBitsToFloat((int) bits));
      case F64 -> new F64(Double.longBitsToDouble(bits));
      case FUNCREF, EXTERNREF -> new Ref(type, bits);
      case V128 -> new V128(bits, high);
    };
  }
}
