package dev.kiln.compiler.link;

import dev.kiln.artifact.FuncKey;

/**
 * The compiled functions cannot be linked: a call names a function that is not there, a call does
 * not reach its target, or a function asks for a relocation {@code .text} cannot carry. The message
 * names the FuncKeys involved.
 */
public final class LinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LinkException(String message) {
    super(message);
  }

  /** {@code caller} calls {@code callee}, which is not among the compiled functions. */
  public static LinkException missingTarget(FuncKey caller, FuncKey callee) {
    return new LinkException(caller + " calls " + callee + ", which was not compiled into this artifact");
  }
}
