package dev.kiln.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Parameter and result lists of a function or call site: {@code (i64 vmctx, i32) -> i32}.
 *
 * <p>Comparable because signatures key hash maps (a function's call signatures) and come from the
 * guest's types: a list's hash is easy to make collide (equal sums of powers of 31), and HashMap
 * searches a bin of equal hashes in O(log n) only when its keys are Comparable (red team 6, F2).
 */
public record Signature(List<AbiParam> params, List<AbiParam> results) implements Comparable<Signature> {
  public Signature {
    params = List.copyOf(params);
    results = List.copyOf(results);
  }

  // equals and hashCode written out: the record's generated ones go through an invokedynamic
  // bootstrap (ObjectMethods) that C1, kiln compile's JIT under 24 MB, does not inline, and this record
  // keys hash maps per call site and function. The hash is the generated one's formula (31 x h(previous) + h(next)
  // component), so maps iterate as before.
  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof Signature s && s.params.equals(params) && s.results.equals(results);
  }

  @Override
  public int hashCode() {
    return 31 * params.hashCode() + results.hashCode();
  }

  @Override
  public int compareTo(Signature other) {
    int byParams = Arrays.compare(params.toArray(AbiParam[]::new), other.params.toArray(AbiParam[]::new));
    return byParams != 0 ? byParams
        : Arrays.compare(results.toArray(AbiParam[]::new), other.results.toArray(AbiParam[]::new));
  }

  /** A signature of plain parameters (purpose NORMAL). */
  public static Signature of(List<Type> params, List<Type> results) {
    List<AbiParam> p = new ArrayList<>();
    for (Type t : params) {
      p.add(AbiParam.of(t));
    }
    List<AbiParam> r = new ArrayList<>();
    for (Type t : results) {
      r.add(AbiParam.of(t));
    }
    return new Signature(p, r);
  }

  public List<Type> paramTypes() {
    return types(params);
  }

  public List<Type> resultTypes() {
    return types(results);
  }

  // A loop, not a stream pipeline: lowering asks for a call's result types at every call, and C1
  // (kiln compile's JIT under 24 MB) inlines none of a pipeline's stages.
  private static List<Type> types(List<AbiParam> abiParams) {
    Type[] types = new Type[abiParams.size()];
    for (int i = 0; i < types.length; i++) {
      types[i] = abiParams.get(i).type();
    }
    return List.of(types);
  }

  public String text() {
    String p = params.stream().map(AbiParam::text).collect(Collectors.joining(", ", "(", ")"));
    if (results.isEmpty()) {
      return p;
    }
    return p + " -> " + results.stream().map(AbiParam::text).collect(Collectors.joining(", "));
  }
}
