package dev.kiln.wasm.types;

/**
 * A heap type (WebAssembly 3.0 spec 2.3.4): what a reference points to. Abstract heap types are the
 * fixed hierarchies' members; a concrete heap type names a defined type.
 *
 * <p>In a module a concrete type is a type index ({@link Concrete}), meaningful only in that
 * module. {@link TypeRegistry} rewrites them into the two forms of a canonical type (iso-recursive
 * equivalence, spec 3.2.2 and 4.2.x "closed types"): {@link RecIndex} for a type of the same
 * recursion group, {@link Canonical} for a type defined before the group. Canonical forms are what
 * two modules compare when they link.
 */
public sealed interface HeapType permits HeapType.Abstract, HeapType.Concrete, HeapType.RecIndex,
    HeapType.Canonical {

  /**
   * The abstract heap types and their binary encodings (spec 5.3.3). {@link #BOT} has no encoding:
   * it is the validation algorithm's bottom (spec 3.0 appendix, "bot"), the heap type of a reference
   * popped from an unreachable stack.
   */
  enum Abstract implements HeapType {
    FUNC(0x70, "func"),
    NOFUNC(0x73, "nofunc"),
    EXTERN(0x6F, "extern"),
    NOEXTERN(0x72, "noextern"),
    ANY(0x6E, "any"),
    EQ(0x6D, "eq"),
    I31(0x6C, "i31"),
    STRUCT(0x6B, "struct"),
    ARRAY(0x6A, "array"),
    NONE(0x71, "none"),
    EXN(0x69, "exn"),
    NOEXN(0x74, "noexn"),
    BOT(-1, "bot");

    private final int code;
    private final String text;

    Abstract(int code, String text) {
      this.code = code;
      this.text = text;
    }

    /** The byte that encodes this heap type, or -1 for {@link #BOT}. */
    public int code() {
      return code;
    }

    /** The abstract heap type encoded by {@code code}, or null. */
    public static Abstract fromCode(int code) {
      for (Abstract a : values()) {
        if (a.code == code) {
          return a;
        }
      }
      return null;
    }

    /** The top of this type's hierarchy (spec 3.2.x): func, extern, any or exn. */
    public Abstract top() {
      return switch (this) {
        case FUNC, NOFUNC -> FUNC;
        case EXTERN, NOEXTERN -> EXTERN;
        case EXN, NOEXN -> EXN;
        case ANY, EQ, I31, STRUCT, ARRAY, NONE -> ANY;
        case BOT -> BOT;
      };
    }

    /** The bottom of this type's hierarchy: nofunc, noextern, none or noexn. */
    public Abstract bottom() {
      return switch (top()) {
        case FUNC -> NOFUNC;
        case EXTERN -> NOEXTERN;
        case EXN -> NOEXN;
        case ANY -> NONE;
        default -> BOT;
      };
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** A defined type of the module, by its type index. */
  record Concrete(int typeIndex) implements HeapType {
    @Override
    public String toString() {
      return Integer.toString(typeIndex);
    }
  }

  /** In a canonical recursion group: type {@code index} of the same group. */
  record RecIndex(int index) implements HeapType {
    @Override
    public String toString() {
      return "rec." + index;
    }
  }

  /** In a canonical recursion group: a type of an earlier, already canonical group. */
  record Canonical(CanonicalType type) implements HeapType {
    @Override
    public String toString() {
      return type.toString();
    }
  }
}
