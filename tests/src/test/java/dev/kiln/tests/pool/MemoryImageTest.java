package dev.kiln.tests.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.pool.InstancePool;
import dev.kiln.loader.pool.PoolConfig;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.sys.MappingCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Copy-on-write memory images (issue 41, {@code instance.MemoryImages}): a module's data segments
 * mapped {@code MAP_PRIVATE} from a sealed in-memory file instead of copied. What one instance
 * writes must stay its own: not seen by a sibling instance, by the image (a later instance), or by
 * the next instance of a pool slot, whose reset returns the pages to the image; growth past the
 * image reads zero; and a data segment that needs a global still gets its bytes (copied).
 */
class MemoryImageTest {
  /** 8 KiB of 'A' at 0 and "tail" at 65,532, plus accessors; a second segment overwrites part of the first. */
  private static final String MODULE = """
      (module
        (memory 2 4)
        (data (i32.const 0) "%s")
        (data (i32.const 16) "over")
        (data (i32.const 65532) "tail")
        (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
        (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
        (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
      """.formatted("A".repeat(8192));
  private static final int AAAA = 0x41414141;
  private static final int OVER = 'o' | 'v' << 8 | 'e' << 16 | 'r' << 24;
  private static final int TAIL = 't' | 'a' << 8 | 'i' << 16 | 'l' << 24;

  private static long call(LoadedInstance instance, String name, long... args) {
    List<dev.kiln.loader.runtime.WasmValue> results = instance.invoke(name, args);
    return results.isEmpty() ? 0 : (int) results.getFirst().bits();
  }

