package dev.kiln.compiler.link;

import dev.kiln.artifact.FuncKey;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.regalloc.MoveCounts;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every compiled function of one artifact in FuncKey order, addressed by its position in it: what
 * the linker reads. A function is held in memory ({@link Resident}) or in the compile's {@link
 * FunctionSpill} ({@link FunctionSpill.Spilled}), read back each time {@link #function} asks for
 * it; which, the linker does not see.
 *
 * <p>The linker marks and places functions by position, and finds a key's position by a binary
 * search over primitive longs, so no tree lookup or key object comparison is made per relocation
 * or function (a module of 400,000 functions made some 18 comparisons per lookup on the compile's
 * serial tail).
 */
public final class CompiledFunctions implements AutoCloseable {
  /** Where one function is kept, and what the compile reports of it without reading it. */
  public sealed interface Held permits Resident, FunctionSpill.Spilled {
    /** The function's machine code bytes. */
    int codeSize();

    /** The function's {@link CompiledFunction#moveCounts()}. */
    MoveCounts moveCounts();

    /** The function's {@link CompiledFunction#calleeKeys()}, which the linker follows without reading it. */
    long[] calleeKeys();
  }

  /** A function kept in memory. */
  public record Resident(CompiledFunction function) implements Held {
    @Override
    public int codeSize() {
      return function.size();
    }

    @Override
    public MoveCounts moveCounts() {
      return function.moveCounts();
    }

    @Override
    public long[] calleeKeys() {
      return function.calleeKeys();
    }
  }

  private final FuncKey[] keys;
  private final Held[] held;
  /** Each key's {@link FuncKey#raw()} with its sign bit flipped, so signed order is FuncKey's unsigned one. */
  private final long[] flippedRaws;
  private final Optional<FunctionSpill> spill;

  /**
   * The functions {@code held} names, those of them in a spill read back from {@code spill}, which
   * {@link #close} closes.
   *
   * @throws IllegalArgumentException if a function is spilled but there is no spill
   */
  public CompiledFunctions(SortedMap<FuncKey, Held> held, Optional<FunctionSpill> spill) {
    this(List.copyOf(held.keySet()), List.copyOf(held.values()), spill);
  }

  /**
   * The function {@code held.get(i)} under {@code keys.get(i)}, the keys in increasing FuncKey order
   * (as a compile's jobs come, without a sorted map of them); those in a spill read back from {@code
   * spill}, which {@link #close} closes.
   *
   * @throws IllegalArgumentException if the keys do not increase, the lists differ in size, or a
   *     function is spilled but there is no spill
   */
  public CompiledFunctions(List<FuncKey> keys, List<Held> held, Optional<FunctionSpill> spill) {
    int n = keys.size();
    if (held.size() != n) {
      throw new IllegalArgumentException(n + " keys but " + held.size() + " functions");
    }
    this.keys = new FuncKey[n];
    this.held = new Held[n];
    this.flippedRaws = new long[n];
    this.spill = spill;
    CompileDeadline.forEach(Phase.ASSEMBLY, n, i -> {
      FuncKey key = keys.get(i);
      Held function = held.get(i);
      if (function instanceof FunctionSpill.Spilled && spill.isEmpty()) {
        throw new IllegalArgumentException(key + " is spilled, but there is no spill to read it from");
      }
      this.keys[i] = key;
      this.held[i] = function;
      flippedRaws[i] = key.raw() ^ Long.MIN_VALUE;
      if (i > 0 && flippedRaws[i] <= flippedRaws[i - 1]) {
        throw new IllegalArgumentException(key + " comes after " + this.keys[i - 1] + ": not in FuncKey order");
      }
    });
  }

  /** {@code functions}, all in memory. */
  public static CompiledFunctions of(SortedMap<FuncKey, CompiledFunction> functions) {
    TreeMap<FuncKey, Held> held = new TreeMap<>();
    functions.forEach((key, f) -> held.put(key, new Resident(f)));
    return new CompiledFunctions(held, Optional.empty());
  }

  public int size() {
    return keys.length;
  }

  public FuncKey key(int position) {
    return keys[position];
  }

  /** The keys in FuncKey order. */
  public List<FuncKey> keys() {
    return List.of(keys);
  }

  /** The function at {@code position}, read back from the spill if it is there. */
  public CompiledFunction function(int position) {
    return switch (held[position]) {
      case Resident r -> r.function();
      case FunctionSpill.Spilled s -> spill.orElseThrow().load(s);
    };
  }

  /** What is kept of the function at {@code position}. */
  public Held held(int position) {
    return held[position];
  }

  /** The position of the key whose {@link FuncKey#raw()} is {@code raw}, or -1 if there is none. */
  public int positionOf(long raw) {
    int at = Arrays.binarySearch(flippedRaws, raw ^ Long.MIN_VALUE);
    return at < 0 ? -1 : at;
  }

  /** The function under {@code key}, if there is one. */
  public Optional<CompiledFunction> get(FuncKey key) {
    int position = positionOf(key.raw());
    return position < 0 ? Optional.empty() : Optional.of(function(position));
  }

  public boolean containsKey(FuncKey key) {
    return positionOf(key.raw()) >= 0;
  }

  /** Closes the spill, if there is one; the spilled functions cannot be read afterwards. */
  @Override
  public void close() {
    spill.ifPresent(FunctionSpill::close);
  }
}
