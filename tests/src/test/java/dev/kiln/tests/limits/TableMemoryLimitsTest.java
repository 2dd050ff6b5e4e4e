package dev.kiln.tests.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.Limits;
import dev.kiln.artifact.info.MemoryType;
import dev.kiln.artifact.info.TableType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.artifact.vm.TableStorage;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.ResourceLimitException;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.StoreLimits;
import dev.kiln.loader.runtime.StoreResources;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.loader.sys.VirtualMemory;
import dev.kiln.loader.table.TableInstance;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tables against the store's byte limit (issue 35 finding 6): a guest under {@code --max-memory
 * 1MiB} grew 20 tables to 16M funcrefs each, 2.5 GiB of slots, because only linear memory counted.
 * Every way a guest or embedder makes the host commit table slots is tried here as an attacker
 * would: {@code table.grow} on many tables, a huge minimum, the default element limit, a host
 * table, a table shared through an import, and an element segment far into a huge table (whose
 * lazy-init image the module, not the store, would pay for). The assertions are on the store's
 * accounted bytes, which every commit goes through.
 */
class TableMemoryLimitsTest {
  private static final long MIB = 1 << 20;
  private static final int TABLES = 20;
  private static final int SIXTEEN_MI = 1 << 24;
  /** The byte limit alone, with the element limit lifted: what {@code --max-memory 1MiB} must bound. */
  private static final StoreLimits ONE_MIB = StoreLimits.DEFAULTS.withMaxMemoryBytes(MIB)
      .withMaxTableElements(Long.MAX_VALUE);

  /** A memory of one page, {@code TABLES} empty funcref tables, and a grow function for each. */
  private static final String MANY_TABLES = """
      (module
        (memory 1)
        %s
        (func (export "growMemory") (param i32) (result i32) (memory.grow (local.get 0)))
        %s)
      """.formatted(
      IntStream.range(0, TABLES).mapToObj(t -> "(table 0 funcref)").collect(Collectors.joining("\n")),
      IntStream.range(0, TABLES).mapToObj(t -> ("(func (export \"grow%d\") (param i32) (result i32)"
          + " (table.grow %d (ref.null func) (local.get 0)))").formatted(t, t)).collect(Collectors.joining("\n")));

  /** Bytes a table of {@code elements} commits: its header and slots in whole pages. */
  private static long tableBytes(long elements) {
    return VirtualMemory.pageAlign(TableStorage.HEADER_SIZE + elements * TableStorage.SLOT_SIZE);
  }

