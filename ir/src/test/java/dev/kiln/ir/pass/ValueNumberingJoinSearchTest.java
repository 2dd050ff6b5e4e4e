package dev.kiln.ir.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.kiln.ir.Function;
import dev.kiln.ir.analysis.FlowAnalyses;
import dev.kiln.ir.text.Parser;
import dev.kiln.ir.text.Printer;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Value numbering keeps a mutable VMContext load from a join's immediate dominator when a backward
 * search finds no call or VMContext store between the two. The searches of one function share their
 * marks: a set made per search grew to the highest block it met, a copy as long as the function's
 * blocks per join (n^2 / 64 words for a chain of n diamonds; a chain of {@code struct.new}s, whose
 * allocation calls make a join each, spent 14% of its compile there at 128,000).
 */
class ValueNumberingJoinSearchTest {
  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  /**
   * n diamonds in a row, each join loading the field its dominator loaded: the bytes numbering
   * allocates grow with n (from 4,000 to 16,000: 4.0x; 8.6x with a set per search).
   */
  @Test
  void theSearchesOfAChainOfJoinsAllocateInProportionToIt() {
    int n = 4_000;
    long small = numberingBytes(n);
    long large = numberingBytes(4 * n);
    assertTrue(large < 6 * small, large + " bytes for " + 4 * n + " joins against " + small + " for " + n);
  }

  /**
   * The searches still tell the paths free of writes from the others: of three joins, the one after a
   * diamond with a call on an arm loads the field again, the other two take their dominator's load.
   */
  @Test
  void aLoadAcrossAJoinIsRemovedUnlessAPathBetweenWrites() {
    assertEquals(1, loadsLeft(diamonds(3, -1)), "no call between");
    assertEquals(2, loadsLeft(diamonds(3, 1)), "a call on the second diamond's arm");
  }

  private static int loadsLeft(String text) {
    Function f = Parser.parseFunction(text);
    GlobalValueNumbering.number(f, new FlowAnalyses(f), new ValueTable(f.dfg()));
    String printed = Printer.print(f);
    return printed.split("load\\.i64", -1).length - 1;
  }

  private static long numberingBytes(int joins) {
    Function f = Parser.parseFunction(diamonds(joins, -1));
    FlowAnalyses analyses = new FlowAnalyses(f);
    analyses.cfg();
    analyses.domTree();
    ValueTable values = new ValueTable(f.dfg());
    long before = THREADS.getCurrentThreadAllocatedBytes();
    GlobalValueNumbering.number(f, analyses, values);
    return THREADS.getCurrentThreadAllocatedBytes() - before;
  }

  /**
   * A call, then {@code joins} diamonds on the argument, each join loading the memory's length again;
   * diamond {@code callIn} (none if negative) calls on its first arm.
   */
  private static String diamonds(int joins, int callIn) {
    StringBuilder text = new StringBuilder("""
        function %joins(i64 vmctx, i32) -> i32 {
            sig0 = (i64 vmctx)
            fn0 = %grow sig0

        block0(v0: i64, v1: i32):
            call fn0(v0)
            v2 = load.i64 vmctx aligned v0+16
        """);
    int value = 3;
    for (int d = 0; d < joins; d++) {
      int top = 3 * d;
      text.append("    brif v1, block").append(top + 1).append(", block").append(top + 2).append('\n');
      text.append("block").append(top + 1).append(":\n").append(d == callIn ? "    call fn0(v0)\n" : "")
          .append("    jump block").append(top + 3).append('\n');
      text.append("block").append(top + 2).append(":\n    jump block").append(top + 3).append('\n');
      text.append("block").append(top + 3).append(":\n    v").append(value++)
          .append(" = load.i64 vmctx aligned v0+16\n");
    }
    return text.append("    return v1\n}\n").toString();
  }
}
