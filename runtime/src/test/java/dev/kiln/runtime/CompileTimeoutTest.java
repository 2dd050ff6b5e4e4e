package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.testsupport.HostileShapes;
import java.time.Duration;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link Engine.Builder#compileTimeout}: an embedder compiling a module it does not trust bounds
 * the compile; past the budget, one {@link KilnException} line, and the engine compiles the next
 * module as before.
 */
class CompileTimeoutTest {
  @Test
  void aCompilePastItsBudgetIsAKilnException() {
    Engine engine = Engine.builder().compileTimeout(Duration.ofMillis(1)).build();
    KilnException e = assertThrows(KilnException.class,
        () -> WasmModule.compile(engine, HostileShapes.NESTED_BLOCKS.module(20_000)));
    // Decoding 20,000 blocks may spend the millisecond already; which phase it ends in is the clock's.
    assertTrue(e.getMessage().endsWith(" took longer than the budget of 1 ms"), e.getMessage());
  }

  @Test
  void aModuleWithinItsBudgetRuns() {
    Engine engine = Engine.builder().compileTimeout(Duration.ofMinutes(1)).build();
    try (WasmModule module = WasmModule.compile(engine, HostileShapes.NESTED_BLOCKS.module(10));
        Store store = new Store(engine); Instance instance = new Linker(store).instantiate(module)) {
      assertEquals(45, instance.func("f", IntUnaryOperator.class).applyAsInt(0));
    }
  }

  @Test
  void aNegativeBudgetIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Engine.builder().compileTimeout(Duration.ofMillis(-1)));
  }
}
