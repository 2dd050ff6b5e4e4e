package dev.kiln.wasm.types;

/**
 * A defined type in canonical form: type {@code index} of an interned {@link CanonicalGroup}. Equal
 * canonical types are the same type in every module and instance (spec 3.2.2), which is what import
 * matching and {@code call_indirect}'s signature check compare.
 */
public final class CanonicalType {
  private final CanonicalGroup group;
  private final int index;

  CanonicalType(CanonicalGroup group, int index) {
    this.group = group;
    this.index = index;
  }

  public CanonicalGroup group() {
    return group;
  }

  public int index() {
    return index;
  }

  /** The type's declaration, its heap types in canonical form (resolve them with {@link CanonicalGroup#resolve}). */
  public SubType subType() {
    return group.types().get(index);
  }

  // Groups are interned, so identity decides (see CanonicalGroup).
  @Override
  public boolean equals(Object o) {
    return o instanceof CanonicalType t && t.group == group && t.index == index;
  }

  @Override
  public int hashCode() {
    return 31 * System.identityHashCode(group) + index;
  }

  /**
   * The type's shape, one level deep, for messages: a canonical type has no name or index a user
   * could look up (the identity hash it printed named nothing in their module, issue 35), and
   * printing its fields' types in turn could grow with every type a hostile module chains to it.
   */
  @Override
  public String toString() {
    return switch (subType().composite()) {
      case StructType s -> "(type struct of " + s.fields().size() + (s.fields().size() == 1 ? " field)" : " fields)");
      case ArrayType a -> "(type array)";
      case FuncType f -> "(type func of " + f.params().size() + " params and " + f.results().size() + " results)";
    };
  }
}
