package dev.kiln.artifact.info;

import java.util.Arrays;
import java.util.List;

/**
 * A function type (WebAssembly 2.0 section 2.3.5): parameter and result value types.
 *
 * <p>Comparable because function types key hash maps (a store's type ids) and come from the guest:
 * a list's hash is easy to make collide (equal sums of powers of 31 over two value types), and
 * HashMap searches a bin of equal hashes in O(log n) only when its keys are Comparable, linearly
 * otherwise (red team 6, F2).
 */
public record FuncType(List<ValType> params, List<ValType> results) implements Comparable<FuncType> {
  /** Kiln's per-type limit on parameters and on results (each stored as a u16). */
  public static final int MAX_ARITY = 0xFFFF;

  public FuncType {
    params = List.copyOf(params);
    results = List.copyOf(results);
    if (params.size() > MAX_ARITY || results.size() > MAX_ARITY) {
      throw new IllegalArgumentException("function type with more than " + MAX_ARITY + " params or results");
    }
  }

  // equals, hashCode and toString written out: a record's generated ones bootstrap through
  // invokedynamic (ObjectMethods), which spins method-handle classes on first use that the JVM's AOT
  // cache does not hold; the store hashes function types at every instantiation and names each host
  // function by its type, on kiln run's critical path. The text is the record's own.

  @Override
  public boolean equals(Object o) {
    return o instanceof FuncType t && params.equals(t.params) && results.equals(t.results);
  }

  @Override
  public int hashCode() {
    return 31 * params.hashCode() + results.hashCode();
  }

  /** Parameters, then results, each compared lexicographically by value type (a shorter prefix first). */
  @Override
  public int compareTo(FuncType other) {
    int byParams = Arrays.compare(params.toArray(new ValType[0]), other.params.toArray(new ValType[0]));
    return byParams != 0 ? byParams : Arrays.compare(results.toArray(new ValType[0]), other.results.toArray(new ValType[0]));
  }

  @Override
  public String toString() {
    return new StringBuilder("FuncType[params=").append(params).append(", results=").append(results).append(']')
        .toString();
  }
}
