package dev.kiln.compiler.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.Reloc;
import dev.kiln.codegen.RelocKind;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.CompileTimeoutException;
import dev.kiln.deadline.Phase;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The linker's loops poll the compile's budget: a module chooses how many functions there are (up
 * to 2^20, each with its trampolines) and how many calls each makes, and linking walks them all
 * (reachability, layout, copying and patching, the side tables, the function index) after the last
 * function compiled. Each public step of the link is run under a spent budget on its own.
 */
class LinkerBudgetTest {
  private static final int FUNCTIONS = 4 * CompileDeadline.POLL_INTERVAL;

  /** {@code FUNCTIONS} functions, each a {@code call rel32} to the next and a {@code ret}. */
  private static TreeMap<FuncKey, CompiledFunction> chain() {
    TreeMap<FuncKey, CompiledFunction> functions = new TreeMap<>();
    for (int i = 0; i < FUNCTIONS; i++) {
      FuncKey next = FuncKey.definedWasmFunction(0, (i + 1) % FUNCTIONS);
      functions.put(FuncKey.definedWasmFunction(0, i), new CompiledFunction(
          new byte[] {(byte) 0xE8, 0, 0, 0, 0, (byte) 0xC3},
          List.of(new Reloc(1, RelocKind.X86_CALL_PC_REL4, next.raw(), -4)), List.of(), List.of()));
    }
    return functions;
  }

  private static void stopsAtTheBudget(Supplier<?> step) {
    CompileTimeoutException e = assertThrows(CompileTimeoutException.class,
        () -> CompileDeadline.after(Duration.ZERO).call(step));
    assertEquals(Phase.ASSEMBLY, e.phase());
  }

  @Test
  void linkingManyFunctionsPollsTheBudget() {
    TreeMap<FuncKey, CompiledFunction> functions = chain();
    stopsAtTheBudget(() -> new Linker(Target.X86_64).link(functions, List.of(FuncKey.definedWasmFunction(0, 0)),
        FuncKey::toString));
  }

  @Test
  void theLinkedTextsTablesAndIndexPollTheBudget() {
    LinkedText linked = new Linker(Target.X86_64).link(chain(), List.of(FuncKey.definedWasmFunction(0, 0)),
        FuncKey::toString);
    assertEquals(FUNCTIONS, linked.functions().size(), "every function reached through the chain of calls");
    stopsAtTheBudget(linked::functionIndex);
    stopsAtTheBudget(linked::inlineSites);
  }
}
