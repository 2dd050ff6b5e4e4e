package dev.kiln.wasm.types;

import java.util.ArrayList;
import java.util.List;

/**
 * A module's type section (WebAssembly 3.0 spec 2.5.2): recursion groups of defined types, indexed
 * as one flat list. A type written outside {@code rec} is a group of one. {@link #types()} is what the
 * compiler sees (the function types by index); the groups and subtype declarations are for the
 * validator and for canonicalisation.
 */
public final class TypeSection {
  /** A section without types. */
  public static final TypeSection EMPTY = new TypeSection(List.of());

  private final List<List<SubType>> groups;
  private final List<SubType> subTypes;
  private final List<FuncType> types;
  private final int[] groupStart;
  /** Canonicalised on first use: validation asks for subtyping once per differing pair of types. */
  private volatile TypeMatcher matcher;

  /** @param groups the recursion groups in order, each with its types in order */
  public TypeSection(List<List<SubType>> groups) {
    List<List<SubType>> copy = new ArrayList<>(groups.size());
    List<SubType> flat = new ArrayList<>();
    for (List<SubType> g : groups) {
      copy.add(List.copyOf(g));
      flat.addAll(g);
    }
    this.groups = List.copyOf(copy);
    this.subTypes = List.copyOf(flat);
    List<FuncType> funcs = new ArrayList<>(flat.size());
    groupStart = new int[flat.size()];
    int at = 0;
    for (List<SubType> g : this.groups) {
      for (int i = 0; i < g.size(); i++) {
        groupStart[at + i] = at;
        // a struct or array type has no signature: its entry stays null (see types())
        funcs.add(g.get(i).composite() instanceof FuncType f ? f : null);
      }
      at += g.size();
    }
    this.types = java.util.Collections.unmodifiableList(funcs);
  }

  /** A section of plain function types, each its own group (the WebAssembly 2.0 shape). */
  public static TypeSection of(List<FuncType> types) {
    List<List<SubType>> groups = new ArrayList<>(types.size());
    for (FuncType t : types) {
      groups.add(List.of(SubType.plain(t)));
    }
    return new TypeSection(groups);
  }

  public List<List<SubType>> groups() {
    return groups;
  }

  /** Every defined type by type index. */
  public List<SubType> subTypes() {
    return subTypes;
  }

  /**
   * The function type of every defined type by type index; null where the type is a struct or an
   * array type (WebAssembly 3.0). Validation proves that every type index a signature is looked up
   * by (a function's type, {@code call_indirect}, {@code call_ref}, a block type) names a function
   * type, so code past the validator meets no null here.
   */
  public List<FuncType> types() {
    return types;
  }

  /**
   * Subtyping between this section's types, canonicalised in {@link TypeRegistry#shared()} once.
   *
   * @throws IllegalArgumentException if a heap type names a type defined after its own group
   */
  public TypeMatcher matcher() {
    TypeMatcher m = matcher;
    if (m == null) {
      m = new TypeMatcher(TypeRegistry.shared().canonicalize(this));
      matcher = m;
    }
    return m;
  }

  public int size() {
    return subTypes.size();
  }

  /** The type index where the recursion group of type {@code index} begins. */
  public int groupStart(int index) {
    return groupStart[index];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TypeSection t && groups.equals(t.groups);
  }

  @Override
  public int hashCode() {
    return groups.hashCode();
  }

  @Override
  public String toString() {
    return groups.toString();
  }
}
