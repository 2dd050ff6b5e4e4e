package dev.kiln.compiler.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.testsupport.StubBackend;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import dev.kiln.wat.Wat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CompileProgress}: one report per unit of work, counting up to the total, on any job count. */
class CompileProgressTest {
  /** 30 functions, every third exported (so it also gets an array-to-wasm trampoline job). */
  private static Module module() {
    StringBuilder wat = new StringBuilder("(module\n");
    for (int i = 0; i < 30; i++) {
      wat.append("(func ").append(i % 3 == 0 ? "(export \"f" + i + "\") " : "")
          .append("(result i32) i32.const ").append(i).append(")\n");
    }
    return Wasm.load(Wat.toBinaryWithNames(wat.append(")").toString(), "test.wat"));
  }

  @Test
  void everyFunctionAndTrampolineIsReportedOnceAndTheCountReachesTheTotal() {
    for (int jobs : new int[] {1, 3}) {
      List<int[]> reports = Collections.synchronizedList(new ArrayList<>());
      Compiler.compile(module(), new StubBackend(), new CompileOptions(jobs),
          (done, total) -> reports.add(new int[] {done, total}));
      assertEquals(40, reports.size(), jobs + " jobs: 30 functions + 10 trampolines");
      List<Integer> done = new ArrayList<>();
      for (int[] r : reports) {
        assertEquals(40, r[1], "total");
        done.add(r[0]);
      }
      Collections.sort(done);
      for (int k = 0; k < done.size(); k++) {
        assertEquals(k + 1, done.get(k), jobs + " jobs: each count once");
      }
    }
  }

  @Test
  void outputDoesNotDependOnWhetherProgressIsReported() {
    byte[] quiet = ArtifactEmitter.link(Compiler.compile(module(), new StubBackend(), new CompileOptions(2))).text();
    int[] calls = {0};
    byte[] reported = ArtifactEmitter.link(Compiler.compile(module(), new StubBackend(), new CompileOptions(2),
        (done, total) -> {
          synchronized (calls) {
            calls[0]++;
          }
        })).text();
    assertTrue(calls[0] > 0);
    assertEquals(java.util.Arrays.toString(quiet), java.util.Arrays.toString(reported));
  }
}
