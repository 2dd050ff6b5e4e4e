package dev.kiln.ir.pass;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code bounds_check}s known to have passed at a point of a function (those in dominating
 * positions, as {@link GlobalValueNumbering} walks the dominator tree), and whether they make
 * another check redundant. A check passes when {@code index + end <= bound} (unsigned, without
 * overflow; wasm spec 4.4.7: an access of {@code end} bytes past its index is in bounds).
 *
 * <p>An index is read as a <em>root</em> value plus a constant: {@code uextend.i64 (iadd.i32 x,
 * c)} is root {@code x}, zero-extended, plus {@code c} modulo 2^32; {@code iadd.i64 x, c} is root
 * {@code x} plus {@code c} modulo 2^64 (memory64); anything else is itself plus 0. Compilers put
 * struct fields and unrolled array elements at constant distances from one pointer, and do the
 * addition in wasm when they cannot prove that it does not wrap. A passed check of {@code root +
 * c1} with end {@code E} covers a later check of {@code root + c2} with end {@code E'}, the same
 * bound and trap code, when the distance {@code d = c2 - c1} (modulo the width) satisfies {@code d <
 * E} and {@code d + E' <= E}: the passed check gave {@code a + E <= bound} for {@code a}, the
 * unsigned value of {@code root + c1}, so {@code a + d < bound} does not wrap (a zero-extended i32
 * index is only checked against a bound of at most 2^32, the largest 32-bit memory or table, spec
 * 2.3.7; an i64 bound is below 2^64) and {@code (a + d) + E' <= a + E <= bound}. A negative
 * distance proves nothing: {@code root + c1} may have wrapped. With {@code d = 0} this is the plain
 * case, {@code i32.load offset=0} after {@code i32.load offset=4} of one address.
 */
final class PassedChecks {
  /** How many constants a root's definition chain may add before the walk stops. */
  private static final int CHAIN_LIMIT = 4;
  /** Passed checks kept per root; a further one replaces the oldest. */
  private static final int FACTS_PER_ROOT = 4;

  /**
   * What two checks must share to cover each other: root, how it is widened, bound, trap code.
   * Comparable so that roots whose record hashes collide (value and bound trade multiples of 31) still
   * cost O(log n) in {@link #facts} (red team 6, F2).
   */
  private record Root(int value, boolean zeroExtended, int bound, int trapCode) implements Comparable<Root> {
    @Override
    public int compareTo(Root other) {
      int c = Integer.compare(value, other.value);
      c = c != 0 ? c : Boolean.compare(zeroExtended, other.zeroExtended);
      c = c != 0 ? c : Integer.compare(bound, other.bound);
      return c != 0 ? c : Integer.compare(trapCode, other.trapCode);
    }
  }

  /** A passed check: its index's constant part and its end. */
  private record Fact(long offset, long end) {}

  /** A check's operands read as root plus constant. */
  record Check(Root root, long offset, long end) {}

  private final Map<Root, List<Fact>> facts = new HashMap<>();

  /** Reads the {@code bounds_check} {@code inst} as root, constant and end. */
  static Check of(DataFlowGraph dfg, int inst) {
    int index = dfg.resolveAliases(dfg.arg(inst, 0));
    int bound = dfg.resolveAliases(dfg.arg(inst, 1));
    boolean zeroExtended = false;
    int root = index;
    if (definedBy(dfg, index, Opcode.UEXTEND)) {
      zeroExtended = true;
      root = dfg.resolveAliases(dfg.arg(dfg.valueDef(index), 0));
    }
    long mask = zeroExtended ? 0xFFFF_FFFFL : -1L;
    long offset = 0;
    for (int step = 0; step < CHAIN_LIMIT; step++) {
      if (!definedBy(dfg, root, Opcode.IADD) && !definedBy(dfg, root, Opcode.ISUB)) {
        break;
      }
      int def = dfg.valueDef(root);
      int left = dfg.resolveAliases(dfg.arg(def, 0));
      int right = dfg.resolveAliases(dfg.arg(def, 1));
      if (definedBy(dfg, right, Opcode.ICONST)) {
        long c = dfg.imm(dfg.valueDef(right));
        offset += dfg.opcode(def) == Opcode.IADD ? c : -c;
        root = left;
      } else if (dfg.opcode(def) == Opcode.IADD && definedBy(dfg, left, Opcode.ICONST)) {
        offset += dfg.imm(dfg.valueDef(left));
        root = right;
      } else {
        break;
      }
    }
    return new Check(new Root(root, zeroExtended, bound, dfg.aux(inst)), offset & mask,
        dfg.imm(inst));
  }

  private static boolean definedBy(DataFlowGraph dfg, int value, Opcode op) {
    return dfg.valueKind(value) == DataFlowGraph.VALUE_RESULT
        && dfg.opcode(dfg.valueDef(value)) == op
        && (op != Opcode.UEXTEND || dfg.valueType(dfg.arg(dfg.valueDef(value), 0)) == Type.I32);
  }

  /** Whether a passed check guarantees {@code check}. */
  boolean covers(Check check) {
    long mask = check.root.zeroExtended ? 0xFFFF_FFFFL : -1L;
    for (Fact fact : facts.getOrDefault(check.root, List.of())) {
      long distance = (check.offset - fact.offset) & mask;
      if (Long.compareUnsigned(distance, fact.end) < 0
          && Long.compareUnsigned(check.end, fact.end - distance) <= 0) {
        return true;
      }
    }
    return false;
  }

  /** Records that {@code check} passed; the returned action forgets it again. */
  Runnable add(Check check) {
    List<Fact> before = facts.get(check.root);
    List<Fact> after = new ArrayList<>(before == null ? List.of() : before);
    if (after.size() == FACTS_PER_ROOT) {
      after.removeFirst();
    }
    after.add(new Fact(check.offset, check.end));
    facts.put(check.root, after);
    return before == null ? () -> facts.remove(check.root) : () -> facts.put(check.root, before);
  }
}
