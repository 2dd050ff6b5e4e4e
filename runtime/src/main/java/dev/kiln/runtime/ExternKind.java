package dev.kiln.runtime;

/** What an import or export names (WebAssembly 2.0 section 2.5.10). */
public enum ExternKind {
  /** A function. */
  FUNCTION,
  /** A table of references. */
  TABLE,
  /** A linear memory. */
  MEMORY,
  /** A global variable. */
  GLOBAL,
  /** An exception tag (WebAssembly 3.0). */
  TAG
}
