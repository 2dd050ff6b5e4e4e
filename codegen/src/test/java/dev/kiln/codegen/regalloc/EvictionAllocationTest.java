package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/**
 * {@link LinearScan#allocateBlocked} gathers the inactive pieces it evicts in arrays the scan keeps,
 * and orders them by a primitive sort: a set and a list per blocked piece (and a hash entry per
 * piece met) were allocated anew each time. Counted ({@link AllocatedBytes}): the bytes a scan of
 * {@link ScanWorkTest#heldAcrossAChain} allocates, where 200 values held in 14 registers leave
 * some 190 pieces finding none free.
 */
class EvictionAllocationTest {
  @Test
  void aBlockedPieceAllocatesNoCollections() {
    RegAllocFunction f = ScanWorkTest.heldAcrossAChain(200);
    MachineEnv env = TestEnvs.x64Like();
    // A scan runs once: one made ready per round of AllocatedBytes, outside the bytes it counts.
    Deque<LinearScan> scans = new ArrayDeque<>();
    for (int round = 0; round < AllocatedBytes.ROUNDS; round++) {
      scans.add(ScanWorkTest.readyIntScan(env, RegAllocator.Analysis.of(f, env)));
    }
    long blocked = ScanWorkTest.checkedIntScan(f).blockedAllocations;
    long bytes = AllocatedBytes.fewest(() -> scans.poll().run());
    // The rest is the splits' pieces, the reload positions and the unhandled queue's growth.
    long perBlocked = bytes / blocked;
    assertTrue(perBlocked <= 430, perBlocked + " bytes per blocked piece, over " + blocked
        + " (471 with a set and a list each, 399 now)");
  }
}
