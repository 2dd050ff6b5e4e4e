package dev.kiln.artifact.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.CompileTimeoutException;
import dev.kiln.deadline.Phase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The writer's symbol table and string table, one entry a function, poll the compile's deadline:
 * a module chooses how many functions it has, and writing their symbols is the artifact's last loop.
 */
class CwasmWriterBudgetTest {
  @Test
  void writingManySymbolsPollsTheBudget() {
    int functions = 4 * CompileDeadline.POLL_INTERVAL;
    CwasmWriter writer = SampleArtifacts.writer(Target.X86_64, List.of(), 0xCC).text(new byte[functions]);
    for (int i = 0; i < functions; i++) {
      writer.function(FuncKey.definedWasmFunction(0, i), i, 1, "f" + i);
    }
    CompileTimeoutException e = assertThrows(CompileTimeoutException.class,
        () -> CompileDeadline.after(Duration.ZERO).call(writer::toByteArray));
    assertEquals(Phase.ASSEMBLY, e.phase());
  }
}
