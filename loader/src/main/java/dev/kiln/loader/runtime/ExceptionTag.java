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

  /**
   * The tag's type as the artifact represents it: its parameters are the payload's
   * representations (a struct reference travels as an externref word), its results empty.
   */
  FuncType type();

  /**
   * The engine-wide id of the tag's canonical function type ({@link RuntimeTypes}): its parameters'
   * precise types ({@link RuntimeTypes#paramType}) are what a payload value must have, since
   * compiled code that catches the exception trusts them as it trusts a function's parameters.
   */
  int typeId();
}
