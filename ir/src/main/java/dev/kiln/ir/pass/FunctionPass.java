package dev.kiln.ir.pass;

import dev.kiln.ir.Function;

/** One transformation of a function in place. */
public interface FunctionPass {
  /** A short name for logs and error messages, e.g. {@code "fold"}. */
  String name();

  /** Transforms {@code f}; must leave it verifiable if it was. */
  void run(Function f);
}
