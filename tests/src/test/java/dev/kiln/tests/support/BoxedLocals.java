package dev.kiln.tests.support;

/**
 * WAT text for {@code count} reference locals {@code $x0, $x1, ...} of type {@code (ref null $box)},
 * in a module that defines {@code (type $box (struct (field $v i64)))} and a function with an i64
 * local {@code $s}: their declarations, their setting to boxes of {@code first + i}, and the sum of
 * their boxes' fields into {@code $s}. Enough of them live across enough calls pass the compiler's
 * spill budget and stay in frame slots (compiler translate.ReferenceLiveness): the shape the tests of
 * frame-resident locals and of their stack maps' resident sets compile.
 *
 * @param count how many locals
 */
public record BoxedLocals(int count) {
  /** {@code (local $x0 (ref null $box)) ...}. */
  public String declarations() {
    StringBuilder wat = new StringBuilder();
    for (int i = 0; i < count; i++) {
      wat.append(" (local $x").append(i).append(" (ref null $box))");
    }
    return wat.toString();
  }

  /** Sets local {@code $xi} to a new box of {@code first + i}. */
  public String init(long first) {
    StringBuilder wat = new StringBuilder();
    for (int i = 0; i < count; i++) {
      wat.append(" (local.set $x").append(i).append(" (struct.new $box (i64.const ").append(first + i).append(")))");
    }
    return wat.toString();
  }

  /** Adds every local's box's field to {@code $s}. */
  public String sum() {
    StringBuilder wat = new StringBuilder();
    for (int i = 0; i < count; i++) {
      wat.append(" (local.set $s (i64.add (local.get $s) (struct.get $box $v (local.get $x").append(i).append("))))");
    }
    return wat.toString();
  }
}
