package dev.kiln.compiler.link;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.Reloc;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
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
 *   <li>checks each function's trap sites, inline sites and address map, which {@link LinkedText}
 *       rebases from code offsets to text offsets as it writes them ({@link RebasedTables}).
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

    // Laid out before any byte is copied, so the text is made once at its exact size: no buffer
    // that grows, and no copy of it to trim (a 30 MB module's text is over 50 MB).
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
    byte[] text = new byte[(int) end];
    byte padding = paddingByte(target);
    if (padding != 0) {
      Arrays.fill(text, padding); // the code is copied over it; the gaps between functions keep it
    }
    for (int i = 0; i < placed.size(); i++) {
      CompileDeadline.pollCounted(Phase.ASSEMBLY, item++);
      PlacedFunction p = placed.get(i);
      CompiledFunction f = kept.get(i);
      f.copyCodeInto(text, p.start());
      for (Reloc r : f.relocs()) {
        CompileDeadline.pollCounted(Phase.ASSEMBLY, item++);
        patch(text, p, r, starts);
      }
    }
    RebasedTables.stream(placed, kept, RebasedTables.CHECK_ONLY);
    return new LinkedText(text, placed, kept, dropped);
  }

  /** The roots and everything their calls reach, transitively. */
  private static TreeSet<FuncKey> reachable(SortedMap<FuncKey, CompiledFunction> functions, Collection<FuncKey> roots) {
    TreeSet<FuncKey> live = new TreeSet<>();
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
      for (Reloc r : functions.get(caller).relocs()) {
        CompileDeadline.pollCounted(Phase.ASSEMBLY, item++);
        FuncKey callee = targetOf(caller, r);
        if (!functions.containsKey(callee)) {
          throw LinkException.missingTarget(caller, callee);
        }
        if (live.add(callee)) {
          work.add(callee);
        }
      }
    }
    return live;
  }

  private static FuncKey targetOf(FuncKey caller, Reloc r) {
    try {
      return FuncKey.fromRaw(r.targetKey());
    } catch (IllegalArgumentException e) {
      throw new LinkException(caller + " has a relocation at +0x" + Integer.toHexString(r.offset())
          + " to 0x" + Long.toHexString(r.targetKey()) + ", which is not a FuncKey");
    }
  }

  /** Applies one relocation in place; formulas as in {@link dev.kiln.codegen.RelocKind}. */
  private void patch(byte[] text, PlacedFunction p, Reloc r, Map<FuncKey, Integer> starts) {
    FuncKey callee = targetOf(p.key(), r);
    if ((long) r.offset() + r.kind().patchSize() > p.size()) {
      throw new LinkException(p.key() + ": relocation to " + callee + " at +0x" + Integer.toHexString(r.offset())
          + " runs past the end of the function (" + p.size() + " bytes)");
    }
    long s = starts.get(callee);
    long place = (long) p.start() + r.offset();
    long value = s + r.addend() - place;
    int at = (int) place;
    switch (r.kind()) {
      case X86_CALL_PC_REL4 -> {
        requireTarget(Target.X86_64, p, r, callee);
        if (value != (int) value) {
          throw new LinkException(p.key() + " -> " + callee + ": rel32 displacement " + value + " out of range");
        }
        putLe32(text, at, (int) value);
      }
      case AARCH64_CALL26 -> {
        requireTarget(Target.AARCH64, p, r, callee);
        // BL imm26 (Arm ARM C6.2.35): word offset in bits 25:0, reach +-128 MiB. Veneers for longer
        // calls are future work; a single artifact's text is far smaller today.
        if ((value & 3) != 0 || value < -(1L << 27) || value >= (1L << 27)) {
          throw new LinkException(p.key() + " -> " + callee + ": BL displacement " + value
              + " is out of range or misaligned (veneers are not implemented yet)");
        }
        int word = getLe32(text, at);
        putLe32(text, at, (word & 0xFC00_0000) | (int) ((value >> 2) & 0x03FF_FFFF));
      }
      case ABS8 -> throw new LinkException(p.key() + ": absolute relocation to " + callee
          + " in .text; .text must stay position-independent (docs/ARCHITECTURE.md section 3)");
    }
  }

  private void requireTarget(Target expected, PlacedFunction p, Reloc r, FuncKey callee) {
    if (target != expected) {
      throw new LinkException(p.key() + ": " + r.kind() + " relocation to " + callee + " in a " + target + " artifact");
    }
  }

  private static void putLe32(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
  }

  private static int getLe32(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
  }
}
