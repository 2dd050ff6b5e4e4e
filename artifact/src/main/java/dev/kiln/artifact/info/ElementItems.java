package dev.kiln.artifact.info;

import java.util.List;

/**
 * The items of an element segment: the common case is a list of function indices (the MVP
 * encodings), otherwise one constant expression per item (WebAssembly 2.0 section 5.5.12).
 */
public sealed interface ElementItems {
  int size();

  /** Function indices, each standing for {@code ref.func i}. */
  record Functions(List<Integer> indices) implements ElementItems {
    public Functions {
      indices = List.copyOf(indices);
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
