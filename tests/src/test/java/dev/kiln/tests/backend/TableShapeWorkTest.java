package dev.kiln.tests.backend;

import static dev.kiln.tests.backend.LoweringTarget.assertGrowthAtMost;
import static dev.kiln.tests.backend.LoweringTarget.counting;

import dev.kiln.codegen.regalloc.RegAllocOutput;
import dev.kiln.compiler.testsupport.TableShapes;
import org.junit.jupiter.api.Test;

/**
 * The register allocator's work on n {@code call_indirect}s or n {@code table.get}s in one function
 * (red team 27 F1). Each site leaves values (the table's base, the index, the slot) live from the site
 * to its lazy initialisation laid out at the function's end, with a hole between, where every later
 * site's call and slow path blocks registers. Finding where such a piece first meets a register's
 * blocked ranges walked every blocked range of the hole: n pieces x n ranges (35.7 s of CPU for
 * 20,000 call_indirects, 10x the time of 5,000; this count grew 14.6-15.5x from n to 4n). Counted as
 * the blocked ranges the scan looked at and the searches it made over the holes, plus its visits of
 * active and inactive pieces and its intersection steps ({@link RegAllocOutput.Stats}), at n and 4n,
 * on both targets: n log n, at most 5.5x (4.3-4.9x measured; log 800 / log 200 is 1.26).
 */
class TableShapeWorkTest {
  private static final int SIZE = 200;

  @Test
  void tableReadsCostTheScanNLogNWork() {
    assertGrowthAtMost(5.5, SIZE, counting(s -> s.blockedSteps() + s.scanVisits() + s.intersectionSteps()),
        TableShapes.values());
  }
}
