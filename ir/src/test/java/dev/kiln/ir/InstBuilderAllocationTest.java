package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link InstBuilder} hands each instruction's operands to the graph in arrays of its own, reused
 * for the next: counted (the bytes the building thread allocates, {@code
 * com.sun.management.ThreadMXBean}), building instructions of one, two and three operands into a
 * graph and layout with room for them allocates no array per instruction.
 */
class InstBuilderAllocationTest {
  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final int ROUNDS = 8;
  private static final int PER_ROUND = 1_000;

  @Test
  void operandsNeedNoArrayPerInstruction() {
    Function f = new Function(new ExternalName.Named("f"), new Signature(List.of(), List.of()));
    int insts = ROUNDS * PER_ROUND * 5 + 16;
    f.dfg().reserve(insts, insts, 4, 4, 4 * insts);
    f.layout().reserve(4, insts);
    int block = f.dfg().makeBlock();
    f.layout().appendBlock(block);
    int x = f.dfg().appendBlockParam(block, Type.I64);
    FuncCursor cursor = new FuncCursor(f).atEnd(block);
    // The fewest bytes of a few rounds: the first links and compiles the code, the JDK may
    // allocate once on the way; what building itself allocates is in every round.
    long fewest = Long.MAX_VALUE;
    for (int round = 0; round < ROUNDS; round++) {
      long before = THREADS.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < PER_ROUND; i++) {
        int sum = cursor.iadd(x, x);
        int loaded = cursor.load(Opcode.LOAD, Type.I64, MemFlags.HEAP, sum, 8);
        cursor.store(Opcode.STORE, MemFlags.HEAP, loaded, sum, 16);
        cursor.select(cursor.icmp(IntCC.EQ, x, loaded), x, sum);
      }
      fewest = Math.min(fewest, THREADS.getCurrentThreadAllocatedBytes() - before);
    }
    // an array of one to three operands is 24 bytes: one per instruction made 5 x 24 x 1,000
    assertTrue(fewest < 16 * PER_ROUND, fewest + " bytes for " + 5 * PER_ROUND + " instructions");
  }
}
