package dev.kiln.ir;

import java.util.Objects;

/**
 * A function this function calls directly: {@code fn0 = %callee sig0}.
 *
 * @param name the callee
 * @param sigRef index of its signature in {@link DataFlowGraph#signature(int)}
 */
public record ExtFuncData(ExternalName name, int sigRef) {
  public ExtFuncData {
    Objects.requireNonNull(name, "name");
  }

  // equals and hashCode written out: the record's generated ones go through an invokedynamic
  // bootstrap (ObjectMethods) that C1, kiln compile's JIT under 24 MB, does not inline, and this record
  // keys hash maps per direct call. The hash is the generated one's formula (31 x h(previous) + h(next)
  // component), so maps iterate as before.
  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof ExtFuncData d && d.sigRef == sigRef && d.name.equals(name);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + sigRef;
  }
}