  private static void assertInitial(LoadedInstance instance, String who) {
    assertEquals(AAAA, call(instance, "load", 0), who);
    assertEquals(OVER, call(instance, "load", 16), who + ": the later segment over the earlier one");
    assertEquals(AAAA, call(instance, "load", 8188), who);
    assertEquals(0, call(instance, "load", 8192), who + ": past the segment");
    assertEquals(TAIL, call(instance, "load", 65_532), who);
    assertEquals(0, call(instance, "load", 2 * 65_536 - 4), who);
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void writesStayInTheirInstanceNeitherInASiblingNorInTheImage(Target target) throws IOException {
    PooledCode.assumeRunnable(target);
    try (LoadedModule module = PooledCode.load(MODULE, target); NativeStore store = new NativeStore()) {
      LoadedInstance writer = LoadedInstance.instantiate(module, store);
      LoadedInstance sibling = LoadedInstance.instantiate(module, store);
      assertTrue(mappedFromImage(writer.memory(0).address()), "the memory's start is the image file, not a copy");
      assertInitial(writer, "writer");
      call(writer, "store", 0, 0x5EC2E7);
      call(writer, "store", 65_532, 0x5EC2E7);
      assertEquals(0x5EC2E7, call(writer, "load", 0));
      assertInitial(sibling, "a sibling made before the writes");
      try (LoadedInstance later = LoadedInstance.instantiate(module, store)) {
        assertInitial(later, "an instance made after the writes (the image is unchanged)");
      }
      assertEquals(2, call(writer, "grow", 1), "grows past the image");
      assertEquals(0, call(writer, "load", 2 * 65_536 + 8), "a grown page reads zero");
      assertEquals(0x5EC2E7, call(writer, "load", 65_532), "and the written image page keeps the write");
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aPooledSlotIsResetToTheImageAndKeepsItsMapping(Target target) {
    PooledCode.assumeRunnable(target);
    InstancePool pool = InstancePool.create(new PoolConfig(1, 1, 4, 64 << 10));
    try (LoadedModule module = PooledCode.load(MODULE, target);
        LoadedModule plain = PooledCode.load("""
            (module (memory 1) (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))
            """, target);
        NativeStore store = PooledCode.store(pool)) {
      try (LoadedInstance first = LoadedInstance.instantiate(module, store)) {
        call(first, "store", 0, 0x5EC2E7);
        call(first, "store", 4, 0x5EC2E7);
        call(first, "grow", 2);
        call(first, "store", 3 * 65_536, 0x5EC2E7);
      }
      long maps = MappingCalls.MMAP.countOnThisThread() + MappingCalls.MUNMAP.countOnThisThread();
      try (LoadedInstance again = LoadedInstance.instantiate(module, store)) {
        assertInitial(again, "the slot's next instance of the same module");
      }
      assertEquals(0, MappingCalls.MMAP.countOnThisThread() + MappingCalls.MUNMAP.countOnThisThread() - maps,
          "the same module again keeps the slot's image mapping");
      try (LoadedInstance other = LoadedInstance.instantiate(plain, store)) {
        assertEquals(0, call(other, "load", 0), "another module's instance in the slot sees none of the image");
        assertEquals(0, call(other, "load", 65_532));
      }
      try (LoadedInstance back = LoadedInstance.instantiate(module, store)) {
        assertInitial(back, "the module again after another one");
      }
    }
  }

  /**
   * A one-page memory whose 8 KiB image covers part of what a slot empties in place (as {@code
   * scripts/cycle-soak}'s module): the image's bytes are copied back over the pages the victim
   * wrote, zeros over the rest of the page, without a system call, again and again.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void aPooledSlotRestoresTheImageAndZerosInPlace(Target target) {
    PooledCode.assumeRunnable(target);
    InstancePool pool = InstancePool.create(new PoolConfig(1, 1, 4, 64 << 10));
    try (LoadedModule module = PooledCode.load("""
            (module
              (memory 1)
              (data (i32.const 0) "%s")
              (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
              (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1))))
            """.formatted("A".repeat(8192)), target);
        NativeStore store = PooledCode.store(pool)) {
      // The first instance makes the image file and maps it into the slot.
      LoadedInstance.instantiate(module, store).close();
      long advice = MappingCalls.MADVISE.countOnThisThread();
      long maps = MappingCalls.MMAP.countOnThisThread() + MappingCalls.MUNMAP.countOnThisThread();
      for (int round = 0; round < 10; round++) {
        try (LoadedInstance victim = LoadedInstance.instantiate(module, store)) {
          assertEquals(AAAA, call(victim, "load", 0), "round " + round);
          assertEquals(AAAA, call(victim, "load", 8188), "round " + round);
          assertEquals(0, call(victim, "load", 8192), "round " + round);
          assertEquals(0, call(victim, "load", 65_532), "round " + round);
          call(victim, "store", 0, 0x5EC2E7);
          call(victim, "store", 8188, 0x5EC2E7);
          call(victim, "store", 8192, 0x5EC2E7);
          call(victim, "store", 65_532, 0x5EC2E7);
        }
      }
      assertEquals(0, MappingCalls.MADVISE.countOnThisThread() - advice, "emptied in place, no MADV_DONTNEED");
      assertEquals(0, MappingCalls.MMAP.countOnThisThread() + MappingCalls.MUNMAP.countOnThisThread() - maps,
          "the slot keeps its image mapping");
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void segmentsAtAGlobalsOffsetAreCopied(Target target) throws IOException {
    PooledCode.assumeRunnable(target);
    String wat = """
        (module
          (global $at i32 (i32.const 16))
          (memory 1)
          (data (global.get $at) "%s")
          (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))
        """.formatted("B".repeat(8192));
    try (LoadedModule module = PooledCode.load(wat, target); NativeStore store = new NativeStore()) {
      LoadedInstance instance = LoadedInstance.instantiate(module, store);
      assertEquals(0x42424242, call(instance, "load", 16));
      assertEquals(0, call(instance, "load", 12));
      assertFalse(mappedFromImage(instance.memory(0).address()));
    }
  }

  /** Whether the mapping at {@code address} is a Kiln memory image (proc(5): /proc/self/maps names a memfd). */
  private static boolean mappedFromImage(long address) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
      String[] range = line.substring(0, line.indexOf(' ')).split("-");
      if (Long.compareUnsigned(address, Long.parseUnsignedLong(range[0], 16)) >= 0
          && Long.compareUnsigned(address, Long.parseUnsignedLong(range[1], 16)) < 0) {
        return line.contains("memfd:kiln-memory-image");
      }
    }
    return false;
  }
}
