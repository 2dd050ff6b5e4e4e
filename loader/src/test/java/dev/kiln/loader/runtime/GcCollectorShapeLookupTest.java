package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.gc.ObjectLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * A collection asks the store for an object shape once per type, not once or twice per object it
 * copies (GcCollector's shape table): the store's lookup is a map of boxed ids, which a JFR profile
 * of binary-trees showed as most of the collector's time. Counted, not timed.
 */
class GcCollectorShapeLookupTest {
  /** A list node: the 8-byte header and one reference field. */
  private static final int NODE_BYTES = ObjectLayout.FIELDS + 8;
  private static final GcCollector.Shape NODE = new GcCollector.Shape(ObjectLayout.Kind.STRUCT, NODE_BYTES,
      new int[] {ObjectLayout.FIELDS}, 0, false);
  private static final int NODE_TYPE = 300;

  @Test
  void aCollectionOfAThousandNodesOfOneTypeLooksTheShapeUpOnce() {
    int nodes = 1000;
    long semispace = (long) nodes * NODE_BYTES;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment heap = arena.allocate(2 * semispace, ObjectLayout.ALIGNMENT);
      long from = heap.address();
      long to = from + semispace;
      // node i links to node i + 1, the last to null; written back to front
      for (int i = 0; i < nodes; i++) {
        long node = from + (long) i * NODE_BYTES;
        heap.set(JAVA_INT, node - from + ObjectLayout.TYPE_ID, NODE_TYPE);
        heap.set(JAVA_INT, node - from + ObjectLayout.LENGTH, ObjectLayout.STRUCT_MARK);
        heap.set(JAVA_LONG, node - from + ObjectLayout.FIELDS, i + 1 < nodes ? node + NODE_BYTES : 0);
      }
      int[] lookups = new int[1];
      GcCollector collector = new GcCollector(id -> {
        lookups[0]++;
        assertEquals(NODE_TYPE, id);
        return NODE;
      }, from, from, from + semispace, to, to + semispace, null);
      long root = collector.relocate(from);
      assertEquals(to + semispace, collector.finish(), "every node copied");
      assertEquals(1, lookups[0], "shape lookups for " + nodes + " nodes of one type");
      // the copy is the whole list, in to-space
      int length = 0;
      for (long node = root; node != 0; node = heap.get(JAVA_LONG, node - from + ObjectLayout.FIELDS)) {
        assertTrue(node >= to && node < to + semispace, "node " + length + " in to-space");
        length++;
      }
      assertEquals(nodes, length);
    }
  }
}
