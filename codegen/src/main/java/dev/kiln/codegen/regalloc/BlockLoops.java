package dev.kiln.codegen.regalloc;

/**
 * A function's natural loops as its maker already knows them ({@link RegAllocFunction#knownLoops}):
 * per block the header of the innermost loop containing it (-1 outside every loop), per header the
 * header of the loop around it (-1 for an outermost loop; undefined for other blocks), and the
 * headers, each after the headers of the loops around it. {@link LoopNest} takes them instead of
 * finding them through a dominator tree and a loop forest of its own. The arrays are the caller's,
 * and are not changed by either side.
 */
public record BlockLoops(int[] innermost, int[] parent, int[] headers) {
  /** No loop at all: what a function without one knows, with no array per block. */
  public static final BlockLoops NONE = new BlockLoops(new int[0], new int[0], new int[0]);
}
