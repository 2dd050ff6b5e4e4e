package dev.kiln.tests.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.wat.Wat;
import dev.kiln.wasm.Wasm;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bulk memory fast paths (memory.copy, memory.fill, memory.init, data.drop) through the real
 * pipeline on x86-64, checked against a byte-array model of the spec (4.4.7.10-13): after every
 * operation the whole memory must equal the model, an out-of-range operation must trap with {@code
 * heap_oob} and leave memory untouched, overlapping copies must behave as if through a temporary
 * buffer in both directions, and a zero-length operation is in range exactly up to the end.
 */
class BulkMemoryEndToEndTest {
  private static final X64Backend BACKEND = new X64Backend(CpuFeatures.host(), true);
  private static final long PAGE = 65536;

  private final NativeStore store = new NativeStore();
  private final List<AutoCloseable> open = new ArrayList<>();
  private LoadedInstance instance;

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    store.close();
  }

  private void load(String wat) {
    CompiledModule compiled = Compiler.compile(Wasm.load(Wat.toBinaryWithNames(wat, "test.wat")), BACKEND,
        CompileOptions.defaults());
    byte[] artifact = ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "test");
    LoadedModule module = LoadedModule.fromBytes(artifact, null);
    open.add(module);
    instance = LoadedInstance.instantiate(module, store);
    open.add(instance);
  }

  private void call(String name, long... args) {
    instance.invoke(name, args);
  }

  private TrapCode trap(String name, long... args) {
    return assertThrows(TrapException.class, () -> instance.invoke(name, args)).code();
  }

  private byte[] memory(int definedIndex) {
    return instance.memory(definedIndex).toArray(ValueLayout.JAVA_BYTE);
  }

  private void setMemory(int definedIndex, byte[] bytes) {
    MemorySegment.copy(MemorySegment.ofArray(bytes), 0, instance.memory(definedIndex), 0, bytes.length);
  }

  private static final String OPS = """
      (module
        (memory (export "mem") 2)
        (func (export "copy") (param i32 i32 i32)
          (memory.copy (local.get 0) (local.get 1) (local.get 2)))
        (func (export "fill") (param i32 i32 i32)
          (memory.fill (local.get 0) (local.get 1) (local.get 2))))
      """;

  /** The spec's memory.copy on the model: checks the whole range first, then moves. */
  private static boolean modelCopy(byte[] m, long d, long s, long n) {
    if (n > m.length || s > m.length - n || d > m.length - n) {
      return false;
    }
    System.arraycopy(m, (int) s, m, (int) d, (int) n);
    return true;
  }

  private static boolean modelFill(byte[] m, long d, int value, long n) {
    if (n > m.length || d > m.length - n) {
      return false;
    }
    java.util.Arrays.fill(m, (int) d, (int) (d + n), (byte) value);
    return true;
  }

  private void copyAndCompare(byte[] model, long d, long s, long n) {
    if (modelCopy(model, d, s, n)) {
      call("copy", d, s, n);
    } else {
      assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("copy", d, s, n), "copy " + d + " " + s + " " + n);
    }
    assertArrayEquals(model, memory(0), () -> "after copy(" + d + ", " + s + ", " + n + ")");
  }

  /** {@code export(d, s)} copies a constant {@code n} bytes; compares as above. */
  private void copyAndCompare(byte[] model, String export, long d, long s, long n) {
    if (modelCopy(model, d, s, n)) {
      call(export, d, s);
    } else {
      assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap(export, d, s), export + " " + d + " " + s);
    }
    assertArrayEquals(model, memory(0), () -> "after " + export + "(" + d + ", " + s + ")");
  }

  private static byte[] pattern(int length, long seed) {
    byte[] bytes = new byte[length];
    new SplittableRandom(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void overlappingCopiesMoveAsIfThroughATemporaryBufferInBothDirections() throws Exception {
    load(OPS);
    byte[] model = pattern((int) (2 * PAGE), 1);
    setMemory(0, model);
    // Destination above the source (a forward byte loop would smear) and below it, by 1 byte,
    // by less than a word, by more than a vector, and a large block.
    for (long[] c : new long[][] {{1, 0, 100}, {0, 1, 100}, {3, 0, 4096}, {0, 7, 4096},
        {100, 37, 70_000}, {37, 100, 70_000}, {65536, 0, 65536}, {0, 65536, 65536}}) {
      copyAndCompare(model, c[0], c[1], c[2]);
    }
  }

  @Test
  void randomCopiesAndFillsMatchTheModelAndOutOfRangeOnesWriteNothing() throws Exception {
    load(OPS);
    byte[] model = pattern((int) (2 * PAGE), 2);
    setMemory(0, model);
    SplittableRandom random = new SplittableRandom(3);
    int size = model.length;
    for (int i = 0; i < 400; i++) {
      // Lengths and addresses cluster around the end so both sides of every bound are hit.
      long n = random.nextBoolean() ? random.nextInt(300) : random.nextInt(size + 2);
      long d = random.nextBoolean() ? random.nextInt(size + 2) : size - random.nextInt(400);
      long s = random.nextBoolean() ? random.nextInt(size + 2) : size - random.nextInt(400);
      if (random.nextInt(4) == 0) {
        int value = random.nextInt();
        if (modelFill(model, d, value, n)) {
          call("fill", d, value, n);
        } else {
          assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("fill", d, value, n));
        }
        assertArrayEquals(model, memory(0), "after fill(" + d + ", " + value + ", " + n + ")");
      } else {
        copyAndCompare(model, d, s, n);
      }
    }
  }

  @Test
  void constantLengthsInlinedUpToTheLimitMatchTheModelAtEveryOverlapAndBound() throws Exception {
    int maxLength = 17; // the inline limit (16) and the first length that is a call again
    StringBuilder funcs = new StringBuilder();
    for (int k = 0; k <= maxLength; k++) {
      funcs.append("""
            (func (export "copy%1$d") (param i32 i32)
              (memory.copy (local.get 0) (local.get 1) (i32.const %1$d)))
            (func (export "fill%1$d") (param i32 i32)
              (memory.fill (local.get 0) (local.get 1) (i32.const %1$d)))
          """.formatted(k));
    }
    load("(module (memory 1)\n" + funcs + ")");
    byte[] model = pattern((int) PAGE, 4);
    setMemory(0, model);
    SplittableRandom random = new SplittableRandom(5);
    for (int k = 0; k <= maxLength; k++) {
      List<long[]> cases = new ArrayList<>();
      for (int delta = -k - 1; delta <= k + 1; delta++) {
        cases.add(new long[] {1000, 1000 + delta}); // every overlap, both directions
      }
      for (long edge : new long[] {PAGE - k - 1, PAGE - k, PAGE - k + 1, PAGE, PAGE + 1,
          0xFFFF_FFFFL}) {
        cases.add(new long[] {edge, 8});
        cases.add(new long[] {8, edge});
      }
      for (long[] c : cases) {
        copyAndCompare(model, "copy" + k, c[0], c[1], k);
        int value = random.nextInt();
        if (modelFill(model, c[0], value, k)) {
          call("fill" + k, c[0], value);
        } else {
          assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("fill" + k, c[0], value));
        }
        assertArrayEquals(model, memory(0), "after fill" + k + "(" + c[0] + ", " + value + ")");
      }
    }
  }

  @Test
  void zeroLengthIsInRangeUpToTheEndAndNotOneByteBeyond() throws Exception {
    load(OPS);
    byte[] model = memory(0);
    long end = 2 * PAGE;
    call("copy", end, end, 0);
    call("copy", 0, end, 0);
    call("fill", end, 0xAB, 0);
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("copy", end + 1, 0, 0));
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("copy", 0, end + 1, 0));
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("fill", end + 1, 0xAB, 0));
    // Addresses are unsigned: -1 is 4 GiB - 1, far beyond the end.
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("copy", 0xFFFF_FFFFL, 0, 1));
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("fill", 0, 1, 0xFFFF_FFFFL));
    // A copy ending one byte past the end traps and writes none of the bytes that would fit.
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("fill", end - 10, 0xCD, 11));
    assertArrayEquals(model, memory(0));
  }

  @Test
  void initCopiesFromPassiveSegmentsAndDroppedOrActiveSegmentsAreEmpty() throws Exception {
    load("""
        (module
          (memory 1)
          (data $passive "Kiln bulk memory")
          (data $active (i32.const 100) "abc")
          (func (export "init") (param i32 i32 i32)
            (memory.init $passive (local.get 0) (local.get 1) (local.get 2)))
          (func (export "init_active") (param i32 i32 i32)
            (memory.init $active (local.get 0) (local.get 1) (local.get 2)))
          (func (export "drop") (data.drop $passive)))
        """);
    byte[] segment = "Kiln bulk memory".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] model = memory(0);
    assertEquals('a', model[100]);
    call("init", 7, 5, 4);
    System.arraycopy(segment, 5, model, 7, 4);
    call("init", PAGE - segment.length, 0, segment.length);
    System.arraycopy(segment, 0, model, (int) PAGE - segment.length, segment.length);
    call("init", PAGE, segment.length, 0);
    assertArrayEquals(model, memory(0));
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("init", 0, segment.length + 1, 0));
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("init", 0, 1, segment.length));
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("init", PAGE - 1, 0, 2));
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("init", PAGE + 1, 0, 0));
    // Instantiation dropped the active segment (spec 4.5.4): only an empty init of it succeeds.
    call("init_active", 0, 0, 0);
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("init_active", 0, 0, 1));
    call("drop");
    call("drop");
    call("init", 0, 0, 0);
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("init", 0, 0, 1));
    assertArrayEquals(model, memory(0));
  }

  @Test
  void copiesBetweenTwoMemoriesAndFillsOnTheSecondCheckEachMemorysOwnLength() throws Exception {
    load("""
        (module
          (memory $a 1)
          (memory $b 2)
          (data (memory $a) (i32.const 0) "from memory a")
          (func (export "a_to_b") (param i32 i32 i32)
            (memory.copy $b $a (local.get 0) (local.get 1) (local.get 2)))
          (func (export "b_to_a") (param i32 i32 i32)
            (memory.copy $a $b (local.get 0) (local.get 1) (local.get 2)))
          (func (export "fill_b") (param i32 i32 i32)
            (memory.fill $b (local.get 0) (local.get 1) (local.get 2))))
        """);
    byte[] a = memory(0);
    byte[] b = memory(1);
    call("a_to_b", 2 * PAGE - 13, 0, 13);
    System.arraycopy(a, 0, b, (int) (2 * PAGE - 13), 13);
    call("fill_b", PAGE + 5, 0x7F, 3);
    java.util.Arrays.fill(b, (int) PAGE + 5, (int) PAGE + 8, (byte) 0x7F);
    call("b_to_a", PAGE - 20, 2 * PAGE - 20, 20);
    System.arraycopy(b, (int) (2 * PAGE - 20), a, (int) PAGE - 20, 20);
    assertArrayEquals(a, memory(0));
    assertArrayEquals(b, memory(1));
    // In range for b (2 pages) but not for a (1 page), in either role.
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("a_to_b", 0, PAGE, 1));
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("b_to_a", PAGE, 0, 1));
    call("a_to_b", PAGE, 0, 1);
    b[(int) PAGE] = a[0];
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("fill_b", 2 * PAGE, 0, 1));
    assertArrayEquals(a, memory(0));
    assertArrayEquals(b, memory(1));
  }

  @Test
  void copiesBetweenA64BitAndA32BitMemoryTakeEachAddressInItsOwnTypeAndA32BitLength()
      throws Exception {
    load("""
        (module
          (memory $wide i64 1)
          (memory $narrow 1)
          (data (memory $narrow) (i32.const 0) "narrow bytes")
          (func (export "narrow_to_wide") (param i64 i32 i32)
            (memory.copy $wide $narrow (local.get 0) (local.get 1) (local.get 2)))
          (func (export "wide_to_narrow") (param i32 i64 i32)
            (memory.copy $narrow $wide (local.get 0) (local.get 1) (local.get 2))))
        """);
    byte[] wide = memory(0);
    byte[] narrow = memory(1);
    call("narrow_to_wide", PAGE - 12, 0, 12);
    System.arraycopy(narrow, 0, wide, (int) PAGE - 12, 12);
    call("wide_to_narrow", 100, PAGE - 6, 6);
    System.arraycopy(wide, (int) PAGE - 6, narrow, 100, 6);
    assertArrayEquals(wide, memory(0));
    assertArrayEquals(narrow, memory(1));
    // The length is an i32: 0xFFFF_FFFF is 4 GiB - 1, not -1 sign-extended.
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("narrow_to_wide", 0, 0, 0xFFFF_FFFFL));
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("wide_to_narrow", 0, -1, 1));
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("narrow_to_wide", PAGE + 1, 0, 0));
    call("narrow_to_wide", PAGE, PAGE, 0);
    assertArrayEquals(wide, memory(0));
    assertArrayEquals(narrow, memory(1));
  }

  @Test
  void memory64AddressesAndLengthsAreCheckedWithoutWrapping() throws Exception {
    load("""
        (module
          (memory i64 1)
          (func (export "copy") (param i64 i64 i64)
            (memory.copy (local.get 0) (local.get 1) (local.get 2)))
          (func (export "fill") (param i64 i32 i64)
            (memory.fill (local.get 0) (local.get 1) (local.get 2)))
          (func (export "copy16") (param i64 i64)
            (memory.copy (local.get 0) (local.get 1) (i64.const 16)))
          (func (export "fill9") (param i64 i32)
            (memory.fill (local.get 0) (local.get 1) (i64.const 9))))
        """);
    byte[] model = memory(0);
    call("fill", 10, 0x5A, 20);
    java.util.Arrays.fill(model, 10, 30, (byte) 0x5A);
    call("copy", 25, 10, 20);
    System.arraycopy(model, 10, model, 25, 20);
    assertArrayEquals(model, memory(0));
    // dst + n wraps to a small number modulo 2^64; a wrapping check would let these through.
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("copy", -16, 0, 32));
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("copy", 0, -16, 32));
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("fill", 16, 0, -1));
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("fill", PAGE + 1, 0, 0));
    call("fill", PAGE, 0, 0);
    // The inline constant-length forms: start + 16 wraps for these starts too.
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("copy16", -8, 0));
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("copy16", 0, -8));
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("fill9", -4, 1));
    assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, trap("fill9", PAGE - 8, 1));
    call("copy16", PAGE - 16, 10);
    System.arraycopy(model, 10, model, (int) PAGE - 16, 16);
    call("fill9", PAGE - 9, 0x1A5);
    java.util.Arrays.fill(model, (int) PAGE - 9, (int) PAGE, (byte) 0xA5);
    assertArrayEquals(model, memory(0));
  }
}
