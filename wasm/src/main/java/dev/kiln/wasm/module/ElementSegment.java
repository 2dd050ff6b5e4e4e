package dev.kiln.wasm.module;

import dev.kiln.wasm.types.ValType;
import dev.kiln.wasm.types.ValueType;
import java.util.List;

/**
 * An element segment (spec 2.5.7). The binary format has two ways to give the items: plain function
 * indices (flags 0-3) or constant expressions (flags 4-7); both are kept as written.
 *
 * @param reference the precise element type (a {@link ValType} funcref or externref becomes its
 *     reference type)
 */
public record ElementSegment(ValueType reference, SegmentMode mode, Items items, int offset) {
  public ElementSegment {
    reference = reference instanceof ValType v ? ValueType.of(v) : reference;
  }

  /** The elements' representation. */
  public ValType type() {
    return reference.kind();
  }

  /** The segment's items. */
  public sealed interface Items {
    int size();
  }

  /** Items given as function indices, packed ({@link PackedInts}: a segment may be as long as its module). */
  public record FunctionIndices(List<Integer> indices) implements Items {
    public FunctionIndices {
      indices = PackedInts.copyOf(indices);
    }

    /** The function index of item {@code item}, unboxed. */
    public int function(int item) {
      return ((PackedInts) indices).getInt(item);
    }

    @Override
    public int size() {
      return indices.size();
    }
  }

  /** Items given as constant expressions of the segment's reference type, packed ({@link PackedConstExprs}). */
  public record Expressions(List<ConstExpr> exprs) implements Items {
    public Expressions {
      exprs = PackedConstExprs.copyOf(exprs);
    }

    @Override
    public int size() {
      return exprs.size();
    }
  }
}