  private static int i32(List<WasmValue> results) {
    return (int) results.getFirst().bits();
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void twentyTablesGrownBy16MiElementsStayWithinOneMebibyte(Target target) {
    LimitedCode.assumeRunnable(target);
    try (NativeStore store = new NativeStore(ONE_MIB); LoadedModule module = load(MANY_TABLES, target)) {
      StoreResources.Budget bytes = store.resources().memoryBytes();
      try (LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
        for (int t = 0; t < TABLES; t++) {
          assertEquals(-1, i32(instance.invoke("grow" + t, SIXTEEN_MI)), "table " + t + " grown by 2^24");
        }
        long start = MemoryType.PAGE_SIZE + TABLES * tableBytes(0) + instance.hostBytes();
        assertEquals(start, bytes.used(), "the memory's page and every table's header page: refused grows took nothing");
        // Tables and memory share the one limit: what one table takes, the others and memory.grow lose.
        assertEquals(0, i32(instance.invoke("grow0", 100_000)));
        long afterTable = start - tableBytes(0) + tableBytes(100_000);
        assertEquals(afterTable, bytes.used());
        long left = MIB - afterTable;
        assertTrue(left < tableBytes(100_000) - tableBytes(0) && left < 2 * MemoryType.PAGE_SIZE, "left " + left);
        assertEquals(-1, i32(instance.invoke("grow1", 100_000)));
        assertEquals(-1, i32(instance.invoke("growMemory", 2)));
        assertEquals(1, i32(instance.invoke("growMemory", 1)));
        assertTrue(bytes.used() <= MIB, "used " + bytes.used());
      }
      assertEquals(0, bytes.used(), "a closed instance gives its tables' bytes back");
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aTableMinimumPastTheByteLimitFailsTheInstantiationInOneLine(Target target) {
    LimitedCode.assumeRunnable(target);
    try (NativeStore store = new NativeStore(ONE_MIB);
        LoadedModule module = load("(module (table 200000 funcref) (table 0 externref))", target)) {
      ResourceLimitException refused = assertThrows(ResourceLimitException.class,
          () -> LoadedInstance.instantiate(module, store));
      assertEquals("a table of 200000 elements needs " + tableBytes(200_000) + " bytes; " + store + " has "
          + StoreLimitsTest.hostBytes(module) + " of its "
          + MIB + "-byte memory limit in use", refused.getMessage());
      assertEquals(0, store.resources().memoryBytes().used());
      assertEquals(0, store.resources().tableElements().used());
      assertEquals(0, store.resources().count(StoreResources.Kind.TABLE));
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void withoutAnyLimitSetTheDefaultElementLimitBoundsTables(Target target) {
    LimitedCode.assumeRunnable(target);
    long limit = StoreLimits.DEFAULT_TABLE_ELEMENTS;
    try (NativeStore store = new NativeStore(); LoadedModule growing = load(MANY_TABLES, target);
        LoadedModule huge = load("(module (table " + (limit + 1) + " funcref))", target)) {
      try (LoadedInstance instance = LoadedInstance.instantiate(growing, store)) {
        assertEquals(-1, i32(instance.invoke("grow0", (int) limit + 1)));
        assertEquals(0, i32(instance.invoke("grow0", (int) limit / 2)));
        assertEquals(-1, i32(instance.invoke("grow1", (int) limit / 2 + 1)), "the limit is the store's, not a table's");
      }
      ResourceLimitException refused = assertThrows(ResourceLimitException.class,
          () -> LoadedInstance.instantiate(huge, store));
      assertEquals("a table of " + (limit + 1) + " elements needs " + (limit + 1) + " elements; " + store
          + " has 0 of its " + limit + "-element table limit in use", refused.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aHostTableAndATableSharedThroughAnImportAreCountedOnceAgainstTheSameBytes(Target target) {
    LimitedCode.assumeRunnable(target);
    // Externref: an instance importing a funcref table is pinned until the store closes (its
    // functions may be in the table), which would keep the table alive past the check below.
    TableType small = new TableType(ValType.EXTERNREF, Limits.of(0), false);
    String importer = """
        (module
          (import "host" "table" (table 0 externref))
          (func (export "grow") (param i32) (result i32) (table.grow 0 (ref.null extern) (local.get 0))))
        """;
    try (NativeStore store = new NativeStore(ONE_MIB); LoadedModule module = load(importer, target)) {
      StoreResources.Budget bytes = store.resources().memoryBytes();
      assertThrows(ResourceLimitException.class, () -> TableInstance.createHost(store,
          new TableType(ValType.EXTERNREF, Limits.of(200_000), false), 0, false));
      assertEquals(0, bytes.used());
      TableInstance host = TableInstance.createHost(store, small, 0, false);
      assertEquals(-1, host.grow(SIXTEEN_MI, 0), "Java's grow of a host table");
      ImportNamespace linker = new ImportNamespace(store, target);
      linker.define("host", "table", new Extern.Table(host));
      try (LoadedInstance first = linker.instantiate(module); LoadedInstance second = linker.instantiate(module)) {
        assertEquals(-1, i32(first.invoke("grow", SIXTEEN_MI)));
        assertEquals(0, i32(first.invoke("grow", 60_000)));
        assertEquals(60_000, i32(second.invoke("grow", 60_000)), "the importers grow one table");
        long instances = first.hostBytes() + second.hostBytes();
        assertEquals(host.committedBytes() + instances, bytes.used(), "counted once, as the host table's");
        assertEquals(tableBytes(120_000) + instances, bytes.used());
        assertEquals(-1, i32(second.invoke("grow", 20_000)), "20,000 more slots would pass 1 MiB");
      }
      host.close();
      assertEquals(0, bytes.used(), "freed once its importers and its handle are gone");
    }
  }

  /**
   * One element at the end of a table of 2^24: folded into a lazy-init image, it made the module
   * allocate a 64 MiB image (and as much Java heap) before the store saw the table; applied
   * eagerly, it costs the store the table's slots, which its limits refuse or allow.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void anElementSegmentFarIntoAHugeTableAllocatesNothingOutsideTheStore(Target target) {
    LimitedCode.assumeRunnable(target);
    String far = """
        (module
          (type $r (func (result i32)))
          (table %d funcref)
          (elem (i32.const %d) func $f)
          (func $f (result i32) (i32.const 42))
          (func (export "call") (param i32) (result i32) (call_indirect (type $r) (local.get 0))))
        """;
    try (LoadedModule huge = load(far.formatted(SIXTEEN_MI, SIXTEEN_MI - 1), target);
        LoadedModule big = load(far.formatted(100_000, 99_999), target)) {
      assertTrue(huge.lazyTables(), "compiled with table-lazy-init, where images are made");
      assertTrue(huge.tableInitPlan().image(0).byteSize() <= 64 * 1024,
          "image of " + huge.tableInitPlan().image(0).byteSize() + " bytes for one element");
      try (NativeStore store = new NativeStore(ONE_MIB)) {
        assertThrows(ResourceLimitException.class, () -> LoadedInstance.instantiate(huge, store));
        assertEquals(0, store.resources().memoryBytes().used());
      }
      // Applied eagerly, the far element still lands where the segment puts it.
      try (NativeStore store = new NativeStore(ONE_MIB); LoadedInstance instance = LoadedInstance.instantiate(big, store)) {
        assertEquals(42, i32(instance.invoke("call", 99_999)));
        assertEquals(tableBytes(100_000) + instance.hostBytes(), store.resources().memoryBytes().used());
      }
    }
  }

  private static LoadedModule load(String wat, Target target) {
    return LimitedCode.load(wat, target, ExecutionLimits.NONE);
  }
}
