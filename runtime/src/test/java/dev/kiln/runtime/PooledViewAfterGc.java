package dev.kiln.runtime;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The attacker's program of {@link PooledViewLifetimeTest}, run in a JVM of its own because the
 * failure it looks for is a SIGSEGV: keep only a {@link Memory#segment()} view of a pooled memory,
 * drop the engine, module, store and instance without closing any of them, collect garbage until
 * the engine is gone, then use the view. Prints one line per step; exits 0 when the view still
 * shows its own instance's bytes over pages that are still mapped and the pool is unmapped once the
 * view is garbage too, 3 when the pages under the live
 * view were unmapped (it does not touch them then: the parent reports instead of crashing), 4 when
 * the view shows bytes of another engine's instance.
 */
final class PooledViewAfterGc {
  static final String MODULE = """
      (module
        (memory (export "mem") 1 1)
        (func (export "put") (param i32 i64) (i64.store (local.get 0) (local.get 1))))
      """;
  static final long MINE = 0x1234_5678_9abcL;
  static final long SECRET = 0x5ec2_e75e_c2e7L;
  /** GC rounds after the engine is gone in which the pool's automatic arena could unmap its slots. */
  private static final int ROUNDS = 40;

  private PooledViewAfterGc() {}

  private record Kept(MemorySegment view, WeakReference<Engine> engine) {}

  /** Everything but the view becomes garbage when this returns; nothing is closed. */
  private static Kept leakView() {
    Engine engine = Engine.builder().pooling(PoolingAllocation.ofInstances(2).withMaxMemoryBytes(1 << 16)).build();
    WasmModule module = WasmModule.compile(engine, dev.kiln.wat.Wat.toBinaryWithNames(MODULE, "view.wat"));
    Instance instance = new Linker(new Store(engine)).instantiate(module);
    instance.func("put").call(Val.i32(16), Val.i64(MINE));
    return new Kept(instance.memory("mem").segment(), new WeakReference<>(engine));
  }

  public static void main(String[] args) throws Exception {
    Kept kept = leakView();
    MemorySegment view = kept.view();
    long address = view.address();
    System.out.println("view at 0x" + Long.toHexString(address) + " reads 0x" + Long.toHexString(view.get(JAVA_LONG, 16)));
    int rounds = 0;
    while (kept.engine().get() != null && rounds < 1000) {
      System.gc();
      rounds++;
    }
    if (kept.engine().get() != null) {
      System.out.println("the engine was never collected");
      System.exit(5);
    }
    for (int r = 0; r < ROUNDS && mapped(address); r++) {
      System.gc();
      Thread.sleep(5); // the automatic arena's cleaner runs on a thread of its own
    }
    if (!mapped(address)) {
      System.out.println("UNMAPPED: the pages under a live view were unmapped (scope alive " + view.scope().isAlive() + ")");
      System.exit(3);
    }
    // A second engine of the same sizes: with the first pool unmapped it would land on its addresses.
    Engine next = Engine.builder().pooling(PoolingAllocation.ofInstances(2).withMaxMemoryBytes(1 << 16)).build();
    WasmModule module = WasmModule.compile(next, dev.kiln.wat.Wat.toBinaryWithNames(MODULE, "view.wat"));
    Instance tenant = new Linker(new Store(next)).instantiate(module);
    tenant.func("put").call(Val.i32(16), Val.i64(SECRET));
    long seen;
    try {
      seen = view.get(JAVA_LONG, 16);
    } catch (IllegalStateException closed) {
      System.out.println("view refused: " + closed.getMessage());
      return;
    }
    if (seen != MINE) {
      System.out.println("FOREIGN: the view reads 0x" + Long.toHexString(seen));
      System.exit(4);
    }
    view.set(JAVA_LONG, 24, SECRET);
    if (tenant.memory("mem").segment().get(JAVA_LONG, 24) == SECRET) {
      System.out.println("FOREIGN: a write through the view reached the next engine's instance");
      System.exit(4);
    }
    System.out.println("view reads its own instance's bytes after " + rounds + " collections");
    // Once the view is garbage too, nothing holds the first pool: its mappings must go (no leak).
    kept = null;
    view = null;
    for (int r = 0; r < ROUNDS * 5 && mapped(address); r++) {
      System.gc();
      Thread.sleep(5);
    }
    if (mapped(address)) {
      System.out.println("LEAK: the first pool stayed mapped after its last view became garbage");
      System.exit(6);
    }
    System.out.println("the first pool was unmapped once its last view was garbage");
  }

  /** Whether {@code address} is in a read-write mapping of this process (proc(5), /proc/self/maps). */
  private static boolean mapped(long address) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
      String[] fields = line.split(" +");
      String[] range = fields[0].split("-");
      long start = HexFormat.fromHexDigitsToLong(range[0]);
      long end = HexFormat.fromHexDigitsToLong(range[1]);
      if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0) {
        return fields[1].startsWith("rw");
      }
    }
    return false;
  }
}
