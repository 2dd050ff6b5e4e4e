package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.kiln.artifact.Target;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * What the collector costs in Java allocation, counted (ThreadMXBean's bytes the thread allocated,
 * the same under any load): a slow path that only accounts another chunk makes no frame chains, and a
 * collection allocates a bounded amount whatever it copies (no allocation per object: each copy is one
 * {@code MemorySegment.copy}, the scan reads shapes from a table). Before the chains moved into the
 * collecting branch, the first loop allocated 335 bytes a slow path; now 82.
 */
class GcSlowPathAllocationTest {
  /** 16-byte structs, dropped at once: 4,096 per 64 KiB chunk, one slow path each. */
  private static final String GARBAGE = """
      (module
        (type $cell (struct (field i64)))
        (type $cells (array (mut (ref null $cell))))
        (global $all (mut (ref null $cells)) (ref.null $cells))
        (func (export "live") (param $n i32)
          (local $list (ref null $cell)) (local $array (ref null $cells))
          (local.set $array (array.new_default $cells (local.get $n)))
          (loop $again
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (array.set $cells (local.get $array) (local.get $n) (struct.new $cell (i64.extend_i32_u (local.get $n))))
            (br_if $again (local.get $n)))
          (global.set $all (local.get $array)))
        (func (export "garbage") (param $n i32)
          (loop $again
            (drop (struct.new $cell (i64.const 1)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br_if $again (local.get $n)))))
      """;

  @Test
  void slowPathsAndCollectionsAllocateLittleJava() {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (NativeStore store = new NativeStore(); LoadedModule module = GcModules.load(Target.X86_64, GARBAGE);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      int perCall = 64 * 4096; // 16 MiB of garbage: 256 slow paths
      for (int i = 0; i < 20; i++) {
        instance.invoke("garbage", perCall); // the JIT's warm-up
      }
      long collectionsBefore = store.gcCollections();
      long before = threads.getCurrentThreadAllocatedBytes();
      int calls = 10;
      for (int i = 0; i < calls; i++) {
        instance.invoke("garbage", perCall);
      }
      long bytes = threads.getCurrentThreadAllocatedBytes() - before;
      long collections = store.gcCollections() - collectionsBefore;
      long slowPaths = (long) calls * perCall * 16 / (64 * 1024);
      System.out.println("gc-alloc: " + bytes + " bytes over " + calls + " calls, " + slowPaths + " slow paths, "
          + collections + " collections: " + bytes / slowPaths + " a slow path, " + bytes / Math.max(1, collections)
          + " a collection");
      assertTrue(bytes < 160 * slowPaths, bytes + " bytes for " + slowPaths + " slow paths");

      instance.invoke("live", 100_000);
      for (int i = 0; i < 50; i++) {
        store.collectGarbage(new long[0], false);
      }
      long beforeCopies = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 10; i++) {
        assertEquals(100_000 * 16L + 8 + 100_000 * 8L, store.collectGarbage(new long[0], false));
      }
      long copyBytes = threads.getCurrentThreadAllocatedBytes() - beforeCopies;
      System.out.println("gc-alloc: " + copyBytes / 10 + " bytes a collection copying 100,001 objects");
      assertTrue(copyBytes / 10 < 4096, copyBytes / 10 + " bytes a collection: the copy and scan loops allocate");
    }
  }
}
