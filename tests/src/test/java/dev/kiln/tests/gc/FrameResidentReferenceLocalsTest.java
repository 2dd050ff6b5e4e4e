package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.elf.KilnSection;
import dev.kiln.artifact.seal.ArtifactSeal;
import dev.kiln.artifact.tables.StackMapTable;
import dev.kiln.artifact.tables.TextSites;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.StoreLimits;
import dev.kiln.tests.support.Artifacts;
import dev.kiln.tests.support.BoxedLocals;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A function whose reference locals, live across its safepoints, would cost more spills than its
 * body's size allows keeps them in frame slots for its whole run (compiler translate.ReferenceLiveness,
 * GcSafepoints): N locals live across M calls cost code in N + M, not N x M spills and reloads, a
 * compile whose allocation grows about as the code does, and stack maps in N + M too, the slots kept
 * once per function and each map naming them by the function's resident set (issues 35 and 39), and
 * under {@link GcStress}, where every allocation collects
 * and moves every object, each slot-held local is still a root the collector rewrites, through a
 * loop, branches, a {@code br_table} and exception edges into a {@code try_table}'s and a legacy
 * {@code try}'s catch (the shapes ReferenceLivenessTest checks for spilled locals).
 */
class FrameResidentReferenceLocalsTest {
  /** One job: the function is compiled on the calling thread, whose allocation the test counts. */
  private static final CompileOptions ONE_THREAD = CompileOptions.defaults().withJobs(1);

  /**
   * {@code locals} anyref locals, each set from a parameter before {@code calls} calls of an import
   * (which no inlining removes) and all read after them: every local is live across every call.
   */
  private static String liveAcrossCalls(int locals, int calls) {
    StringBuilder wat = new StringBuilder(
        "(module (import \"env\" \"f\" (func $f)) (func (export \"run\") (param $p i32) (result i32)");
    wat.append(" (local anyref)".repeat(locals));
    for (int i = 1; i <= locals; i++) {
      wat.append(" (local.set ").append(i).append(" (ref.i31 (local.get $p)))");
    }
    wat.append(" (call $f)".repeat(calls)).append(" (i32.const 0)");
    for (int i = 1; i <= locals; i++) {
      wat.append(" (i32.add (i31.get_s (ref.cast i31ref (local.get ").append(i).append("))))");
    }
    return wat.append("))").toString();
  }

  private static long textBytes(byte[] artifact) {
    return CwasmFile.open(MemorySegment.ofArray(artifact)).text().byteSize();
  }

  private static long stackMapSlots(byte[] artifact) {
    long[] slots = {0};
    CwasmFile.open(MemorySegment.ofArray(artifact)).stackMaps().forEach((offset, map) -> slots[0] += map.count());
    return slots[0];
  }

  private static long stackMapBytes(byte[] artifact) {
    return CwasmFile.open(MemorySegment.ofArray(artifact)).section(KilnSection.STACKMAPS).byteSize();
  }

