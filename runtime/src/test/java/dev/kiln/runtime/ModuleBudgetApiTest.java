package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.compiler.testsupport.ModuleBulk;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The embedding API bounds module-level work as {@code kiln run --timeout} does (issue 35, finding
 * F2): an engine's compile budget covers decoding and loading, not only the function jobs, and a
 * store's epoch deadline covers instantiation's loops over what the module declares. Each case
 * uses a budget or deadline already spent, and a module of a few thousand cheap entries that would
 * otherwise compile, load or instantiate in full (just over the 1024 items between two polls).
 */
class ModuleBudgetApiTest {
  private static final int ENTRIES = 1100;

  @Test
  void theCompileBudgetCoversDecoding() {
    Engine engine = Engine.builder().compileTimeout(Duration.ZERO).build();
    CompileTimeout e = assertThrows(CompileTimeout.class,
        () -> WasmModule.compile(engine, ModuleBulk.GLOBALS.module(ENTRIES)));
    assertEquals("decoding and validating the module took longer than the budget of 0 ms", e.getMessage());
  }

  @Test
  void theCompileBudgetCoversLoadingAnArtifact() {
    byte[] cwasm;
    try (WasmModule module = WasmModule.compile(Engine.create(), ModuleBulk.DATA_SEGMENTS.module(ENTRIES))) {
      cwasm = module.serialize();
    }
    Engine bounded = Engine.builder().compileTimeout(Duration.ZERO).build();
    CompileTimeout e = assertThrows(CompileTimeout.class, () -> WasmModule.deserialize(bounded, cwasm));
    assertEquals("loading the compiled module took longer than the budget of 0 ms", e.getMessage());
  }

  @Test
  void instantiationPastTheStoresDeadlineIsTheInterruptTrap() {
    Engine engine = Engine.builder().epochInterruption(true).build();
    // Custom sections are not instantiated: the other kinds each cost instantiation a loop.
    for (ModuleBulk kind : List.of(ModuleBulk.TYPES, ModuleBulk.GLOBALS, ModuleBulk.DATA_SEGMENTS,
        ModuleBulk.ELEMENT_SEGMENTS)) {
      try (WasmModule module = WasmModule.compile(engine, kind.module(ENTRIES)); Store store = new Store(engine)) {
        // A new store's deadline has passed already: instantiating ends at the first poll.
        Trap trap = assertThrows(Trap.class, () -> new Linker(store).instantiate(module), kind.name());
        assertEquals(Trap.INTERRUPT, trap.reason(), kind.name());
        // With a deadline ahead, the same module instantiates in the same store.
        store.setEpochDeadline(1);
        try (Instance instance = new Linker(store).instantiate(module)) {
          assertNotNull(instance.func("_start", Runnable.class), kind.name());
        }
      }
    }
  }

  /**
   * An array in a global's initialiser is as long as the guest says; its elements are written at
   * instantiation, polled like every other loop there (red team 8 F5). The one global's array has
   * just over the items between two polls.
   */
  @Test
  void anArrayInAGlobalsInitialiserIsWithinTheDeadline() {
    Engine engine = Engine.builder().epochInterruption(true).build();
    String wat = "(module (type $a (array (mut i32)))"
        + " (global (export \"g\") (ref $a) (array.new $a (i32.const 7) (i32.const " + ENTRIES + "))))";
    try (WasmModule module = WasmModule.compile(engine, dev.kiln.wat.Wat.toBinaryWithNames(wat, "array.wat"));
        Store store = new Store(engine)) {
      Trap trap = assertThrows(Trap.class, () -> new Linker(store).instantiate(module));
      assertEquals(Trap.INTERRUPT, trap.reason());
      store.setEpochDeadline(1);
      new Linker(store).instantiate(module).close();
    }
  }

  /**
   * Each defined tag gets a fresh identity at every instantiation, registered with the store: a loop
   * over the module's tags. The first instantiation walks the VMContext's layout (a field per tag,
   * polled) and keeps it for the module, so the second, in a store whose deadline has passed, meets
   * the tags only in that loop: it must poll too.
   */
  @Test
  void aModulesTagsAreMadeWithinTheDeadline() {
    Engine engine = Engine.builder().epochInterruption(true).build();
    String wat = "(module" + " (tag)".repeat(ENTRIES) + " (func (export \"_start\")))";
    try (WasmModule module = WasmModule.compile(engine, dev.kiln.wat.Wat.toBinaryWithNames(wat, "tags.wat"))) {
      try (Store first = new Store(engine)) {
        first.setEpochDeadline(1);
        new Linker(first).instantiate(module).close();
      }
      try (Store store = new Store(engine)) {
        Trap trap = assertThrows(Trap.class, () -> new Linker(store).instantiate(module));
        assertEquals(Trap.INTERRUPT, trap.reason());
      }
    }
  }

  @Test
  void codeWithoutEpochChecksIgnoresTheDeadlineAtInstantiationToo() {
    Engine engine = Engine.create();
    try (WasmModule module = WasmModule.compile(engine, ModuleBulk.GLOBALS.module(ENTRIES));
        Store store = new Store(engine); Instance instance = new Linker(store).instantiate(module)) {
      assertNotNull(instance.func("_start", Runnable.class));
    }
  }
}
