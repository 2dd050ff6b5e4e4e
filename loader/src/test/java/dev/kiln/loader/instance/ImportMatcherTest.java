package dev.kiln.loader.instance;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.GlobalType;
import dev.kiln.artifact.info.Import;
import dev.kiln.artifact.info.ImportDesc;
import dev.kiln.artifact.info.Limits;
import dev.kiln.artifact.info.MemoryType;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.artifact.info.TableType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.loader.global.GlobalInstance;
import dev.kiln.loader.host.HostFunction;
import dev.kiln.loader.memory.MemoryInstance;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.loader.table.TableInstance;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Import matching (spec 4.5.2) against real externs, one rule per test. */
class ImportMatcherTest {
  private static final FuncType I32_TO_I32 = new FuncType(List.of(ValType.I32), List.of(ValType.I32));

  private final NativeStore store = new NativeStore();
  private final MemoryInstance memory = MemoryInstance.createHost(store, memoryType(2, 5));
  private final GlobalInstance global =
      GlobalInstance.create(store, new GlobalType(ValType.I64, true), new WasmValue.I64(3));
  private final TableInstance table = TableInstance.createHost(store,
      new TableType(ValType.FUNCREF, new Limits(4, OptionalLong.empty()), false), 0, false);

  @AfterEach
  void close() {
    store.close();
  }

  private static MemoryType memoryType(long min, long max) {
    return new MemoryType(new Limits(min, max < 0 ? OptionalLong.empty() : OptionalLong.of(max)), false, false);
  }

  private static ModuleInfo importing(ImportDesc desc) {
    return new ModuleInfo(List.of(I32_TO_I32), List.of(new Import("m", "x", desc)), List.of(), List.of(), List.of(),
        List.of(), List.of(), OptionalInt.empty(), List.of(), List.of(), List.of(), Map.of());
  }

  private void incompatible(ModuleInfo info, Extern extern) {
    ImportLinkException e = assertThrows(ImportLinkException.class, () -> check(info, List.of(extern)));
    assertTrue(e.getMessage().startsWith("incompatible import type"), e.getMessage());
  }

  /** The matcher outside any instantiation: no deadline to tick. */
  private void check(ModuleInfo info, List<Extern> externs) {
    ImportMatcher.check(info, externs, store.types(), InstantiationDeadline.NONE);
  }

  @Test
  void aMemoryMatchesWhenItsCurrentSizeCoversTheMinimumAndItsMaximumFitsTheImports() {
    Extern m = new Extern.Memory(memory);
    assertDoesNotThrow(() -> check(importing(new ImportDesc.Memory(memoryType(1, -1))), List.of(m)));
    assertDoesNotThrow(() -> check(importing(new ImportDesc.Memory(memoryType(2, 5))), List.of(m)));
    incompatible(importing(new ImportDesc.Memory(memoryType(3, -1))), m);
    incompatible(importing(new ImportDesc.Memory(memoryType(1, 4))), m);
    // Growing raises the size import matching sees (spec 4.5.2 uses the current size).
    memory.grow(1);
    assertDoesNotThrow(() -> check(importing(new ImportDesc.Memory(memoryType(3, -1))), List.of(m)));
  }

  @Test
  void anImportWithAMaximumNeedsOneFromATableWithout() {
    Extern t = new Extern.Table(table);
    TableType bounded = new TableType(ValType.FUNCREF, new Limits(1, OptionalLong.of(10)), false);
    incompatible(importing(new ImportDesc.Table(bounded)), t);
    assertDoesNotThrow(() -> check(importing(new ImportDesc.Table(
        new TableType(ValType.FUNCREF, new Limits(4, OptionalLong.empty()), false))), List.of(t)));
    incompatible(importing(new ImportDesc.Table(new TableType(ValType.EXTERNREF, new Limits(1, OptionalLong.empty()),
        false))), t);
  }

  @Test
  void globalsMatchOnValueTypeAndMutability() {
    Extern g = new Extern.Global(global);
    assertDoesNotThrow(() -> check(importing(new ImportDesc.Global(new GlobalType(ValType.I64, true))),
        List.of(g)));
    incompatible(importing(new ImportDesc.Global(new GlobalType(ValType.I64, false))), g);
    incompatible(importing(new ImportDesc.Global(new GlobalType(ValType.I32, true))), g);
  }

  @Test
  void functionsMatchOnTheirExactTypeAndKindsMustAgree() {
    HostFunction host = HostFunction.create(store, I32_TO_I32, args -> args);
    try {
      Extern f = new Extern.Function(host.function());
      assertDoesNotThrow(() -> check(importing(new ImportDesc.Function(0)), List.of(f)));
      incompatible(importing(new ImportDesc.Memory(memoryType(1, -1))), f);
      incompatible(importing(new ImportDesc.Function(0)), new Extern.Global(global));
    } finally {
      host.close();
    }
  }

  @Test
  void aMissingExternIsAnUnknownImport() {
    ImportLinkException e = assertThrows(ImportLinkException.class,
        () -> check(importing(new ImportDesc.Function(0)), List.of()));
    assertTrue(e.getMessage().startsWith("unknown import"), e.getMessage());
  }
}
