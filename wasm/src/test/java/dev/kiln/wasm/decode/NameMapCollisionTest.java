package dev.kiln.wasm.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.kiln.wasm.module.NameSection;
import dev.kiln.wat.binary.WasmWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A name map's indices are the guest's: any strictly increasing u32s (spec 7.4.2). The JDK's
 * immutable maps ({@code Map.copyOf}) place a key by probing linearly from its hash modulo the
 * table size, so n indices 2n apart (2n a power of two) all start at the same slot and building the
 * map costs n^2/2 probes: 2^15 names took 5.5 s of CPU to compile (red team 6, F2's pattern). The
 * decoded maps must be ones that spread the hash and treeify a bin of Comparable keys.
 */
class NameMapCollisionTest {
  @Test
  void functionNamesAtIndicesThatShareAProbeSlotAreKeptInAMapThatSpreadsThem() {
    int n = 4096;
    int stride = 2 * n;
    WasmWriter map = new WasmWriter().u32(n);
    for (int i = 0; i < n; i++) {
      map.u32((long) i * stride).name(String.valueOf((char) ('a' + i % 26)));
    }
    // the function names subsection (spec 7.4.1): id 1, its size, the map
    byte[] bytes = new WasmWriter().u8(1).u32(map.size()).bytes(map).toByteArray();

    NameSection names = NameSectionDecoder.decode(bytes, 0, bytes.length);
    Map<Integer, String> functionNames = names.functionNames();
    assertEquals(n, functionNames.size());
    for (int i = 0; i < n; i++) {
      assertEquals(String.valueOf((char) ('a' + i % 26)), functionNames.get(i * stride));
    }
    assertFalse(functionNames.getClass().getName().startsWith("java.util.ImmutableCollections"),
        "guest indices in an open-addressing map: " + functionNames.getClass().getName());
  }

}
