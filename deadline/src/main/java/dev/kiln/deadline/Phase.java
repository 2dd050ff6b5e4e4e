package dev.kiln.deadline;

/**
 * The stages of turning a module's bytes into loaded code whose work grows with the input, each
 * polling the one {@link CompileDeadline}: the error names the stage that ran past it, so a person
 * sees whether the module's size (decoding, module information, loading) or a function's shape
 * (compiling the functions) used the budget.
 */
public enum Phase {
  /** The binary decoder and the validator: sections, their entries, every function body. */
  DECODE("decoding and validating the module"),
  /** Translating and compiling each function, its trampolines and the builtins'. */
  FUNCTIONS("compiling the functions"),
  /** Linking the compiled code and writing the artifact: the module information, text and index. */
  ASSEMBLY("linking and writing the artifact"),
  /** Reading an artifact's module information and index back, and mapping its code. */
  LOAD("loading the compiled module");

  private final String description;

  Phase(String description) {
    this.description = description;
  }

  /** What the stage does, as an error line names it ("decoding and validating the module"). */
  public String description() {
    return description;
  }
}
