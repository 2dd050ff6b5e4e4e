package dev.kiln.loader.table;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.info.Limits;
import dev.kiln.artifact.info.TableType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.vm.TableStorage;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.runtime.Lifetime;
import dev.kiln.loader.runtime.NativeStore;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TableInstanceTest {
  private static final TableType FUNCREF_4_8 = new TableType(ValType.FUNCREF, Limits.of(4, 8), false);

  private final NativeStore store = new NativeStore();
  /** Owns the tables a test makes as an instance would: they live in its arena. */
  private final Arena arena = Arena.ofShared();
  private final Lifetime owner = store.adopt("test tables", () -> { }, false);
  /** Two VMFuncRefs the store knows, so Java may write them into funcref tables. */
  private final MemorySegment funcRefs = arena.allocate(2 * VmLayout.FUNC_REF_SIZE, 32);
  private final long f0 = funcRefs.address();
  private final long f1 = f0 + VmLayout.FUNC_REF_SIZE;

  TableInstanceTest() {
    store.registerFunctionReferences(f0, 2, owner);
  }

  @AfterEach
  void close() {
    store.close();
    arena.close();
  }

  private TableInstance table(TableType type, long initRaw, TableInstance.LazyImage image) {
    return TableInstance.create(type, arena.allocate(VmLayout.TABLE_DEFINITION_SIZE, 16), initRaw, image, arena, owner);
  }

  @Test
  void definitionRecordFollowsSizeAndBase() {
    MemorySegment def = arena.allocate(VmLayout.TABLE_DEFINITION_SIZE, 16);
    TableInstance t = TableInstance.create(FUNCREF_4_8, def, 0, null, arena, owner);
    assertEquals(def.address(), t.definitionAddress());
    assertEquals(t.base(), def.get(JAVA_LONG, VmLayout.TABLE_BASE));
    assertEquals(4, def.get(JAVA_LONG, VmLayout.TABLE_LENGTH));
    assertEquals(4, t.grow(3, f0));
    assertEquals(7, def.get(JAVA_LONG, VmLayout.TABLE_LENGTH));
    assertEquals(f0, t.get(6));
    assertEquals(0, t.get(3));
    assertEquals(-1, t.grow(2, 0), "past the declared maximum of 8");
    assertEquals(7, t.size());
    assertEquals(7, t.grow(1, 0));
    assertEquals(8, t.grow(0, 0));
  }

  @Test
  void outOfBoundsAccessesThrowWithTheTableTrapCode() {
    try (TableInstance t = TableInstance.createHost(store, FUNCREF_4_8, 0, false)) {
      var e = assertThrows(TableInstance.TableOutOfBoundsException.class, () -> t.get(4));
      assertEquals(dev.kiln.artifact.tables.TrapCode.TABLE_OUT_OF_BOUNDS, e.trapCode());
      assertThrows(TableInstance.TableOutOfBoundsException.class, () -> t.set(-1, 0));
      assertThrows(TableInstance.TableOutOfBoundsException.class, () -> t.fill(2, 0, 3));
      assertThrows(TableInstance.TableOutOfBoundsException.class, () -> t.copy(0, t, 1, 4));
      t.fill(4, f1, 0); // an empty range at the end is in bounds (spec 4.4.6.7)
    }
  }

  @Test
  void javaMayWriteOnlyTheStoresFunctionReferencesIntoAFuncrefTable() {
    try (TableInstance t = TableInstance.createHost(store, FUNCREF_4_8, 0, false)) {
      for (long garbage : new long[] {0x40, f0 + 8, f1 + VmLayout.FUNC_REF_SIZE, -1}) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.set(0, garbage));
        assertTrue(e.getMessage().contains("is not a function reference of " + store), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.fill(0, garbage, 1));
        assertThrows(IllegalArgumentException.class, () -> t.grow(1, garbage));
      }
      assertEquals(0, t.get(0), "a refused write changes nothing");
      assertEquals(4, t.size());
      t.set(0, f1);
      assertEquals(f1, t.get(0));
    }
    assertThrows(IllegalArgumentException.class, () -> TableInstance.createHost(store, FUNCREF_4_8, 0x40, false));
    try (NativeStore other = new NativeStore()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> TableInstance.createHost(other, FUNCREF_4_8, f0, false));
      assertTrue(e.getMessage().contains("is not a function reference of " + other), e.getMessage());
    }
  }

  @Test
  void aHostTableIsFreedWhenClosedAndItsViewsFailClearly() {
    TableInstance t = TableInstance.createHost(store, FUNCREF_4_8, 0, false);
    t.close();
    assertTrue(!t.owner().isAlive(), "nothing imported it, so closing freed it");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.get(0));
    assertTrue(e.getMessage().contains("was freed"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> t.set(0, 0));
    t.close();
  }

  /** A lazy table whose image puts escape index 1 in slot 0 and escape index 0 in slot 2. */
  private TableInstance lazyTable() {
    MemorySegment image = arena.allocate(JAVA_INT, 3);
    image.setAtIndex(JAVA_INT, 0, 2);
    image.setAtIndex(JAVA_INT, 1, 0);
    image.setAtIndex(JAVA_INT, 2, 1);
    return table(FUNCREF_4_8, 0, new TableInstance.LazyImage(image, f0));
  }

  @Test
  void lazySlotsStartUninitialisedAndResolveFromTheImageOnRead() {
    TableInstance t = lazyTable();
    assertTrue(t.lazy());
    for (int i = 0; i < 4; i++) {
      assertEquals(0, t.storedSlots().getAtIndex(JAVA_LONG, i), "untouched slot " + i);
    }
    assertEquals(f1, t.get(0));
    assertEquals(f1 | TableStorage.INIT_BIT, t.storedSlots().getAtIndex(JAVA_LONG, 0), "resolved slot is tagged");
    assertEquals(0, t.get(1), "image entry 0 is null");
    assertEquals(TableStorage.INIT_BIT, t.storedSlots().getAtIndex(JAVA_LONG, 1));
    assertEquals(0, t.get(3), "past the image: null");
    assertEquals(f0, t.get(2));
  }

  @Test
  void lazyCopyFillAndGrowOverUninitialisedSlotsKeepImageValues() {
    TableInstance t = lazyTable();
    // Slot 0 (image: f1) copied onto slot 1 (image: null) before either was read.
    t.copy(1, t, 0, 1);
    assertEquals(f1, t.get(1));
    assertEquals(f1, t.get(0));
    // Overlapping copy downwards over still-uninitialised slot 2 (image: f0).
    t.copy(3, t, 2, 1);
    assertEquals(f0, t.get(3));
    t.fill(0, 0, 2);
    assertEquals(0, t.get(0));
    assertEquals(TableStorage.INIT_BIT, t.storedSlots().getAtIndex(JAVA_LONG, 0));
    assertEquals(4, t.grow(2, f1));
    assertEquals(f1, t.get(5));
    assertEquals(f1 | TableStorage.INIT_BIT, t.storedSlots().getAtIndex(JAVA_LONG, 4));
    assertEquals(6, t.grow(1, 0));
    assertEquals(0, t.get(6));
  }

  @Test
  void copyBetweenALazyAndAStrictTableMovesPlainValues() {
    TableInstance lazy = lazyTable();
    try (TableInstance strict = TableInstance.createHost(store, FUNCREF_4_8, 0, false)) {
      strict.copy(0, lazy, 0, 3);
      assertEquals(f1, strict.storedSlots().getAtIndex(JAVA_LONG, 0));
      assertEquals(0, strict.get(1));
      assertEquals(f0, strict.get(2));
      strict.set(3, f0);
      lazy.copy(3, strict, 3, 1);
      assertEquals(f0 | TableStorage.INIT_BIT, lazy.storedSlots().getAtIndex(JAVA_LONG, 3));
    }
  }

  @Test
  void aLazyHostTableHasTaggedSlotsAndNoImage() {
    try (TableInstance t = TableInstance.createHost(store, FUNCREF_4_8, f0, true)) {
      assertTrue(t.lazy());
      assertEquals(f0, t.get(3));
      assertEquals(f0 | TableStorage.INIT_BIT, t.storedSlots().getAtIndex(JAVA_LONG, 0));
      t.set(1, 0);
      assertEquals(0, t.get(1));
    }
    try (TableInstance t = TableInstance.createHost(store, FUNCREF_4_8, 0, true)) {
      assertEquals(0, t.storedSlots().getAtIndex(JAVA_LONG, 2), "null start: uninitialised");
      assertEquals(0, t.get(2));
      assertEquals(TableStorage.INIT_BIT, t.storedSlots().getAtIndex(JAVA_LONG, 2));
    }
  }

  @Test
  void externrefTablesAreNeverTaggedEvenWithAnImageAndHoldAnyHandle() {
    TableType ext = new TableType(ValType.EXTERNREF, Limits.of(2), false);
    var image = new TableInstance.LazyImage(arena.allocate(JAVA_INT, 2), 0);
    TableInstance t = table(ext, 7, image);
    assertEquals(7, t.get(1));
    t.set(0, 0x1235);
    assertEquals(0x1235, t.storedSlots().getAtIndex(JAVA_LONG, 0));
  }

  @Test
  void elementItemsInitialiseARangeAndAreBoundsChecked() {
    try (TableInstance t = TableInstance.createHost(store, FUNCREF_4_8, 0, false)) {
      MemorySegment items = arena.allocate(JAVA_LONG, 3);
      items.setAtIndex(JAVA_LONG, 0, 0x100);
      items.setAtIndex(JAVA_LONG, 1, 0x200);
      items.setAtIndex(JAVA_LONG, 2, 0x300);
      t.init(2, items, 1, 2);
      assertEquals(0x200, t.get(2));
      assertEquals(0x300, t.get(3));
      assertThrows(TableInstance.TableOutOfBoundsException.class, () -> t.init(0, items, 2, 2));
      assertThrows(TableInstance.TableOutOfBoundsException.class, () -> t.init(3, items, 0, 2));
    }
  }
}
