package dev.kiln.artifact.index;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.FuncKeyKind;
import dev.kiln.artifact.TextRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Seeded key sets shaped like real modules, laid out in text the way the linker will do it, plus the
 * TreeMap oracle the index must agree with.
 */
final class KeySets {
  /** One function as the linker would place it. */
  record Placed(FuncKey key, int start, int length) {}

  private KeySets() {}

  /**
   * A dense module: {@code n} defined functions, {@code n / 10} array-to-wasm trampolines for a
   * random subset (the escaping ones), {@code types} wasm-to-array trampolines, a few builtins.
   */
  static TreeSet<FuncKey> denseModule(Random random, int n, int types) {
    TreeSet<FuncKey> keys = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      keys.add(FuncKey.definedWasmFunction(0, i));
    }
    while (keys.size() < n + n / 10) {
      keys.add(FuncKey.arrayToWasmTrampoline(0, random.nextInt(n)));
    }
    for (int t = 0; t < types; t++) {
      keys.add(FuncKey.wasmToArrayTrampoline(t));
    }
    for (int b = 0; b < 4; b++) {
      keys.add(FuncKey.wasmToBuiltinTrampoline(b * 3));
    }
    keys.add(FuncKey.builtin(0));
    return keys;
  }

  /**
   * Sparse keys: several modules and kinds, indices separated by random gaps (mostly small, some
   * huge), including indices near 2^32 to catch signed arithmetic.
   */
  static TreeSet<FuncKey> sparse(Random random, int count) {
    TreeSet<FuncKey> keys = new TreeSet<>();
    while (keys.size() < count) {
      FuncKeyKind kind = FuncKeyKind.values()[random.nextInt(FuncKeyKind.values().length)];
      int module = kind.moduleScoped() ? random.nextInt(3) : 0;
      // The index range grows with count so the key space never runs out (9 namespaces x range).
      long index = random.nextInt(8) == 0 ? 0xFFFF_FFFFL - random.nextInt(20) : random.nextInt(Math.max(200, count));
      int runLength = 1 + random.nextInt(6);
      for (int r = 0; r < runLength && index <= 0xFFFF_FFFFL; r++) {
        keys.add(FuncKey.of(kind, module, (int) index));
        index += 1 + (random.nextInt(3) == 0 ? random.nextInt(6) : 0);
      }
    }
    return keys;
  }

  /** Lays keys out in order with random lengths and random alignment padding between them. */
  static List<Placed> layOut(Random random, Iterable<FuncKey> keys) {
    List<Placed> placed = new ArrayList<>();
    int at = random.nextInt(32);
    for (FuncKey key : keys) {
      int length = 1 + random.nextInt(200);
      placed.add(new Placed(key, at, length));
      at += length;
      at += random.nextInt(4) == 0 ? random.nextInt(16) : 0;
    }
    return placed;
  }

  static FunctionIndexBuilder builder(List<Placed> placed) {
    FunctionIndexBuilder builder = new FunctionIndexBuilder();
    for (Placed p : placed) {
      builder.add(p.key(), p.start(), p.length());
    }
    return builder;
  }

  /** Key -> extent: from its start to the next function's start (the last: to its own end). */
  static TreeMap<FuncKey, TextRange> oracle(List<Placed> placed) {
    TreeMap<FuncKey, TextRange> oracle = new TreeMap<>();
    for (int i = 0; i < placed.size(); i++) {
      Placed p = placed.get(i);
      int end = i + 1 < placed.size() ? placed.get(i + 1).start() : p.start() + p.length();
      oracle.put(p.key(), new TextRange(p.start(), end));
    }
    return oracle;
  }

  /** Start offset -> key, for the reverse-lookup oracle. */
  static TreeMap<Integer, Map.Entry<FuncKey, TextRange>> byStart(TreeMap<FuncKey, TextRange> oracle) {
    TreeMap<Integer, Map.Entry<FuncKey, TextRange>> byStart = new TreeMap<>();
    for (Map.Entry<FuncKey, TextRange> e : oracle.entrySet()) {
      byStart.put(e.getValue().start(), e);
    }
    return byStart;
  }
}
