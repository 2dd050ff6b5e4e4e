package dev.kiln.codegen.regalloc;

/**
 * A move the allocator inserts: copy the value in {@code from} to {@code to} at {@code point}. Never
 * slot-to-slot (the allocator routes those through a register), never across classes. Edits at the
 * same point run in list order.
 */
public record Edit(ProgPoint point, Allocation from, Allocation to) {
  public Edit {
    if (from.regClass() != to.regClass()) {
      throw new IllegalArgumentException("move across register classes: " + from + " -> " + to);
    }
    if (from instanceof SpillSlot && to instanceof SpillSlot) {
      throw new IllegalArgumentException("memory-to-memory move: " + from + " -> " + to);
    }
  }

  @Override
  public String toString() {
    return point + ": " + to + " <- " + from;
  }
}
