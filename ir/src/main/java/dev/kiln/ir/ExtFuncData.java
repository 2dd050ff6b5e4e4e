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
}
