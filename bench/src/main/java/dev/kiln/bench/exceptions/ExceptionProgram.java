package dev.kiln.bench.exceptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One export of the exception benchmark programs under {@code bench/exceptions/}: its file and
 * export, the argument (a count) in the benchmark and in the unit test (small enough for the
 * emulated AArch64 target), and the value the export must return, computed here independently of
 * wasm.
 */
public enum ExceptionProgram {
  /** throw-catch.wat: run(n), n throws each caught in the same function. */
  THROW_CATCH("throw-catch", "run", 200_000, 50, true) {
    @Override
    public long expected(int n) {
      return sumBelow(n);
    }
  },
  /** throw-deep.wat: run(n), n throws each 10 frames below the try_table that catches it. */
  THROW_DEEP("throw-deep", "run", 200_000, 50, true) {
    @Override
    public long expected(int n) {
      return sumBelow(n);
    }
  },
  /** try-cost.wat: plain(n), n calls of $step with no try_table. */
  TRY_PLAIN("try-cost", "plain", 20_000_000, 1_000, false) {
    @Override
    public long expected(int n) {
      return stepLoop(n);
    }
  },
  /** try-cost.wat: guarded(n), the same loop inside a try_table that never catches. */
  TRY_GUARDED("try-cost", "guarded", 20_000_000, 1_000, false) {
    @Override
    public long expected(int n) {
      return stepLoop(n);
    }
  };

  private final String file;
  private final String export;
  private final int benchCount;
  private final int testCount;
  private final boolean throwsEachIteration;

  ExceptionProgram(String file, String export, int benchCount, int testCount, boolean throwsEachIteration) {
    this.file = file;
    this.export = export;
    this.benchCount = benchCount;
    this.testCount = testCount;
    this.throwsEachIteration = throwsEachIteration;
  }

  /** What the export returns for {@code n}. */
  public abstract long expected(int n);

  public String label() {
    return file + (export.equals("run") ? "" : ":" + export);
  }

  public String export() {
    return export;
  }

  public int benchCount() {
    return benchCount;
  }

  public int testCount() {
    return testCount;
  }

  /** Whether each of the n iterations throws one exception (then the table gives ns per throw). */
  public boolean throwsEachIteration() {
    return throwsEachIteration;
  }

  /** The program's text file in {@code dir}. */
  public Path source(Path dir) {
    return dir.resolve(file + ".wat");
  }

  /** The text of {@link #source}. */
  public String text(Path dir) throws IOException {
    return Files.readString(source(dir));
  }

  /** 0 + 1 + ... + (n - 1): the payloads the throwing programs catch and add. */
  static long sumBelow(int n) {
    return (long) n * (n - 1) / 2;
  }

  /** try-cost.wat's loop: acc ^= step(acc + i) for i below n. */
  static long stepLoop(int n) {
    long acc = 0;
    for (int i = 0; i < n; i++) {
      acc ^= step(acc + Integer.toUnsignedLong(i));
    }
    return acc;
  }

  /**
   * try-cost.wat's $step: the linear congruential step; -2 takes the tail call to step(0); -1 would
   * throw, which no program argument reaches (the check values would then differ: guarded returns
   * -1 and plain ends with the exception).
   */
  static long step(long x) {
    if (x == -1) {
      throw new IllegalStateException("try-cost.wat's $step throws for -1");
    }
    if (x == -2) {
      return step(0);
    }
    return x * 6364136223846793005L + 1442695040888963407L;
  }
}
