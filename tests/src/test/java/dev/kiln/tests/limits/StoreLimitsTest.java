package dev.kiln.tests.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.Limits;
import dev.kiln.artifact.info.MemoryType;
import dev.kiln.artifact.info.TableType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.memory.MemoryInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.ResourceLimitException;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.StoreLimits;
import dev.kiln.loader.runtime.StoreResources;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.loader.sys.VirtualMemory;
import dev.kiln.loader.table.TableInstance;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Per-store resource limits ({@code loader.runtime.StoreLimits}, issue 12 item 2) on both targets:
 * every way a memory or table gets bigger (the {@code memory.grow}/{@code table.grow} instructions,
 * Java's {@code grow}, instantiation with initial sizes, a host memory or table) is checked against
 * the store's total, counts of live instances, memories and tables, and wasm re-entered from host
 * functions past the depth limit.
 */
class StoreLimitsTest {
  private static final long PAGE = MemoryType.PAGE_SIZE;
  /** What an empty table commits (its header's page), which the store's byte limit counts too. */
  private static final long TABLE_PAGE = VirtualMemory.pageSize();

  /**
   * A memory of {@code pages} pages and a funcref table of {@code slots} slots, both growable. The
   * table is not exported: a funcref at the module's boundary would pin its instances until the
   * store closes (loader.runtime package documentation), and these tests watch closes give back.
   */
  private static String growable(int pages, int slots) {
    return """
        (module
          (memory (export "memory") %d)
          (table %d funcref)
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "size") (result i32) (memory.size))
          (func (export "growTable") (param i32) (result i32) (table.grow 0 (ref.null func) (local.get 0))))
        """.formatted(pages, slots);
  }

  private static int i32(List<WasmValue> results) {
    return (int) results.getFirst().bits();
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void memoryGrowPastTheStoresTotalReturnsMinusOneFromWasmAndFromJava(Target target) {
    LimitedCode.assumeRunnable(target);
    // Each instance's empty table holds its header page against the same limit, and so does its
    // VMContext (LoadedInstance.hostBytes).
    try (LoadedModule a = load(growable(2, 0), target); LoadedModule b = load(growable(1, 0), target)) {
      long hostA = hostBytes(a);
      long hostB = hostBytes(b);
      StoreLimits limits = StoreLimits.DEFAULTS.withMaxMemoryBytes(6 * PAGE + 2 * TABLE_PAGE + hostA + hostB);
      try (NativeStore store = new NativeStore(limits); LoadedInstance second = LoadedInstance.instantiate(b, store)) {
        LoadedInstance first = LoadedInstance.instantiate(a, store); // closed below; the store frees it in any case
        assertEquals(3 * PAGE + 2 * TABLE_PAGE + hostA + hostB, store.resources().memoryBytes().used());
        assertEquals(2, i32(first.invoke("grow", 2)), "4 + 1 pages: within the 6");
        assertEquals(-1, i32(second.invoke("grow", 2)), "4 + 3 pages would pass the store's limit");
        assertEquals(1, i32(second.invoke("size")), "a refused grow changes nothing");
        MemoryInstance memory = ((Extern.Memory) second.export("memory").orElseThrow()).memory();
        assertEquals(-1, memory.grow(2), "Java's grow is checked the same way");
        assertEquals(1, memory.grow(1));
        assertEquals(2, i32(second.invoke("size")), "compiled code sees Java's grow");
        assertEquals(-1, i32(first.invoke("grow", 1)));
        assertEquals(6 * PAGE + 2 * TABLE_PAGE + hostA + hostB, store.resources().memoryBytes().used());

        // Closing an instance gives its pages and its VMContext back to the store.
        first.close();
        assertEquals(2 * PAGE + TABLE_PAGE + hostB, store.resources().memoryBytes().used());
        assertEquals(2, i32(second.invoke("grow", 4)));
      }
    }
  }

  /** What an instance of {@code module} holds of its store's bytes besides memories and tables. */
  static long hostBytes(LoadedModule module) {
    try (NativeStore store = new NativeStore(); LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      return instance.hostBytes();
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void anInstantiationWhoseMemoryOrTableDoesNotFitFailsInOneLineAndLeavesNothingBehind(Target target) {
    LimitedCode.assumeRunnable(target);
    StoreLimits limits = StoreLimits.DEFAULTS.withMaxMemoryBytes(4 * PAGE).withMaxTableElements(100);
    try (NativeStore store = new NativeStore(limits); LoadedModule big = load(growable(5, 0), target);
        LoadedModule wideTable = load(growable(1, 101), target); LoadedModule fits = load(growable(3, 100), target)) {
      ResourceLimitException memory = assertThrows(ResourceLimitException.class, () -> LoadedInstance.instantiate(big, store));
      assertEquals("a memory of 5 pages needs 327680 bytes; " + store + " has " + hostBytes(big)
          + " of its 262144-byte memory limit in use",
          memory.getMessage());
      ResourceLimitException table = assertThrows(ResourceLimitException.class,
          () -> LoadedInstance.instantiate(wideTable, store));
      assertEquals("a table of 101 elements needs 101 elements; " + store + " has 0 of its 100-element table limit"
          + " in use", table.getMessage());
      for (StoreResources.Kind kind : StoreResources.Kind.values()) {
        assertEquals(0, store.resources().count(kind), kind + " left behind by a failed instantiation");
      }
      assertEquals(0, store.resources().memoryBytes().used());
      assertEquals(0, store.resources().tableElements().used());
      try (LoadedInstance instance = LoadedInstance.instantiate(fits, store)) {
        assertEquals(-1, i32(instance.invoke("grow", 1)), "3 pages and the table's page: no room for a fourth");
        assertEquals(-1, i32(instance.invoke("growTable", 1)));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void tableGrowPastTheStoresTotalReturnsMinusOneFromWasmAndFromJava(Target target) {
    LimitedCode.assumeRunnable(target);
    try (NativeStore store = new NativeStore(StoreLimits.DEFAULTS.withMaxTableElements(10));
        LoadedModule module = load(growable(0, 2), target); LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      TableInstance host = TableInstance.createHost(store, new TableType(ValType.FUNCREF, Limits.of(3), false), 0,
          true);
      assertEquals(2, i32(instance.invoke("growTable", 4)), "2 + 4 + 3 host elements: within the 10");
      assertEquals(-1, i32(instance.invoke("growTable", 2)));
      assertEquals(-1, host.grow(2, 0), "Java's grow of a host table");
      assertEquals(3, host.grow(1, 0));
      assertEquals(10, store.resources().tableElements().used());
      host.close();
      assertEquals(6, store.resources().tableElements().used(), "a freed host table gives its elements back");
      assertEquals(6, i32(instance.invoke("growTable", 3)));
      ResourceLimitException refused = assertThrows(ResourceLimitException.class, () -> TableInstance.createHost(store,
          new TableType(ValType.FUNCREF, Limits.of(2), false), 0, true));
      assertEquals("a table of 2 elements needs 2 elements; " + store + " has 9 of its 10-element table limit in use",
          refused.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void liveInstancesMemoriesAndTablesAreCounted(Target target) {
    LimitedCode.assumeRunnable(target);
    StoreLimits limits = StoreLimits.DEFAULTS.withMaxInstances(2).withMaxMemories(2).withMaxTables(2);
    TableType table = new TableType(ValType.FUNCREF, Limits.of(0), false);
    MemoryType memory = new MemoryType(Limits.of(0), false, false);
    try (NativeStore store = new NativeStore(limits); LoadedModule module = load(growable(0, 0), target)) {
      LoadedInstance first = LoadedInstance.instantiate(module, store);
      LoadedInstance second = LoadedInstance.instantiate(module, store);
      ResourceLimitException instances = assertThrows(ResourceLimitException.class,
          () -> LoadedInstance.instantiate(module, store));
      assertTrue(instances.getMessage().startsWith(store + " has 2 live instances, its limit; cannot create an"
          + " instance of"), instances.getMessage());
      second.close();
      MemoryInstance hostMemory = MemoryInstance.createHost(store, memory);
      TableInstance hostTable = TableInstance.createHost(store, table, 0, true);
      assertEquals(store + " has 2 live memories, its limit; cannot create a memory of 0 pages",
          assertThrows(ResourceLimitException.class, () -> MemoryInstance.createHost(store, memory)).getMessage());
      assertEquals(store + " has 2 live tables, its limit; cannot create a table of 0 elements",
          assertThrows(ResourceLimitException.class, () -> TableInstance.createHost(store, table, 0, true))
              .getMessage());
      assertThrows(ResourceLimitException.class, () -> LoadedInstance.instantiate(module, store),
          "an instance fits, its memory does not");
      hostMemory.close();
      hostTable.close();
      first.close();
      try (LoadedInstance _ = LoadedInstance.instantiate(module, store)) {
        for (StoreResources.Kind kind : StoreResources.Kind.values()) {
          // the module defines one memory and one table, and imports no host function
          assertEquals(kind == StoreResources.Kind.HOST_FUNCTION ? 0 : 1, store.resources().count(kind), kind.toString());
        }
      }
    }
  }

  /** {@code f(n)} calls the host's {@code down(n + 1)}, which calls {@code f} again: guest -> host -> guest. */
  private static final String RECURSIVE = """
      (module
        (import "env" "down" (func $down (param i32) (result i32)))
        (func (export "f") (param i32) (result i32) (call $down (i32.add (local.get 0) (i32.const 1)))))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void aGuestRecursingThroughTheHostTrapsAtTheDepthLimit(Target target) throws Exception {
    LimitedCode.assumeRunnable(target);
    assertEquals(5, deepestHostCall(target, StoreLimits.DEFAULTS.withMaxHostCallDepth(5)));
    assertEquals(0, deepestHostCall(target, StoreLimits.DEFAULTS.withMaxHostCallDepth(0)));
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void theDefaultDepthTrapsBeforeAOneMebibyteThreadStackOverflows(Target target) throws Exception {
    LimitedCode.assumeRunnable(target);
    // Before the limit, AArch64 on the emulator ran into a Java StackOverflowError here (about 10 KiB
    // of Java stack a level); native x86-64 ran out of its wasm stack budget.
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread thread = new Thread(null, () -> {
      try {
        outcome.set(deepestHostCall(target, StoreLimits.DEFAULTS));
      } catch (Throwable t) {
        outcome.set(t);
      }
    }, "small-stack", 1 << 20);
    thread.start();
    thread.join();
    assertEquals(StoreLimits.DEFAULT_HOST_CALL_DEPTH, outcome.get());
  }

  /**
   * Runs {@link #RECURSIVE} until it traps and checks that the trap is the depth limit's and comes
   * out of the outermost call; then, in the same store, recurses exactly as deep as the limit
   * allows, which returns. Returns the depth the first run reached: {@code f} entered from a host
   * function nested that deep (the host's {@code down(d)} runs once {@code f(d - 1)} was entered).
   */
  private static int deepestHostCall(Target target, StoreLimits limits) {
    AtomicInteger deepestDown = new AtomicInteger();
    AtomicInteger stopAt = new AtomicInteger(Integer.MAX_VALUE);
    AtomicReference<LoadedInstance> self = new AtomicReference<>();
    try (NativeStore store = new NativeStore(limits); LoadedModule module = load(RECURSIVE, target)) {
      ImportNamespace linker = new ImportNamespace(store, target);
      linker.defineFunction("env", "down", new FuncType(List.of(ValType.I32), List.of(ValType.I32)), args -> {
        int depth = (int) args.getFirst().bits();
        deepestDown.accumulateAndGet(depth, Math::max);
        return depth > stopAt.get() ? List.of(new WasmValue.I32(depth)) : self.get().invoke("f", depth);
      });
      try (LoadedInstance instance = linker.instantiate(module)) {
        self.set(instance);
        TrapException trap = assertThrows(TrapException.class, () -> instance.invoke("f", 0));
        assertEquals(TrapCode.HOST_CALL_DEPTH_EXCEEDED, trap.code());
        // One line: the reason once, the nesting as a number (issue 35).
        assertEquals("host call depth exceeded (through " + (limits.maxHostCallDepth() + 1) + " host call"
            + (limits.maxHostCallDepth() == 0 ? ")" : "s)"), trap.getMessage());
        int reached = deepestDown.get() - 1;
        stopAt.set(reached);
        assertEquals(reached + 1, i32(instance.invoke("f", 0)), "as deep as the limit allows, in the same store");
        return reached;
      }
    }
  }

  private static LoadedModule load(String wat, Target target) {
    return LimitedCode.load(wat, target, ExecutionLimits.NONE);
  }
}
