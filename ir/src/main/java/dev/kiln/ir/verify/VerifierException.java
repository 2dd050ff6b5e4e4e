package dev.kiln.ir.verify;

import java.util.List;

/** Thrown by {@link Verifier#check} when a function breaks IR rules; lists every error found. */
public final class VerifierException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<VerifierError> errors;

  public VerifierException(String functionName, List<VerifierError> errors) {
    super(describe(functionName, errors));
    this.errors = List.copyOf(errors);
  }

  public List<VerifierError> errors() {
    return errors;
  }

  private static String describe(String functionName, List<VerifierError> errors) {
    StringBuilder sb = new StringBuilder("function ").append(functionName).append(" fails ")
        .append(errors.size()).append(" IR rule(s):");
    for (VerifierError e : errors) {
      sb.append("\n  ").append(e.message());
    }
    return sb.toString();
  }
}
