package dev.kiln.loader.runtime;

import dev.kiln.artifact.info.FuncType;

/**
 * An exception tag as the store sees it (the instance side is {@code
 * dev.kiln.loader.instance.TagInstance}): the word compiled code matches catch clauses with, and the
 * type whose parameters are an exception's payload. What a wasm exception that reaches the host is
 * named by.
 */
public interface ExceptionTag {
  /** The word that stands for the tag in compiled code and in exception objects: never 0. */
  long identity();

  /** The tag's type: its parameters are the payload, its results empty. */
  FuncType type();
}
