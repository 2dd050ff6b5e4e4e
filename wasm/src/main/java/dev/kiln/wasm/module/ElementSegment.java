package dev.kiln.wasm.module;

import dev.kiln.wasm.types.ValType;
import java.util.List;

/**
 * An element segment (spec 2.5.7). The binary format has two ways to give the items: plain function
 * indices (flags 0-3) or constant expressions (flags 4-7); both are kept as written.
 */
public record ElementSegment(ValType type, SegmentMode mode, Items items, int offset) {

  /** The segment's items. */
  public sealed interface Items {
    int size();
  }

  /** Items given as function indices. */
  public record FunctionIndices(List<Integer> indices) implements Items {
    public FunctionIndices {
      indices = List.copyOf(indices);
    }

    @Override
    public int size() {
      return indices.size();
    }
  }

  /** Items given as constant expressions of the segment's reference type. */
  public record Expressions(List<ConstExpr> exprs) implements Items {
    public Expressions {
      exprs = List.copyOf(exprs);
    }

    @Override
    public int size() {
      return exprs.size();
    }
  }
}
