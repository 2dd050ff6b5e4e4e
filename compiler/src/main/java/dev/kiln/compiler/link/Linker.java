package dev.kiln.compiler.link;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.tables.AddressMap;
import dev.kiln.artifact.tables.InlineMap;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.HandlerSite;
import dev.kiln.codegen.Reloc;
import dev.kiln.codegen.SourceMapping;
import dev.kiln.codegen.TrapSite;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.InlineSite;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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
 *   <li>rebases each function's trap sites and address map from code offsets to text offsets.
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

    int alignment = functionAlignment(target);
    byte padding = paddingByte(target);
    // Sized up front: regex's text is megabytes and its address map tens of thousands of entries,
    // copied over and over as the buffers grew in this single-threaded step.
    long textEstimate = 0;
    int trapCount = 0;
    int mappingCount = 0;
    for (FuncKey key : live) {
      CompiledFunction f = functions.get(key);
      textEstimate += f.size() + alignment;
      trapCount += f.trapSites().size();
      mappingCount += f.sourceMap().size() + 1;
    }
    ByteArrayOutputStream text = new ByteArrayOutputStream((int) Math.min(textEstimate, Integer.MAX_VALUE - 8));
    List<PlacedFunction> placed = new ArrayList<>(live.size());
    Map<FuncKey, Integer> starts = new HashMap<>();
    for (FuncKey key : live) { // TreeSet iterates in FuncKey order
      while (text.size() % alignment != 0) {
        text.write(padding);
      }
      CompiledFunction f = functions.get(key);
      if (f.size() == 0) {
        throw new LinkException(key + " has no code");
      }
      starts.put(key, text.size());
      placed.add(new PlacedFunction(key, text.size(), f.size(), symbolNames.apply(key)));
      text.writeBytes(f.code());
    }
    byte[] bytes = text.toByteArray();

    List<LinkedText.Trap> traps = new ArrayList<>(trapCount);
    PackedAddressMap.Builder addressMap = new PackedAddressMap.Builder(mappingCount);
    List<LinkedText.InlinedCall> inlineSites = new ArrayList<>();
    List<LinkedText.Handler> handlers = new ArrayList<>();
    for (PlacedFunction p : placed) {
      CompiledFunction f = functions.get(p.key());
      for (Reloc r : f.relocs()) {
        patch(bytes, p, r, starts);
      }
      rebaseTraps(p, f, traps);
      rebaseHandlers(p, f, handlers);
      int firstSite = rebaseInlineSites(p, f, inlineSites);
      rebaseAddressMap(p, f, firstSite, addressMap);
    }
    return new LinkedText(bytes, placed, traps, addressMap.build(), inlineSites, dropped, handlers);
  }

  /** The roots and everything their calls reach, transitively. */
  private static TreeSet<FuncKey> reachable(SortedMap<FuncKey, CompiledFunction> functions, Collection<FuncKey> roots) {
    TreeSet<FuncKey> live = new TreeSet<>();
    Deque<FuncKey> work = new ArrayDeque<>();
    for (FuncKey root : new TreeSet<>(roots)) {
      if (!functions.containsKey(root)) {
        throw new LinkException("root " + root + " has no compiled function");
      }
      if (live.add(root)) {
        work.add(root);
      }
    }
    while (!work.isEmpty()) {
      FuncKey caller = work.removeFirst();
      for (Reloc r : functions.get(caller).relocs()) {
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

  private static void rebaseTraps(PlacedFunction p, CompiledFunction f, List<LinkedText.Trap> out) {
    List<TrapSite> sites = new ArrayList<>(f.trapSites());
    sites.sort(Comparator.comparingInt(TrapSite::offset));
    for (TrapSite site : sites) {
      if (site.offset() >= p.size()) {
        throw new LinkException(p.key() + ": trap site at +0x" + Integer.toHexString(site.offset())
            + " lies outside the function (" + p.size() + " bytes)");
      }
      TrapCode code = TrapCode.fromCode(site.trapCode()).orElseThrow(() -> new LinkException(
          p.key() + ": trap site at +0x" + Integer.toHexString(site.offset()) + " has unknown trap code " + site.trapCode()));
      out.add(new LinkedText.Trap(p.start() + site.offset(), code));
    }
  }

  /** Rebases a function's handler sites; both offsets must lie inside the function. */
  private static void rebaseHandlers(PlacedFunction p, CompiledFunction f, List<LinkedText.Handler> out) {
    for (HandlerSite site : f.handlerSites()) {
      if (site.returnOffset() >= p.size() || site.landingOffset() >= p.size()) {
        throw new LinkException(p.key() + ": handler site +0x" + Integer.toHexString(site.returnOffset())
            + " -> +0x" + Integer.toHexString(site.landingOffset()) + " lies outside the function ("
            + p.size() + " bytes)");
      }
      out.add(new LinkedText.Handler(p.start() + site.returnOffset(), p.start() + site.landingOffset()));
    }
  }

  /**
   * Appends a function's inline sites to the artifact's, numbered from the returned index on, each
   * callee named by the FuncKey its IR name stands for ({@code u<namespace>:<index>}).
   */
  private static int rebaseInlineSites(PlacedFunction p, CompiledFunction f, List<LinkedText.InlinedCall> out) {
    int first = out.size();
    for (InlineSite site : f.inlineSites()) {
      if (!(site.callee() instanceof ExternalName.User(int namespace, int index))) {
        throw new LinkException(p.key() + ": inlined callee " + site.callee().text() + " is not a FuncKey name");
      }
      out.add(new LinkedText.InlinedCall(new FuncKey(namespace, index), site.callSourceLoc(),
          site.parent() == InlineSite.NONE ? InlineMap.NONE : first + site.parent()));
    }
    return first;
  }

  /**
   * Rebases a function's address map, its inline sites numbered from {@code firstSite} on. Code
   * with no wasm origin (a trampoline, a prologue before the
   * first mapping) is marked {@link AddressMap#NONE} so it is never attributed to the previous
   * function's last instruction. When several mappings share a code offset (wasm instructions that
   * produced no code), the last one wins: it names the instruction the code there belongs to.
   */
  private static void rebaseAddressMap(PlacedFunction p, CompiledFunction f, int firstSite,
      PackedAddressMap.Builder out) {
    List<SourceMapping> map = f.sourceMap();
    if (map.isEmpty() || map.getFirst().codeOffset() > 0) {
      out.add(p.start(), AddressMap.NONE, InlineMap.NONE);
    }
    int previous = -1;
    for (SourceMapping m : map) {
      if (m.codeOffset() < previous) {
        throw new LinkException(p.key() + ": address map is not in code offset order at +0x" + Integer.toHexString(m.codeOffset()));
      }
      if (m.codeOffset() >= p.size()) {
        break; // a mapping after the last instruction covers no code
      }
      if (m.inlineSite() < InlineSite.NONE || m.inlineSite() >= f.inlineSites().size()) {
        throw new LinkException(p.key() + ": address map entry at +0x" + Integer.toHexString(m.codeOffset())
            + " names inline site " + m.inlineSite() + " of " + f.inlineSites().size());
      }
      int site = m.inlineSite() == InlineSite.NONE ? InlineMap.NONE : firstSite + m.inlineSite();
      int textOffset = p.start() + m.codeOffset();
      if (!out.isEmpty() && out.lastTextOffset() == textOffset) {
        out.setLast(textOffset, m.wasmOffset(), site);
      } else {
        out.add(textOffset, m.wasmOffset(), site);
      }
      previous = m.codeOffset();
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
