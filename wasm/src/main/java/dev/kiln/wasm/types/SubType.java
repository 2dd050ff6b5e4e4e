package dev.kiln.wasm.types;

import java.util.List;

/**
 * A defined type with its subtyping declaration (WebAssembly 3.0 spec 2.3.8): {@code (sub final?
 * $super* comptype)}. A type written without {@code sub} is final with no supertypes. In a module the
 * supertypes are {@link HeapType.Concrete} type indices; in a canonical group ({@link TypeRegistry})
 * they are {@link HeapType.RecIndex} or {@link HeapType.Canonical}, like every heap type inside.
 */
public record SubType(boolean isFinal, List<HeapType> supertypes, CompositeType composite) {
  public SubType {
    supertypes = List.copyOf(supertypes);
  }

  /** A final function type without supertypes: what {@code (type (func ...))} declares. */
  public static SubType plain(CompositeType composite) {
    return new SubType(true, List.of(), composite);
  }
}
