package dev.kiln.bench.gc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One of the GC benchmark programs under {@code bench/gc/}: its file, the arguments of its
 * exported {@code run} in the benchmark and in the unit test (small enough for the emulated
 * AArch64 target), and the value {@code run} must return, computed here independently of wasm.
 */
public enum GcProgram {
  /** binary-trees.wat: run(maxDepth). */
  BINARY_TREES("binary-trees", new long[] {15}, new long[] {8}) {
    @Override
    public long expected(long... args) {
      int maxDepth = (int) args[0];
      long sum = treeNodes(maxDepth + 1) + treeNodes(maxDepth);
      for (int depth = 4; depth <= maxDepth; depth += 2) {
        sum += (1L << (maxDepth - depth + 4)) * treeNodes(depth);
      }
      return sum;
    }
  },
  /** casts.wat: run(passes) over its 4096 slots. */
  CASTS("casts", new long[] {8000}, new long[] {3}) {
    @Override
    public long expected(long... args) {
      long pass = 0;
      int x = 0;
      for (int i = 0; i < CAST_SLOTS; i++) {
        x = x * 1103515245 + 12345;
        pass += switch ((x >>> 16) & 3) {
          case 0 -> i;        // a circle of radius i
          case 1 -> 2L * i;   // a rect i by 2
          case 2 -> i + 1L;   // a square of side i
          default -> i;       // the i31 number i
        };
      }
      return pass * args[0];
    }
  },
  /** pause.wat: run(liveDepth, garbageTrees), the garbage trees of depth 10. */
  PAUSE("pause", new long[] {21, 6_000}, new long[] {12, 20}) {
    @Override
    public long expected(long... args) {
      return args[1] * treeNodes(10) + treeNodes((int) args[0]);
    }
  };

  /** casts.wat's array length. */
  static final int CAST_SLOTS = 4096;

  private final String name;
  private final long[] benchArgs;
  private final long[] testArgs;

  GcProgram(String name, long[] benchArgs, long[] testArgs) {
    this.name = name;
    this.benchArgs = benchArgs;
    this.testArgs = testArgs;
  }

  /** What {@code run(args...)} returns. */
  public abstract long expected(long... args);

  public String label() {
    return name;
  }

  public long[] benchArgs() {
    return benchArgs.clone();
  }

  public long[] testArgs() {
    return testArgs.clone();
  }

  /** The program's text, {@code NAME.wat} in {@code dir}. */
  public Path source(Path dir) {
    return dir.resolve(name + ".wat");
  }

  /** The text of {@link #source}. */
  public String text(Path dir) throws IOException {
    return Files.readString(source(dir));
  }

  /** The nodes of a perfect binary tree of depth {@code depth} (a leaf has depth 0). */
  static long treeNodes(int depth) {
    return (1L << (depth + 1)) - 1;
  }
}
