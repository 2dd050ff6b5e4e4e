package dev.kiln.codegen.regalloc;

/**
 * A place between instructions where the allocator inserts moves: just before or just after
 * instruction {@code inst}.
 */
public record ProgPoint(int inst, Side side) implements Comparable<ProgPoint> {
  public enum Side {
    BEFORE,
    AFTER
  }

  public static ProgPoint before(int inst) {
    return new ProgPoint(inst, Side.BEFORE);
  }

  public static ProgPoint after(int inst) {
    return new ProgPoint(inst, Side.AFTER);
  }

  /**
   * Whether this point comes no later than the point {@code side} of instruction {@code inst}:
   * {@code compareTo} without making that point, for walks that visit every instruction.
   */
  public boolean isAtOrBefore(int inst, Side side) {
    return this.inst < inst || (this.inst == inst && this.side.compareTo(side) <= 0);
  }

  @Override
  public int compareTo(ProgPoint o) {
    int c = Integer.compare(inst, o.inst);
    return c != 0 ? c : side.compareTo(o.side);
  }

  @Override
  public String toString() {
    return (side == Side.BEFORE ? "before " : "after ") + inst;
  }
}
