package dev.kiln.loader.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.info.Export;
import dev.kiln.artifact.info.ExternKind;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.CompileTimeoutException;
import dev.kiln.deadline.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The loaded module's map of exports by name is made at load and polls the load's budget: a module
 * may declare 2^20 exports, and the map was made at the first lookup by name, outside any budget.
 */
class LoadBudgetTest {
  @Test
  void theExportMapPollsTheLoadsBudget() {
    List<Export> exports = new ArrayList<>();
    for (int i = 0; i < 4 * CompileDeadline.POLL_INTERVAL; i++) {
      exports.add(new Export("f" + i, ExternKind.FUNCTION, 0));
    }
    assertEquals(exports.get(5), LoadedModule.exportsByName(exports).get("f5"));
    CompileTimeoutException e = assertThrows(CompileTimeoutException.class,
        () -> CompileDeadline.after(Duration.ZERO).call(() -> LoadedModule.exportsByName(exports)));
    assertEquals(Phase.LOAD, e.phase());
  }
}
