package dev.kiln.compiler.link;

import dev.kiln.artifact.FuncKey;
import java.util.Optional;

/**
 * The compiled functions cannot be linked: a call names a function that is not there, a call does
 * not reach its target, or a function asks for a relocation {@code .text} cannot carry. The message
 * names the FuncKeys involved.
 */
public final class LinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient FuncKey missingTarget;

  public LinkException(String message) {
    this(message, null);
  }

  private LinkException(String message, FuncKey missingTarget) {
    super(message);
    this.missingTarget = missingTarget;
  }

  /** {@code caller} calls {@code callee}, which is not among the compiled functions. */
  public static LinkException missingTarget(FuncKey caller, FuncKey callee) {
    return new LinkException(caller + " calls " + callee + ", which was not compiled into this artifact", callee);
  }

  /** The same failure with {@code detail} appended to the message. */
  public LinkException withDetail(String detail) {
    return new LinkException(getMessage() + " (" + detail + ")", missingTarget);
  }

  /** For a call to a function that is not there, that function's key. */
  public Optional<FuncKey> missingTarget() {
    return Optional.ofNullable(missingTarget);
  }
}
