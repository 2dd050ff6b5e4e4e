package dev.kiln.wasm.code;

import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.ValType;
import dev.kiln.wasm.types.ValueType;

/**
 * Value and heap types as WebAssembly 3.0 encodes them (spec 5.3.3-5.3.5), shared by the module
 * decoder and {@link InstructionReader} so that every place a type appears (signatures, locals,
 * globals, tables, block types, {@code select}, {@code ref.null}) tells the same two answers
 * apart: a type, or bytes that encode no type (left to the caller, whose malformed wording the spec
 * suite fixes per place).
 *
 * <p>{@code (ref null func)} (0x63 0x70) and {@code (ref null extern)} (0x63 0x6F) are funcref and
 * externref spelled out, so they are accepted as such.
 */
public final class ValueTypes {
  private static final int REF_NULL = 0x63;
  private static final int REF = 0x64;

  private ValueTypes() {}

  /**
   * The value type whose first byte {@code code} was just read from {@code in}; after 0x63 or
   * 0x64 it reads the heap type that follows.
   *
   * @param wasm3 WebAssembly 3.0's types ({@link dev.kiln.wasm.Features#wasm3()}); without it only
   *     2.0's exist and any other byte starts no type
   * @return the type, or null when {@code code} starts no value type
   * @throws MalformedException for a reference whose heap type is malformed
   */
  public static ValueType afterCode(int code, ByteReader in, boolean wasm3) {
    ValType known = ValType.fromCode(code);
    if (known != null || !wasm3) {
      return known == null ? null : ValueType.of(known);
    }
    if (code == REF_NULL || code == REF) {
      return new RefType(code == REF_NULL, heapType(in, "malformed reference type", true));
    }
    // the shorthands (spec 5.3.4): a one-byte abstract heap type stands for its nullable reference,
    // nullfuncref for (ref null nofunc), anyref for (ref null any) and so on
    HeapType.Abstract shorthand = supportedAbstract(code);
    if (shorthand != null) {
      return new RefType(true, shorthand);
    }
    return null;
  }

  /**
   * A heap type (spec 5.3.3): an abstract heap type, one byte, or a type index as a non-negative
   * s33.
   *
   * @param malformed the reason for bytes that encode no heap type
   * @param wasm3 WebAssembly 3.0's heap types; without it only func and extern exist
   */
  public static HeapType heapType(ByteReader in, String malformed, boolean wasm3) {
    int at = in.position();
    int b = in.peek();
    if (!wasm3) {
      in.u8();
      return switch (b) {
        case 0x70 -> HeapType.Abstract.FUNC;
        case 0x6F -> HeapType.Abstract.EXTERN;
        default -> throw new MalformedException(malformed, at);
      };
    }
    if (b >= 0 && (b & 0xC0) == 0x40) {
      // one byte in 0x40..0x7F is a negative s33: an abstract heap type
      in.u8();
      HeapType.Abstract known = supportedAbstract(b);
      if (known != null) {
        return known;
      }
      throw new MalformedException(malformed, at);
    }
    long v = in.s33();
    if (v < 0) {
      throw new MalformedException(malformed, at);
    }
    if (v > Integer.MAX_VALUE) {
      // more types than a module can have: validation's "unknown type", kept as an index it cannot name
      return new HeapType.Concrete(Integer.MAX_VALUE);
    }
    return new HeapType.Concrete((int) v);
  }

  /**
   * The abstract heap type encoded by {@code code}: the func, extern, (GC) any and (exception
   * handling) exn hierarchies; null for bytes that encode no heap type.
   */
  private static HeapType.Abstract supportedAbstract(int code) {
    return HeapType.Abstract.fromCode(code);
  }
}
