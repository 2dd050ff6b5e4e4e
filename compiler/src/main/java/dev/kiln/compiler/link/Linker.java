package dev.kiln.compiler.link;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.Reloc;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeSet;
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
 *   <li>patches every relocation, so {@code .text} needs none at load time (section 3);
 *   <li>checks each function's trap, handler, stack-map and inline sites, which {@link LinkedText}
 *       rebases from code offsets to text offsets as it writes them ({@link RebasedTables}); an
 *       address map is checked as it is written, where a bad one is a {@link LinkException} too.
 * </ol>
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
   * Links {@code functions}.
   *
   * @param functions every compiled function of the artifact, by key
   * @param roots the keys that must be kept whether or not another function calls them
   * @param symbolNames the symbol name of each kept function
   * @throws LinkException if a root is missing, a live function calls a key that has no function,
   *     a call cannot reach its target, or a relocation does not fit its function
   */
  public LinkedText link(
      SortedMap<FuncKey, CompiledFunction> functions,
      Collection<FuncKey> roots,
      Function<FuncKey, String> symbolNames) {
    TreeSet<FuncKey> live = reachable(functions, roots);
    List<FuncKey> dropped = functions.keySet().stream().filter(k -> !live.contains(k)).toList();

    // Only laid out and checked here: LinkedText copies each function's code, relocated, where the
    // text is written (into the artifact's file), so no array of the whole text is made beside the
    // compiled functions' code (a 30 MB module's text is over 50 MB).
    int alignment = functionAlignment(target);
    List<PlacedFunction> placed = new ArrayList<>(live.size());
    List<CompiledFunction> kept = new ArrayList<>(live.size());
    Map<FuncKey, Integer> starts = new HashMap<>();
    long end = 0;
    long item = 0;
    for (FuncKey key : live) { // TreeSet iterates in FuncKey order
      CompileDeadline.pollCounted(Phase.ASSEMBLY, item++);
      CompiledFunction f = functions.get(key);
      if (f.size() == 0) {
        throw new LinkException(key + " has no code");
      }
      long start = (end + alignment - 1) / alignment * alignment;
      end = start + f.size();
      if (end > MAX_TEXT_BYTES) {
        throw new LinkException("the text would be larger than " + MAX_TEXT_BYTES + " bytes at " + key);
      }
      starts.put(key, (int) start);
      placed.add(new PlacedFunction(key, (int) start, f.size(), symbolNames.apply(key)));
      kept.add(f);
    }
    Relocator relocator = new Relocator(target, starts);
    for (int i = 0; i < placed.size(); i++) {
      CompileDeadline.pollCounted(Phase.ASSEMBLY, item++);
      item = checkRelocs(relocator, placed.get(i), kept.get(i), item);
    }
    RebasedTables.checkAllButAddressMaps(placed, kept);
    return new LinkedText((int) end, paddingByte(target), placed, kept, relocator, dropped);
  }

  /**
   * The roots and everything their calls reach, transitively, in FuncKey order. Found in a hash set
   * and sorted once: a tree set and map lookup per relocation was a third of a large module's link
   * (yosys: 44,270 functions, a lookup costing some sixteen key comparisons), on the compile's serial tail.
   */
  private static TreeSet<FuncKey> reachable(SortedMap<FuncKey, CompiledFunction> functions, Collection<FuncKey> roots) {
    HashSet<FuncKey> live = new HashSet<>();
    Deque<FuncKey> work = new ArrayDeque<>();
    long item = 0;
    for (FuncKey root : new TreeSet<>(roots)) {
      CompileDeadline.pollCounted(Phase.ASSEMBLY, item++);
      if (!functions.containsKey(root)) {
        throw new LinkException("root " + root + " has no compiled function");
      }
      if (live.add(root)) {
        work.add(root);
      }
    }
    while (!work.isEmpty()) {
      FuncKey caller = work.removeFirst();
      CompileDeadline.pollCounted(Phase.ASSEMBLY, item++);
      item = markCallees(functions, caller, live, work, item);
    }
    return new TreeSet<>(live);
  }

  // The loops over one function's relocations are methods of their own, called once per function:
  // a large module's compile runs without on-stack replacement (the kiln launcher's flags for a
  // .wasm of 24 MB or more), so inside link or reachable, each called once, they would run in the
  // interpreter for every one of the module's relocations; called per function, they are compiled
  // after the first few hundred functions. Each returns the deadline's item count after its items.

  /** Checks {@code function}'s relocations as placed at {@code p}. */
  private static long checkRelocs(Relocator relocator, PlacedFunction p, CompiledFunction function, long item) {
    for (Reloc r : function.relocs()) {
      CompileDeadline.pollCounted(Phase.ASSEMBLY, item++);
      relocator.check(p, r);
    }
    return item;
  }

  /** Adds the functions {@code caller} calls to {@code live}, and those not yet in it to {@code work}. */
  private static long markCallees(SortedMap<FuncKey, CompiledFunction> functions, FuncKey caller,
      HashSet<FuncKey> live, Deque<FuncKey> work, long item) {
    for (Reloc r : functions.get(caller).relocs()) {
      CompileDeadline.pollCounted(Phase.ASSEMBLY, item++);
      FuncKey callee = targetOf(caller, r);
      if (live.contains(callee)) {
        continue; // in the map: only keys found there go live
      }
      if (!functions.containsKey(callee)) {
        throw LinkException.missingTarget(caller, callee);
      }
      live.add(callee);
      work.add(callee);
    }
    return item;
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
