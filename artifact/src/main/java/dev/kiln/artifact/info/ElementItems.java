package dev.kiln.artifact.info;

import dev.kiln.wasm.module.PackedInts;
import java.util.List;

/**
 * The items of an element segment: the common case is a list of function indices (the MVP
 * encodings), otherwise one constant expression per item (WebAssembly 2.0 section 5.5.12).
 */
public sealed interface ElementItems {
  int size();

  /**
   * Function indices, each standing for {@code ref.func i}, packed ({@link PackedInts}: four bytes
   * an item, as the decoder keeps them; one segment may hold as many items as its file has bytes).
   */
  record Functions(List<Integer> indices) implements ElementItems {
    public Functions {
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

  record Expressions(List<ConstExpr> exprs) implements ElementItems {
    public Expressions {
      exprs = List.copyOf(exprs);
    }

    @Override
    public int size() {
      return exprs.size();
    }
  }
}