  /** What decoding the stack map table for the collector's frame walk allocates (LoadedModule's first walk). */
  private static long stackMapDecodeAllocation(ThreadMXBean threads, byte[] artifact) {
    StackMapTable table = CwasmFile.open(MemorySegment.ofArray(artifact)).stackMaps();
    table.sites(); // the classes loaded first
    long before = threads.getCurrentThreadAllocatedBytes();
    TextSites<StackMapTable.StackMap> sites = table.sites();
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(sites.size() > 0, "the table has safepoints");
    return allocated;
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void liveLocalsAcrossCallsCostLinearCode(Target target) {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    Artifacts.fromWat(liveAcrossCalls(20, 20), Artifacts.backend(target), ONE_THREAD); // the classes loaded first
    long before = threads.getCurrentThreadAllocatedBytes();
    byte[] small = Artifacts.fromWat(liveAcrossCalls(250, 250), Artifacts.backend(target), ONE_THREAD);
    long smallAllocated = threads.getCurrentThreadAllocatedBytes() - before;
    before = threads.getCurrentThreadAllocatedBytes();
    byte[] large = Artifacts.fromWat(liveAcrossCalls(500, 500), Artifacts.backend(target), ONE_THREAD);
    long largeAllocated = threads.getCurrentThreadAllocatedBytes() - before;
    long smallText = textBytes(small);
    long largeText = textBytes(large);
    long largeMaps = stackMapBytes(large);
    long largeSlots = stackMapSlots(large);
    long decodeAllocated = stackMapDecodeAllocation(threads, large);
    System.out.printf("frame-resident %s: 250x250 text %,d artifact %,d compile %,d B; 500x500 text %,d artifact %,d"
        + " compile %,d B, %,d stack map slots in %,d bytes, decoded with %,d B%n", target, smallText, small.length,
        smallAllocated, largeText, large.length, largeAllocated, largeSlots, largeMaps, decodeAllocated);
    // Doubling N and M doubles linear costs and quadruples N x M ones; 3x separates them. Spilled, 500
    // locals live across 500 calls were 250,000 stores and loads: 9.5 MB of x86-64 code, and the compile
    // allocated 5.1 GB (4.7x the 250 x 250 compile's). Every map naming every resident slot was
    // 438,560 bytes of .kiln.stackmaps and 250,000 ints decoded (format 11); each map still names all
    // 500 locals, by the function's resident set.
    assertAll(
        () -> assertTrue(largeText < 3 * smallText, "code " + smallText + " -> " + largeText + " bytes"),
        () -> assertTrue(largeText < 128L * (500 + 500), largeText + " bytes of code for 500 locals and 500 calls"),
        () -> assertTrue(largeAllocated < 3 * smallAllocated,
            "compile allocation " + smallAllocated + " -> " + largeAllocated + " bytes"),
        () -> assertTrue(largeAllocated < 256L << 20, largeAllocated + " bytes allocated by the compile"),
        () -> assertTrue(largeMaps < 8L * (500 + 500), largeMaps + " bytes of stack maps for 500 locals and 500 calls"),
        () -> assertEquals(500L * 500, largeSlots, "every map names every local"),
        () -> assertTrue(decodeAllocated < 256L * (500 + 500),
            decodeAllocated + " bytes allocated decoding the stack maps for the frame walk"));
  }

  /**
   * The collector rewrites every slot of a function's resident set under each of its safepoints, so
   * the set is checked at load as an entry's own slots are: a set naming the word at the frame
   * pointer, resealed as a faulty writer would, refuses the load before any code runs.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void aResidentSlotOutsideItsFrameRefusesTheLoad(Target target) {
    assumeTrue(Executors.canRun(target), "this host cannot run " + target + " code");
    byte[] artifact = Artifacts.fromWat(residentModule(), Artifacts.backend(target));
    StackMapBytes maps = StackMapBytes.of(artifact);
    assertEquals(4, maps.sets().size(), "one resident set for each function past the budget");
    assertTrue(maps.entries().stream().allMatch(e -> e.residentSet() >= 0 || e.slots().length > 0),
        "an entry without a set has slots of its own");
    StackMapBytes.Set set = maps.sets().getFirst();
    assertEquals(LOCALS, set.slots().length);
    StackMapBytes.setByte(artifact, set.slotAt()[0], set.frame() / 8); // the word at the frame pointer
    ArtifactSeal.seal(artifact);
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class,
        () -> LoadedModule.fromBytes(artifact, null, ExecutionLimits.NONE).close());
    assertTrue(e.getMessage().contains("outside its frame") && e.getMessage().contains(".kiln.stackmaps"),
        e.getMessage());
  }

  /**
   * A resident set is one function's: named from another function's entries, resealed as a faulty
   * writer or an attacker would, it would have the collector read and rewrite words of their frame
   * that hold none of its references, and the frames' depths cannot tell (two functions alike in
   * everything but their export name have frames as deep and sets as large). One entry moved to the
   * other function's set, and every entry of a function, each refuse the load.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void anEntryNamingAnotherFunctionsResidentSetRefusesTheLoad(Target target) {
    assumeTrue(Executors.canRun(target), "this host cannot run " + target + " code");
    BoxedLocals locals = new BoxedLocals(LOCALS);
    String body = "(param $k i32) (result i64) (local $s i64)" + locals.declarations() + locals.init(1000)
        + " (call $garbage)".repeat(CALLS) + locals.sum() + " (local.get $s))";
    byte[] original = Artifacts.fromWat("(module (type $box (struct (field $v i64)))"
        + " (func $garbage (drop (struct.new $box (i64.const -1))))"
        + " (func (export \"a\") " + body + " (func (export \"b\") " + body + ")", Artifacts.backend(target));
    StackMapBytes maps = StackMapBytes.of(original);
    assertEquals(2, maps.sets().size(), "a resident set for each of the two functions");
    assertEquals(maps.sets().get(0).frame(), maps.sets().get(1).frame(), "frames as deep");
    assertEquals(maps.sets().get(0).slots().length, maps.sets().get(1).slots().length, "sets as large");
    List<StackMapBytes.Entry> second = maps.entries().stream().filter(e -> e.residentSet() == 1).toList();
    for (List<StackMapBytes.Entry> damaged : List.of(second.subList(1, 2), second)) {
      byte[] artifact = original.clone();
      for (StackMapBytes.Entry entry : damaged) {
        StackMapBytes.setByte(artifact, entry.residentSetAt(), 0);
      }
      ArtifactSeal.seal(artifact);
      CorruptArtifactException e = assertThrows(CorruptArtifactException.class,
          () -> LoadedModule.fromBytes(artifact, null, ExecutionLimits.NONE).close(), damaged.size() + " entries moved");
      assertTrue(e.getMessage().contains("names resident set 0") && e.getMessage().contains(".kiln.stackmaps"),
          e.getMessage());
    }
  }

  private static final String RESIDENT = """
      (module
        (type $box (struct (field $v i64)))
        (tag $oops)
        (func $garbage (drop (struct.new $box (i64.const -1))) (drop (struct.new $box (i64.const -2))))
        (func $garbageThenThrow (call $garbage) (throw $oops))
        ;; LOCALS locals $x.. live across every call: the budget is passed and they are frame-resident.
        ;; A loop: each iteration reads them, calls, rewrites one; a branch picks which.
        (func (export "loop") (param $k i32) (result i64)
          (local $i i32) (local $s i64) LOCAL_DECLS
          INIT
          (loop $again
            CALLS
            (if (i32.and (local.get $i) (i32.const 1))
              (then (local.set $x0 (struct.new $box (i64.extend_i32_u (local.get $i)))))
              (else (local.set $x1 (struct.new $box (i64.extend_i32_u (local.get $i))))))
            (call $garbage)
            (br_if $again (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $k))))
          SUM
          (local.get $s))
        ;; an exception edge: the catch reads the locals the throwing call held
        (func (export "intoCatch") (param $k i32) (result i64)
          (local $i i32) (local $s i64) LOCAL_DECLS
          INIT
          (block $h
            (try_table (catch_all $h)
              CALLS
              (call $garbageThenThrow))
            (return (i64.const -1)))
          SUM
          (local.get $s))
        ;; a legacy catch_all, whose caught exception is frame-resident too
        (func (export "intoLegacyCatch") (param $k i32) (result i64)
          (local $s i64) LOCAL_DECLS
          INIT
          (try (do CALLS (call $garbageThenThrow))
            (catch_all (call $garbage) SUM (return (local.get $s))))
          (i64.const -1))
        ;; a br_table after the calls: entry 0 reads the locals, the default overwrites $x0 first
        (func (export "throughTable") (param $k i32) (result i64)
          (local $s i64) LOCAL_DECLS
          INIT
          (block $read
            (block $overwrite
              CALLS
              (br_table $read $overwrite (local.get $k)))
            (local.set $x0 (struct.new $box (i64.const 7))))
          SUM
          (local.get $s)))
      """;

  private static final int LOCALS = 40;
  private static final int CALLS = 200;

  /** The module {@link #RESIDENT} with {@link #LOCALS} locals, set to boxes of 1000 + index, and {@link #CALLS} calls. */
  private static String residentModule() {
    BoxedLocals locals = new BoxedLocals(LOCALS);
    return RESIDENT.replace("LOCAL_DECLS", locals.declarations()).replace("INIT", locals.init(1000))
        .replace("SUM", locals.sum()).replace("CALLS", " (call $garbage)".repeat(CALLS));
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void frameResidentLocalsAreRootsTheCollectorRewrites(Target target) {
    try (LoadedModule module = GcModules.load(target, residentModule());
        NativeStore store = new NativeStore(StoreLimits.DEFAULTS.withMaxMemoryBytes(16L << 20))) {
      LoadedInstance instance = GcModules.instantiateCollectingAlways(module, store);
      try (instance) {
        long collections = store.gcCollections();
        long all = LOCALS * 1000L + LOCALS * (LOCALS - 1) / 2;
        int k = 5; // $x0 ends as the box of the last odd i (3), $x1 of the last even one (4)
        assertAll(
            () -> assertEquals(all - 1000 - 1001 + 3 + 4, instance.invoke("loop", k).getFirst().bits(), "loop"),
            () -> assertEquals(all, instance.invoke("intoCatch", 0).getFirst().bits(), "intoCatch"),
            () -> assertEquals(all, instance.invoke("intoLegacyCatch", 0).getFirst().bits(), "intoLegacyCatch"),
            () -> assertEquals(all, instance.invoke("throughTable", 0).getFirst().bits(), "throughTable to $read"),
            () -> assertEquals(all - 1000 + 7, instance.invoke("throughTable", 1).getFirst().bits(),
                "throughTable to $overwrite"));
        assertTrue(store.gcCollections() - collections >= (long) k * CALLS, "every allocation collected");
      }
    }
    // Frame-resident, every safepoint names all the locals' slots, even the first allocation's, after
    // which no local is live yet (spilled, it would name none): the budget was passed, and the
    // results above come from slot-held locals.
    int[] fewest = {Integer.MAX_VALUE};
    CwasmFile.open(MemorySegment.ofArray(Artifacts.fromWat(residentModule(), Artifacts.backend(target))))
        .stackMaps().forEach((offset, map) -> fewest[0] = Math.min(fewest[0], map.count()));
    assertTrue(fewest[0] >= LOCALS, "a safepoint names " + fewest[0] + " slots: the locals are not frame-resident");
  }
}
