package dev.kiln.compiler.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.testsupport.HostileShapes;
import dev.kiln.compiler.testsupport.StubBackend;
import dev.kiln.compiler.translate.FuncTranslator;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.CompileTimeoutException;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A compile budget ({@link CompileOptions#withTimeout}) stops a compile that outlasts it, on one
 * job or several, with the budget's own exception (not wrapped as a function's failure), and is
 * polled inside a function's translation, not only between functions: one huge function cannot
 * run past it (issue 35, finding 5).
 */
class CompileDeadlineTest {
  private static final Module NESTED = Wasm.load(HostileShapes.NESTED_BLOCKS.module(5_000));

  @Test
  void aSpentBudgetStopsTheCompileOnOneJobAndOnSeveral() {
    for (int jobs : new int[] {1, 2}) {
      CompileOptions options = new CompileOptions(jobs).withTimeout(Duration.ZERO);
      CompileTimeoutException e = assertThrows(CompileTimeoutException.class,
          () -> Compiler.compile(NESTED, new StubBackend(), options));
      assertEquals("compiling the functions took longer than the budget of 0 ms", e.getMessage());
    }
  }

  @Test
  void theTranslationOfOneFunctionPollsTheDeadline() {
    var env = Compiler.environment(NESTED, new StubBackend(), new CompileOptions(1));
    CompileTimeoutException e = assertThrows(CompileTimeoutException.class,
        () -> CompileDeadline.after(Duration.ZERO).call(() -> FuncTranslator.translate(env, 0)));
    assertTrue(Arrays.stream(e.getStackTrace()).anyMatch(f -> f.getClassName().equals(FuncTranslator.class.getName())),
        "thrown from inside the translation");
  }

  @Test
  void aGenerousBudgetChangesNothing() {
    Module small = Wasm.load(HostileShapes.NESTED_BLOCKS.module(50));
    byte[] without = ArtifactEmitter.link(Compiler.compile(small, new StubBackend(), new CompileOptions(1))).text();
    byte[] with = ArtifactEmitter.link(Compiler.compile(small, new StubBackend(),
        new CompileOptions(1).withTimeout(Duration.ofHours(1)))).text();
    assertEquals(Arrays.toString(without), Arrays.toString(with));
  }
}
