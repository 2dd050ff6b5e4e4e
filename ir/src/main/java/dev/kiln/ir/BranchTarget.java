package dev.kiln.ir;

/** A branch destination as given to {@link InstBuilder}: a block and the values passed to it. */
public record BranchTarget(int block, int... args) {
  public BranchTarget {
    args = args.clone();
  }

  @Override
  public int[] args() {
    return args.clone();
  }
}
