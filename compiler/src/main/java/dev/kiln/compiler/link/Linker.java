package dev.kiln.compiler.link;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.Reloc;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.function.Function;

/**
 * Links the compiled functions of one artifact into {@code .text} (docs/ARCHITECTURE.md section 2):
 *
 * <ol>
 *   <li>keeps only the functions reachable from the roots through calls (gc-sections); the caller
 *       decides the roots (the driver uses every host or table entry point, the start function and
 *       the trap handler);
 *   <li>lays the kept functions out in FuncKey order, each starting at a multiple of the target's
 *       function alignment, the gaps filled with bytes that fault if executed;
 *   <li>hands {@link LinkedText} where every function starts, with which it resolves every
 *       relocation as it writes the text, so {@code .text} needs none at load time (section 3).
 * </ol>
 *
 * <p>{@link LinkedText} reads each kept function once for its tables, which it checks as it
 * rebases them from code offsets to text offsets ({@link RebasedTables}), and once for its code,
 * whose relocations it checks as it patches them ({@link Relocator}): a bad site or relocation, which
 * only a compiler bug makes, is a {@link LinkException} there, where the artifact is written, and no
 * function is read a third time only to check it first (0.3 s of yosys's serial tail, issue 40).
 * The one such error a module can cause, an AArch64 call beyond {@code BL}'s reach in a text larger
 * than that reach, is looked for here, before anything is written.
 *
 * <p>The output depends only on the input maps, never on iteration order of hash structures or on
 * threads, so the same module always links to the same bytes.
 */
public final class Linker {
  private final Target target;

  public Linker(Target target) {
    this.target = Objects.requireNonNull(target, "target");
  }

  /** The largest text the linker makes: the largest array the JVM makes. */
  static final int MAX_TEXT_BYTES = Integer.MAX_VALUE - 8;

  /** Function alignment in {@code .text}: {@link Target#codeAlignment()}. */
  public static int functionAlignment(Target target) {
    return target.codeAlignment();
  }

  /**
   * Padding byte between functions. x86-64: {@code int3} (0xCC, Intel SDM Vol. 2A "INT3"), so a
   * stray jump into padding traps and disassemblers show it as such. AArch64: zero words, which
   * decode as {@code udf #0} (permanently undefined, Arm ARM C6.2.396).
   */
  static byte paddingByte(Target target) {
    return switch (target) {
      case X86_64 -> (byte) 0xCC;
      case AARCH64 -> 0;
    };
  }

  /**
   * Links {@code functions}, all in memory ({@link #link(CompiledFunctions, Collection, Function)}).
   */
  public LinkedText link(
      SortedMap<FuncKey, CompiledFunction> functions,
      Collection<FuncKey> roots,
      Function<FuncKey, String> symbolNames) {
    return link(CompiledFunctions.of(functions), roots, symbolNames);
  }

  /**
   * Links {@code functions}, from what is held of each ({@link CompiledFunctions.Held}: its size
   * and its callees): a function is read (from their spill, if it is there) only to name a missing
   * callee, or to check its calls' reach in an AArch64 text larger than {@code BL}'s. {@link
   * LinkedText} reads each kept function when it writes its tables and its code, one at a time, so
   * the link holds no more of the functions than the one it is at.
   *
   * @param functions every compiled function of the artifact, by key
   * @param roots the keys that must be kept whether or not another function calls them
   * @param symbolNames the symbol name of each kept function
   * @throws LinkException if a root is missing, a live function calls a key that has no function or
   *     has no code, the text would be too large, or an AArch64 call cannot reach its target ({@link
   *     LinkedText} checks the rest as it writes)
   */
  public LinkedText link(
      CompiledFunctions functions,
      Collection<FuncKey> roots,
      Function<FuncKey, String> symbolNames) {
    boolean[] live = reachable(functions, roots);

    // Only laid out here: LinkedText copies each function's code, relocated, where the text is
    // written (into the artifact's file), so no array of the whole text is made beside the compiled
    // functions' code (a 30 MB module's text is over 50 MB).
    Layout layout = new Layout(functions, live, functionAlignment(target), symbolNames);
    CompileDeadline.forEach(Phase.ASSEMBLY, functions.size(), layout::place); // in FuncKey order
    List<PlacedFunction> placed = layout.placed;
    int[] kept = layout.kept;
    long end = layout.end;
    Relocator relocator = new Relocator(target, layout.starts);
    if (!relocator.everyCallReaches(end)) {
      long item = 0;
      for (int i = 0; i < placed.size(); i++) {
        CompileDeadline.pollCounted(Phase.ASSEMBLY, item++);
        item = checkReach(relocator, placed.get(i), functions.function(kept[i]), item);
      }
    }
    return new LinkedText((int) end, paddingByte(target), placed, functions, Arrays.copyOf(kept, placed.size()),
        relocator, layout.dropped);
  }

  /**
   * The text's layout as the functions are placed one by one in FuncKey order, each reached one at
   * its alignment after the previous, each unreached one dropped.
   */
  private static final class Layout {
    private final CompiledFunctions functions;
    private final boolean[] live;
    private final int alignment;
    private final Function<FuncKey, String> symbolNames;
    final List<PlacedFunction> placed = new ArrayList<>();
    /** The position in {@code functions} of each of {@link #placed}. */
    final int[] kept;
    final List<FuncKey> dropped = new ArrayList<>();
    final Map<FuncKey, Integer> starts = new HashMap<>();
    /** Where the last function placed ends. */
    long end;

