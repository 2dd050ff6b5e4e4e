package dev.kiln.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Parameter and result lists of a function or call site: {@code (i64 vmctx, i32) -> i32}. */
public record Signature(List<AbiParam> params, List<AbiParam> results) {
  public Signature {
    params = List.copyOf(params);
    results = List.copyOf(results);
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
    return params.stream().map(AbiParam::type).toList();
  }

  public List<Type> resultTypes() {
    return results.stream().map(AbiParam::type).toList();
  }

  public String text() {
    String p = params.stream().map(AbiParam::text).collect(Collectors.joining(", ", "(", ")"));
    if (results.isEmpty()) {
      return p;
    }
    return p + " -> " + results.stream().map(AbiParam::text).collect(Collectors.joining(", "));
  }
}
