package dev.kiln.runtime;

import dev.kiln.loader.sys.ThreadStack;
import java.util.List;
import java.util.Objects;

/**
 * A function type (WebAssembly 3.0 section 2.3.5): parameter and result types, each as its
 * representation in {@link Val} ({@link #params()}, {@link #results()}) and as the module declares
 * it ({@link #preciseParams()}, {@link #preciseResults()}: a reference's nullability and heap type,
 * e.g. {@code (ref struct:3)} where {@link #results()} says {@link ValType#ANYREF}).
 *
 * @param params the parameter types' representations, in order
 * @param results the result types' representations, in order (wasm allows several)
 * @param preciseParams the parameter types, in order
 * @param preciseResults the result types, in order
 */
public record FuncType(List<ValType> params, List<ValType> results, List<PreciseType> preciseParams,
    List<PreciseType> preciseResults) implements ExternType {
  /** Copies the lists, so the type is immutable, and checks that each precise type has its representation. */
  public FuncType {
    params = List.copyOf(Objects.requireNonNull(params, "params"));
    results = List.copyOf(Objects.requireNonNull(results, "results"));
    preciseParams = List.copyOf(Objects.requireNonNull(preciseParams, "preciseParams"));
    preciseResults = List.copyOf(Objects.requireNonNull(preciseResults, "preciseResults"));
    if (!params.equals(kinds(preciseParams)) || !results.equals(kinds(preciseResults))) {
      throw new IllegalArgumentException("precise types " + preciseParams + " -> " + preciseResults
          + " are not represented by " + params + " -> " + results);
    }
  }

  /**
   * The type {@code (params) -> (results)} of WebAssembly 2.0 types: a reference is the nullable top
   * of its hierarchy ({@link PreciseType#of}).
   *
   * @param params the parameter types
   * @param results the result types
   */
  public FuncType(List<ValType> params, List<ValType> results) {
    this(params, results, plain(params), plain(results));
  }

  /**
   * The type {@code (params) -> (results)} of WebAssembly 2.0 types, as {@link #FuncType(List, List)}.
   *
   * @param params the parameter types
   * @param results the result types
   * @return the function type
   */
  public static FuncType of(List<ValType> params, List<ValType> results) {
    return new FuncType(params, results);
  }

  /**
   * The function type with these precise types.
   *
   * @param params the parameter types
   * @param results the result types
   * @return the function type
   */
  public static FuncType precise(List<PreciseType> params, List<PreciseType> results) {
    return new FuncType(kinds(params), kinds(results), params, results);
  }

  private static List<ValType> kinds(List<PreciseType> types) {
    ValType[] kinds = new ValType[types.size()];
    for (int i = 0; i < kinds.length; i++) {
      kinds[i] = types.get(i).kind();
    }
    return List.of(kinds);
  }

  private static List<PreciseType> plain(List<ValType> types) {
    PreciseType[] precise = new PreciseType[Objects.requireNonNull(types, "types").size()];
    for (int i = 0; i < precise.length; i++) {
      precise[i] = PreciseType.of(types.get(i));
    }
    return List.of(precise);
  }

  @Override
  public ExternKind kind() {
    return ExternKind.FUNCTION;
  }

  /** The precise types in the text format's words, e.g. {@code (i32 anyref) -> ((ref struct:3))}. */
  @Override
  public String toString() {
    ThreadStack.requireRoomToLink("FuncType.toString");
    return "(" + text(preciseParams) + ") -> (" + text(preciseResults) + ")";
  }

  private static String text(List<PreciseType> types) {
    return String.join(" ", types.stream().map(t -> t instanceof ValType v ? v.name().toLowerCase(java.util.Locale.ROOT)
        : t.toString()).toList());
  }

  // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
  @Override
  public boolean equals(Object o) {
    return o instanceof FuncType other && java.util.Objects.equals(params, other.params)
        && java.util.Objects.equals(results, other.results)
        && java.util.Objects.equals(preciseParams, other.preciseParams)
        && java.util.Objects.equals(preciseResults, other.preciseResults);
  }

  @Override
  public int hashCode() {
    int h = java.util.Objects.hashCode(params);
    h = 31 * h + java.util.Objects.hashCode(results);
    h = 31 * h + java.util.Objects.hashCode(preciseParams);
    return 31 * h + java.util.Objects.hashCode(preciseResults);
  }
}
