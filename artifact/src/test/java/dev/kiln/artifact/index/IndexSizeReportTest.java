package dev.kiln.artifact.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.index.KeySets.Placed;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Bytes per function of {@code .kiln.funcs} for module shapes, beside a model of Wasmtime's
 * postcard table for the same functions. Prints the table (docs/cwasm-format.md quotes it) and
 * holds the encoding to the size budget the format promises.
 */
class IndexSizeReportTest {
  @Test
  void denseModulesCostAboutFourBytesPerFunction() {
    System.out.println("index size: shape | functions | kiln B | kiln B/fn | wasmtime-model B/fn (+src_locs)");
    List<Row> rows = new ArrayList<>();
    for (int n : new int[] {100, 1_000, 10_000, 50_000}) {
      Random random = new Random(n);
      TreeSet<FuncKey> keys = new TreeSet<>();
      for (int i = 0; i < n; i++) {
        keys.add(FuncKey.definedWasmFunction(0, i));
      }
      while (keys.size() < n + n / 10) {
        keys.add(FuncKey.arrayToWasmTrampoline(0, random.nextInt(n)));
      }
      Row row = measure("dense N=" + n + " +N/10 a2w", keys, random);
      rows.add(row);
    }
    for (Row row : rows) {
      // N slots of 4 bytes for defined functions; each isolated trampoline costs one run and one
      // slot (12 bytes): (4N + 12 N/10) / 1.1N = 4.73 less shared runs, plus 36 bytes of headers.
      assertTrue(row.kilnPerFunction() < 5.0, row.toString());
      // Wasmtime's varints are shorter while text offsets fit 2 bytes (under 16 KiB of code), so
      // the fixed-width index wins from a thousand functions on, not for tiny modules.
      if (row.functions() >= 1_000) {
        assertTrue(row.kilnPerFunction() < row.wasmtimePerFunction(), row.toString());
      }
    }
  }

  @Test
  void definedFunctionsAloneCostFourBytes() {
    TreeSet<FuncKey> keys = new TreeSet<>();
    for (int i = 0; i < 10_000; i++) {
      keys.add(FuncKey.definedWasmFunction(0, i));
    }
    Row row = measure("defined only N=10000", keys, new Random(1));
    assertEquals(4.0, row.kilnPerFunction(), 0.01, row.toString());
  }

  @Test
  void sparseKeysCostAtMostTwelveBytesPerFunction() {
    for (long seed : new long[] {1, 2, 3}) {
      Random random = new Random(seed);
      Row row = measure("sparse seed " + seed, KeySets.sparse(random, 5000), random);
      assertTrue(row.kilnPerFunction() <= 12.5, row.toString());
    }
    TreeSet<FuncKey> everyThird = new TreeSet<>();
    for (int i = 0; i < 30_000; i += 3) {
      everyThird.add(FuncKey.arrayToWasmTrampoline(0, i));
    }
    // Gaps of two are filled with holes (2 x 4 bytes = one run): 12 bytes per function. This is
    // where Wasmtime's sparse list (varint index + varint start + varint length) is smaller.
    Row row = measure("a2w every 3rd index", everyThird, new Random(4));
    assertEquals(12.0, row.kilnPerFunction(), 0.05, row.toString());
    Random random = new Random(5);
    TreeSet<FuncKey> tenPercent = new TreeSet<>();
    while (tenPercent.size() < 1_000) {
      tenPercent.add(FuncKey.arrayToWasmTrampoline(0, random.nextInt(10_000)));
    }
    Row isolated = measure("a2w 1000 of 10000 indices", tenPercent, random);
    assertTrue(isolated.kilnPerFunction() <= 12.05, isolated.toString());
  }

  private record Row(String shape, int functions, long kilnBytes, double kilnPerFunction, double wasmtimePerFunction,
      double wasmtimeWithSrcLocs) {}

  private static Row measure(String shape, TreeSet<FuncKey> keys, Random random) {
    List<Placed> placed = new ArrayList<>();
    int at = 0;
    for (FuncKey key : keys) {
      int length = 20 + random.nextInt(400);
      placed.add(new Placed(key, at, length));
      at = (at + length + 15) & ~15;
    }
    FunctionIndexBuilder builder = KeySets.builder(placed);
    FunctionIndex index = FunctionIndex.open(MemorySegment.ofArray(builder.build()), builder.textEnd());
    WasmtimeTableSize.Size wasmtime = WasmtimeTableSizeModel.of(placed);
    Row row = new Row(shape, keys.size(), index.sizeInBytes(), index.bytesPerFunction(),
        (double) wasmtime.withoutSrcLocs() / keys.size(),
        (double) (wasmtime.withoutSrcLocs() + wasmtime.srcLocs()) / keys.size());
    System.out.printf("index size: %s | %d | %d | %.2f | %.2f (%.2f)%n", shape, row.functions(), row.kilnBytes(),
        row.kilnPerFunction(), row.wasmtimePerFunction(), row.wasmtimeWithSrcLocs());
    return row;
  }
}
