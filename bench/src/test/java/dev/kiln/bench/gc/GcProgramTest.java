package dev.kiln.bench.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.bench.KilnExportRun;
import dev.kiln.wat.Wat;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The GC benchmark programs under bench/gc still assemble, compile for both targets and return
 * their check values (at the test's small sizes), so bench/run gc cannot rot.
 */
class GcProgramTest {
  /** Surefire runs in the bench module's folder. */
  private static final Path DIR = Path.of("gc");

  @Test
  void everyProgramReturnsItsCheckValueOnBothTargets() throws IOException {
    for (GcProgram program : GcProgram.values()) {
      byte[] wasm = Wat.toBinary(program.text(DIR), program.source(DIR).toString());
      long expected = program.expected(program.testArgs());
      for (Target target : new Target[] {Target.X86_64, Target.AARCH64}) {
        try (KilnExportRun kiln = new KilnExportRun(wasm, target)) {
          assertEquals(expected, kiln.run(program.testArgs()).result(), program.label() + " on " + target);
        }
      }
    }
  }

  /** The check values follow the programs' closed forms, worked by hand for small sizes. */
  @Test
  void checkValuesAreTheProgramsClosedForms() {
    // stretch depth 5 (63) + long-lived depth 4 (31) + 16 trees of depth 4 (16 * 31)
    assertEquals(63 + 31 + 16 * 31, GcProgram.BINARY_TREES.expected(4));
    // 3 garbage trees of depth 10 (2047 nodes) and a live tree of depth 2 (7)
    assertEquals(3 * 2047 + 7, GcProgram.PAUSE.expected(2, 3));
    long onePass = GcProgram.CASTS.expected(1);
    assertEquals(5 * onePass, GcProgram.CASTS.expected(5));
    // every slot scores at least i (i31, circle) and at most 2i (rect) or i + 1 (square)
    long low = (long) GcProgram.CAST_SLOTS * (GcProgram.CAST_SLOTS - 1) / 2;
    assertTrue(onePass > low && onePass < 2 * low, "one pass " + onePass);
  }

  /** The pause program's live tree is the ~100 MB the benchmark claims, in Kiln's 24-byte nodes. */
  @Test
  void pauseKeepsAboutOneHundredMegabytesLive() {
    long nodes = GcProgram.treeNodes((int) GcProgram.PAUSE.benchArgs()[0]);
    long bytes = nodes * 24;
    assertTrue(bytes > 95_000_000L && bytes < 110_000_000L, bytes + " bytes");
  }

  /** The pause program makes its collections run with the live tree: collections happen at the test's size. */
  @Test
  void pauseCollectsWhileItsTreeIsLive() throws IOException {
    byte[] wasm = Wat.toBinary(GcProgram.PAUSE.text(DIR), "pause.wat");
    try (KilnExportRun kiln = new KilnExportRun(wasm, Target.X86_64)) {
      KilnExportRun.Measurement m = kiln.run(16, 400);
      assertEquals(GcProgram.PAUSE.expected(16, 400), m.result());
      assertTrue(m.collections() > 0, "collections " + m.collections());
    }
  }
}
