package dev.kiln.ir.verify;

/**
 * One broken rule.
 *
 * @param block the block where it is, or -1 for function-level problems
 * @param inst the instruction, or -1 for block-level problems
 * @param message what is wrong, naming the location (block and instruction text)
 */
public record VerifierError(int block, int inst, String message) {
  @Override
  public String toString() {
    return message;
  }
}