    Layout(CompiledFunctions functions, boolean[] live, int alignment, Function<FuncKey, String> symbolNames) {
      this.functions = functions;
      this.live = live;
      this.alignment = alignment;
      this.symbolNames = symbolNames;
      this.kept = new int[functions.size()];
    }

    void place(int position) {
      FuncKey key = functions.key(position);
      if (!live[position]) {
        dropped.add(key);
        return;
      }
      int size = functions.held(position).codeSize();
      if (size == 0) {
        throw new LinkException(key + " has no code");
      }
      long start = (end + alignment - 1) / alignment * alignment;
      end = start + size;
      if (end > MAX_TEXT_BYTES) {
        throw new LinkException("the text would be larger than " + MAX_TEXT_BYTES + " bytes at " + key);
      }
      starts.put(key, (int) start);
      kept[placed.size()] = position;
      placed.add(new PlacedFunction(key, (int) start, size, symbolNames.apply(key)));
    }
  }

  /**
   * Which positions of {@code functions} the roots and their calls reach, transitively. Marked by
   * position, the roots first in FuncKey order, so the first missing root or call target reported is
   * the same whatever order the roots come in. A tree set and map lookup per relocation was a third
   * of a large module's link (yosys: 44,270 functions, a lookup costing some sixteen key
   * comparisons), on the compile's serial tail.
   */
  private static boolean[] reachable(CompiledFunctions functions, Collection<FuncKey> roots) {
    int[] rootPositions = new int[roots.size()];
    int found = 0;
    FuncKey firstMissing = null;
    for (FuncKey root : roots) {
      int position = functions.positionOf(root.raw());
      if (position >= 0) {
        rootPositions[found++] = position;
      } else if (firstMissing == null || root.compareTo(firstMissing) < 0) {
        firstMissing = root;
      }
    }
    if (firstMissing != null) {
      throw new LinkException("root " + firstMissing + " has no compiled function");
    }
    Arrays.sort(rootPositions);
    Marking marking = new Marking(functions.size());
    for (int position : rootPositions) {
      CompileDeadline.pollCounted(Phase.ASSEMBLY, marking.item++);
      marking.mark(position);
    }
    for (int next = 0; next < marking.queued; next++) {
      CompileDeadline.pollCounted(Phase.ASSEMBLY, marking.item++);
      markCallees(functions, marking.queue[next], marking);
    }
    return marking.live;
  }

  /** The functions found live so far, by position, and those of them whose calls are still to follow. */
  private static final class Marking {
    final boolean[] live;
    /** Every live position in the order it went live: each goes in once, so it never outgrows the functions. */
    final int[] queue;
    int queued;
    /** The deadline's item count ({@link CompileDeadline#pollCounted}). */
    long item;

    Marking(int functions) {
      live = new boolean[functions];
      queue = new int[functions];
    }

    void mark(int position) {
      if (!live[position]) {
        live[position] = true;
        queue[queued++] = position;
      }
    }
  }

  // The loops over one function's callees or relocations are methods of their own, called once per
  // function: a large module's compile runs without on-stack replacement (the kiln launcher's flags
  // for a .wasm of 24 MB or more), so inside reachable or link, each called once, they would run in
  // the interpreter for every one of the module's calls; called per function, they are compiled
  // after the first few hundred functions. checkReach returns the deadline's item count after its items.

  /** Checks that each of {@code function}'s relocations reaches its target, as placed at {@code p}. */
  private static long checkReach(Relocator relocator, PlacedFunction p, CompiledFunction function, long item) {
    for (Reloc r : function.relocs()) {
      CompileDeadline.pollCounted(Phase.ASSEMBLY, item++);
      relocator.check(p, r);
    }
    return item;
  }

  /**
   * Marks the functions that the function at {@code callerPosition} calls, from what is kept of it
   * ({@link CompiledFunctions.Held#calleeKeys}): the function itself is read back only to name a
   * missing callee.
   */
  private static void markCallees(CompiledFunctions functions, int callerPosition, Marking marking) {
    for (long key : functions.held(callerPosition).calleeKeys()) {
      CompileDeadline.pollCounted(Phase.ASSEMBLY, marking.item++);
      int callee = functions.positionOf(key);
      if (callee < 0) {
        throw missingCallee(functions, callerPosition);
      }
      marking.mark(callee);
    }
  }

  /** The error for the first relocation of the function at {@code callerPosition} whose target has no function. */
  private static LinkException missingCallee(CompiledFunctions functions, int callerPosition) {
    FuncKey caller = functions.key(callerPosition);
    for (Reloc r : functions.function(callerPosition).relocs()) {
      if (functions.positionOf(r.targetKey()) < 0) {
        return LinkException.missingTarget(caller, targetOf(caller, r));
      }
    }
    throw new IllegalStateException(caller + ": a callee key has no function, but no relocation names it");
  }

  static FuncKey targetOf(FuncKey caller, Reloc r) {
    try {
      return FuncKey.fromRaw(r.targetKey());
    } catch (IllegalArgumentException e) {
      throw new LinkException(caller + " has a relocation at +0x" + Integer.toHexString(r.offset())
          + " to 0x" + Long.toHexString(r.targetKey()) + ", which is not a FuncKey");
    }
  }
}
