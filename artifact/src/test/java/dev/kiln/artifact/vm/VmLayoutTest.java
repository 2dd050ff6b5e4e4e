package dev.kiln.artifact.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class VmLayoutTest {
  static Stream<VmShape> shapes() {
    Random random = new Random(0x5eed);
    Stream<VmShape> fixed = Stream.of(
        VmShape.EMPTY,
        new VmShape(0, 0, 1, 0, 0, 0, 2, 0, 0, Builtin.COUNT),
        new VmShape(3, 1, 0, 1, 0, 2, 0, 1, 4, Builtin.COUNT),
        new VmShape(1, 1, 2, 1, 2, 1, 3, 5, 7, Builtin.COUNT),
        new VmShape(0, 0, 0, 0, 0, 3, 0, 0, 1, 0),
        new VmShape(2, 0, 1, 0, 1, 1, 1, 3, 3, Builtin.COUNT + 5));
    Stream<VmShape> randoms = Stream.generate(() -> new VmShape(random.nextInt(6),
        random.nextInt(3), random.nextInt(3), random.nextInt(3), random.nextInt(3),
        random.nextInt(6), random.nextInt(6), random.nextInt(6), random.nextInt(9),
        random.nextInt(Builtin.COUNT + 2), random.nextInt(3), random.nextInt(3))).limit(200);
    return Stream.concat(fixed, randoms);
  }

  @ParameterizedTest
  @MethodSource("shapes")
  void fieldsDoNotOverlapAreAlignedAndFitTheBlock(VmShape shape) {
    VmLayout layout = new VmLayout(shape);
    List<VmField> fields = layout.fields();
    int previousEnd = 0;
    for (VmField f : fields) {
      assertTrue(f.offset() >= previousEnd, () -> f + " overlaps the field before it in " + fields);
      int alignment = Math.min(f.size(), 8);
      assertEquals(0, f.offset() % alignment, () -> f + " is misaligned");
      previousEnd = f.end();
    }
    assertTrue(previousEnd <= layout.size(), "last field ends past size() " + layout.size());
    assertEquals(0, layout.size() % 16);
    assertEquals(0, fields.getFirst().offset());
    assertEquals("store_context", fields.getFirst().name());
    Set<String> names = new HashSet<>();
    for (VmField f : fields) {
      assertTrue(names.add(f.name()), "duplicate field " + f.name());
    }
    int expectedCount = 1 + shape.importedMemories() + 3 * shape.definedMemories()
        + shape.globals() + shape.importedTables() + 2 * shape.definedTables() + shape.builtins()
        + 3 * shape.importedFunctions() + 4 * shape.escapingFunctions() + shape.types()
        + 2 * shape.elementSegments() + 2 * shape.dataSegments();
    assertEquals(expectedCount, fields.size());
  }

  @ParameterizedTest
  @MethodSource("shapes")
  void definedGlobalsAre16ByteAlignedAndLocationsAgreeWithOffsets(VmShape shape) {
    VmLayout layout = new VmLayout(shape);
    for (int d = 0; d < shape.definedGlobals(); d++) {
      assertEquals(0, layout.definedGlobal(d) % 16);
      assertEquals(new VmLocation.Inline(layout.definedGlobal(d)),
          layout.global(shape.importedGlobals() + d));
    }
    for (int i = 0; i < shape.importedGlobals(); i++) {
      assertEquals(new VmLocation.ViaPointer(layout.importedGlobal(i)), layout.global(i));
    }
    for (int d = 0; d < shape.definedMemories(); d++) {
      assertEquals(new VmLocation.Inline(layout.memoryBase(d)),
          layout.memory(shape.importedMemories() + d));
      assertEquals(layout.memoryBase(d) + VmLayout.MEMORY_LENGTH, layout.memoryLength(d));
    }
    for (int i = 0; i < shape.importedMemories(); i++) {
      assertEquals(new VmLocation.ViaPointer(layout.importedMemory(i)), layout.memory(i));
    }
    for (int d = 0; d < shape.definedTables(); d++) {
      assertEquals(new VmLocation.Inline(layout.tableBase(d)),
          layout.table(shape.importedTables() + d));
    }
  }

  @Test
  void memoryZeroComesRightAfterTheStoreContext() {
    VmLayout defined = new VmLayout(new VmShape(2, 0, 1, 0, 1, 0, 2, 1, 1, Builtin.COUNT));
    assertEquals(8, defined.memoryBase(0));
    assertEquals(16, defined.memoryLength(0));
    VmLayout imported = new VmLayout(new VmShape(0, 1, 1, 0, 0, 0, 0, 0, 0, Builtin.COUNT));
    assertEquals(new VmLocation.ViaPointer(8), imported.memory(0));
    assertEquals(16, imported.memoryBase(0));
  }

  @Test
  void exampleShapeHasTheDocumentedOffsets() {
    // One memory, two globals, one import, one escaping function, two types, the builtins:
    // the package-info diagram's order, worked by hand.
    VmLayout l = new VmLayout(new VmShape(1, 0, 1, 0, 0, 0, 2, 1, 2, 2));
    assertEquals(0, VmLayout.STORE_CONTEXT);
    assertEquals(8, l.memoryBase(0));
    assertEquals(16, l.memoryLength(0));
    assertEquals(32, l.definedGlobal(0)); // right after the 24-byte memory record, 16-aligned
    assertEquals(48, l.definedGlobal(1));
    assertEquals(64, l.builtin(Builtin.MEMORY_GROW));
    assertEquals(72, l.builtin(Builtin.TRAP));
    assertEquals(80, l.importedFunction(0));
    assertEquals(104, l.funcRef(0));
    assertEquals(136, l.typeId(0));
    assertEquals(140, l.typeId(1));
    assertEquals(144, l.size());
  }

  @Test
  void indicesOutsideTheShapeAreRejected() {
    VmLayout l = new VmLayout(new VmShape(1, 0, 1, 0, 0, 0, 1, 0, 1, Builtin.COUNT));
    assertThrows(IndexOutOfBoundsException.class, () -> l.memoryBase(1));
    assertThrows(IndexOutOfBoundsException.class, () -> l.memory(1));
    assertThrows(IndexOutOfBoundsException.class, () -> l.importedMemory(0));
    assertThrows(IndexOutOfBoundsException.class, () -> l.global(1));
    assertThrows(IndexOutOfBoundsException.class, () -> l.funcRef(0));
    assertThrows(IndexOutOfBoundsException.class, () -> l.importedFunction(1));
    assertThrows(IndexOutOfBoundsException.class, () -> l.typeId(-1));
    assertThrows(IllegalArgumentException.class,
        () -> new VmShape(-1, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new VmShape(0, 0, 0, 0, 0, 0, 0, 0, VmShape.MAX_COUNT + 1, 0));
  }

  @Test
  void builtinIndicesAreOrdinalsAndRoundTrip() {
    for (Builtin b : Builtin.values()) {
      assertEquals(b, Builtin.ofIndex(b.index()));
    }
    assertEquals(0, Builtin.MEMORY_GROW.index());
    assertThrows(IllegalArgumentException.class, () -> Builtin.ofIndex(Builtin.COUNT));
  }
}
