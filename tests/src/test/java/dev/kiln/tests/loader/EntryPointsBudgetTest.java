package dev.kiln.tests.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.CompileTimeoutException;
import dev.kiln.deadline.Phase;
import dev.kiln.loader.module.EntryPoints;
import dev.kiln.tests.support.Artifacts;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The load's check of every escaping function's entry points (two index searches each, up to 2^20
 * functions) and its whole-table check of the handler and stack map tables poll the load's budget,
 * as the module info's decoding before them does.
 */
class EntryPointsBudgetTest {
  private static final String MODULE = """
      (module
        (tag $e)
        (func $f (export "f") (try_table (catch_all 0) (call $g)))
        (func $g (export "g") (throw $e)))
      """;

  @Test
  void theLoadsWalksOverFunctionsAndTablesPollTheBudget() {
    byte[] bytes = Artifacts.fromWat(MODULE, Artifacts.backend(Target.X86_64));
    CwasmFile file = CwasmFile.open(MemorySegment.ofArray(bytes));
    ModuleInfo info = file.moduleInfo();
    EntryPoints points = EntryPoints.check(file, info);
    assertEquals(2, info.escaping().size(), "both exported functions escape");
    assertEquals(true, points.wasmCall(0) >= 0 && points.wasmCall(1) >= 0, "both have code");
    file.checkFrameTables();
    CompileTimeoutException entries = assertThrows(CompileTimeoutException.class,
        () -> CompileDeadline.after(Duration.ZERO).call(() -> EntryPoints.check(file, info)));
    assertEquals(Phase.LOAD, entries.phase());
    CompileTimeoutException tables = assertThrows(CompileTimeoutException.class,
        () -> CompileDeadline.after(Duration.ZERO).call(() -> {
          file.checkFrameTables();
          return null;
        }));
    assertEquals(Phase.LOAD, tables.phase());
  }
}
