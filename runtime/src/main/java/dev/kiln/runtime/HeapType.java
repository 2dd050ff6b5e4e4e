package dev.kiln.runtime;

import java.util.Locale;

/**
 * What a reference points to (WebAssembly 3.0 spec 2.3.3 "heap types"): an abstract heap type of
 * one of the hierarchies (function, extern, any, exception) or a type the module defines.
 */
public sealed interface HeapType permits HeapType.Abstract, HeapType.Concrete {
  /**
   * The representation a reference to this heap type has in Java: {@link ValType#FUNCREF}, {@link
   * ValType#EXTERNREF}, {@link ValType#ANYREF} or {@link ValType#EXNREF}, by the hierarchy it is in.
   *
   * @return the hierarchy's reference type
   */
  ValType hierarchy();

  /** The abstract heap types, named as in the text format. */
  enum Abstract implements HeapType {
    /** Every function. */
    FUNC,
    /** No function: only null. */
    NOFUNC,
    /** Every host reference, and GC objects converted by {@code extern.convert_any}. */
    EXTERN,
    /** No host reference: only null. */
    NOEXTERN,
    /** Every GC value: structs, arrays, i31s, and host references converted by {@code any.convert_extern}. */
    ANY,
    /** Values {@code ref.eq} compares: structs, arrays, i31s. */
    EQ,
    /** Unboxed 31-bit integers. */
    I31,
    /** Every struct. */
    STRUCT,
    /** Every array. */
    ARRAY,
    /** No GC value: only null. */
    NONE,
    /** Every exception. */
    EXN,
    /** No exception: only null. */
    NOEXN;

    @Override
    public ValType hierarchy() {
      return switch (this) {
        case FUNC, NOFUNC -> ValType.FUNCREF;
        case EXTERN, NOEXTERN -> ValType.EXTERNREF;
        case EXN, NOEXN -> ValType.EXNREF;
        default -> ValType.ANYREF;
      };
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A defined type: a function, struct or array type (spec 3.0 2.3.8). Types are numbered by the
   * engine, not by a module: equivalent types (spec 3.0 3.2.x, iso-recursive equivalence) have the
   * same number in every module an engine loads, so two descriptions name the same type exactly when
   * their numbers are equal. ({@link WasmModule#precompiledExports} numbers them as a fresh engine
   * would.)
   *
   * @param kind what the type defines
   * @param typeId the engine's number for the type
   */
  record Concrete(Kind kind, int typeId) implements HeapType {
    /** Checks that {@code kind} is given. */
    public Concrete {
      java.util.Objects.requireNonNull(kind, "kind");
    }

    @Override
    public ValType hierarchy() {
      return kind == Kind.FUNC ? ValType.FUNCREF : ValType.ANYREF;
    }

    @Override
    public String toString() {
      return kind.name().toLowerCase(Locale.ROOT) + ":" + Integer.toUnsignedString(typeId);
    }

    // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
    @Override
    public boolean equals(Object o) {
      return o instanceof Concrete other && java.util.Objects.equals(kind, other.kind) && typeId == other.typeId;
    }

    @Override
    public int hashCode() {
      int h = java.util.Objects.hashCode(kind);
      return 31 * h + Integer.hashCode(typeId);
    }
  }

  /** What a defined type is. */
  enum Kind {
    /** A function type. */
    FUNC,
    /** A struct type. */
    STRUCT,
    /** An array type. */
    ARRAY
  }
}
