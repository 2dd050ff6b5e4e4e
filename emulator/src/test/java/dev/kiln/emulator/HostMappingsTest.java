package dev.kiln.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.loader.sys.Protection;
import dev.kiln.loader.sys.VirtualMemory;
import org.junit.jupiter.api.Test;

/** Reading the process's own mappings: what the emulator may map into the guest. */
class HostMappingsTest {
  @Test
  void parsesAProcMapsLine() {
    HostMappings.Mapping m = HostMappings.parse(
        "7f12a4c00000-7f12a4c21000 rw-p 00000000 00:00 0                          [heap]");
    assertEquals(0x7f12a4c00000L, m.start());
    assertEquals(0x7f12a4c21000L, m.end());
    assertTrue(m.readable());
    assertTrue(m.writable());
    assertTrue(m.contains(0x7f12a4c20fffL));
    assertFalse(m.contains(0x7f12a4c21000L));
    HostMappings.Mapping guard = HostMappings.parse("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]");
    assertFalse(guard.readable());
    assertTrue(guard.contains(0xffffffffff600800L), "addresses compare unsigned");
  }

  @Test
  void findsCommittedAndReservedPagesWithTheirProtection() {
    try (VirtualMemory memory = VirtualMemory.reserve(1 << 20)) {
      memory.protect(0, 1 << 16, Protection.READ_WRITE);
      HostMappings.Mapping committed = HostMappings.containing(memory.address() + 100).orElseThrow();
      assertTrue(committed.readable() && committed.writable());
      assertTrue(committed.end() <= memory.address() + (1 << 16), "the reserved rest is another mapping");
      HostMappings.Mapping reserved = HostMappings.containing(memory.address() + (1 << 17)).orElseThrow();
      assertFalse(reserved.readable());
    }
  }
}
