package dev.kiln.compiler.link;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.tables.AddressMap;
import dev.kiln.artifact.tables.InlineMap;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.HandlerSite;
import dev.kiln.codegen.PackedSourceMap;
import dev.kiln.codegen.StackMapSite;
import dev.kiln.codegen.TrapSite;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.InlineSite;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The kept functions' trap sites, handler sites, inline sites and address maps, rebased from code offsets to text
 * offsets and handed to a {@link Sink} one entry at a time, in text order, each entry checked as it
 * goes (a bad one is a {@link LinkException}). Nothing is collected here: {@link LinkedText} streams
 * the tables to the artifact writer, so a module's five million address-map entries are never held
 * a second time as rebased copies beside the compiled functions they come from (issue 40, "bounded
 * memory"). Nothing checks them ahead: reading every function once more to check it first cost
 * yosys's compile 1.4% of its CPU for the address maps alone and 0.3 s for the rest, all of it in
 * the serial tail after the functions are compiled (issue 40).
 */
final class RebasedTables {
  private RebasedTables() {}

  /**
   * Where the rebased entries go; each kind is dropped unless its method is overridden. Inline
   * sites are numbered in the order they arrive, from 0.
   */
  interface Sink {
    default void trap(int textOffset, TrapCode code) {}

    default void inlineSite(FuncKey callee, int callWasmOffset, int parent) {}

    default void addressMapping(int textOffset, int wasmOffset, int inlineSite) {}

    default void handler(int returnOffset, int landingOffset, int frameBelowFp) {}

    /**
     * A function's resident stack slots ({@link CompiledFunction#residentSlotOffsets}), before its
     * stack maps, which name the set this returns; {@code -1} from a sink that keeps no stack maps.
     */
    default int residentStackSlots(int frameBelowFp, int[] slotOffsets) {
      return -1;
    }

    /** A safepoint: its own slots, and the resident set (-1: none) whose slots it names too. */
    default void stackMap(int returnOffset, int frameBelowFp, int residentSet, int[] slotOffsets) {}
  }

  /**
   * Streams the tables of {@code placed[i]}, compiled as {@code compiled[i]}, in that (text) order.
   *
   * @throws LinkException if a trap, handler or stack-map site or a mapping lies outside its
   *     function, a trap code is unknown, a stack map's frame differs from its function's, the address
   *     map is out of order, or a mapping or inlined callee is not well formed
   */
  static void stream(List<PlacedFunction> placed, List<CompiledFunction> compiled, Sink out) {
    // The inline sites of the functions before: the module-wide index of a function's first site.
    int[] sitesBefore = {0};
    // One function's tables an item: a module chooses how many functions there are (2^20).
    CompileDeadline.forEach(Phase.ASSEMBLY, placed.size(), i -> {
      PlacedFunction p = placed.get(i);
      CompiledFunction f = compiled.get(i);
      traps(p, f, out);
      handlers(p, f, out);
      stackMaps(p, f, out);
      inlineSites(p, f, sitesBefore[0], out);
      addressMap(p, f, sitesBefore[0], out);
      sitesBefore[0] += f.inlineSites().size();
    });
  }

  private static void traps(PlacedFunction p, CompiledFunction f, Sink out) {
    List<TrapSite> sorted = new ArrayList<>(f.trapSites());
    sorted.sort(Comparator.comparingInt(TrapSite::offset));
    for (TrapSite site : sorted) {
      if (site.offset() >= p.size()) {
        throw new LinkException(p.key() + ": trap site at +0x" + Integer.toHexString(site.offset())
            + " lies outside the function (" + p.size() + " bytes)");
      }
      TrapCode code = TrapCode.fromCode(site.trapCode()).orElseThrow(() -> new LinkException(
          p.key() + ": trap site at +0x" + Integer.toHexString(site.offset()) + " has unknown trap code " + site.trapCode()));
      out.trap(p.start() + site.offset(), code);
    }
  }

  /** A function's handler sites (already in return-offset order); both offsets must lie inside the function. */
  private static void handlers(PlacedFunction p, CompiledFunction f, Sink out) {
    for (HandlerSite site : f.handlerSites()) {
      if (site.returnOffset() >= p.size() || site.landingOffset() >= p.size()) {
        throw new LinkException(p.key() + ": handler site +0x" + Integer.toHexString(site.returnOffset())
            + " -> +0x" + Integer.toHexString(site.landingOffset()) + " lies outside the function ("
            + p.size() + " bytes)");
      }
      out.handler(p.start() + site.returnOffset(), p.start() + site.landingOffset(), site.frameBelowFp());
    }
  }

  /**
   * A function's safepoints (already in return-offset order), each inside the function, after its
   * resident slots, once, when it has any: every safepoint names them (one frame depth for all).
   */
  private static void stackMaps(PlacedFunction p, CompiledFunction f, Sink out) {
    List<StackMapSite> sites = f.stackMapSites();
    int[] resident = f.residentSlotOffsets();
    int set = -1;
    if (resident.length > 0 && !sites.isEmpty()) {
      set = out.residentStackSlots(sites.getFirst().frameBelowFp(), resident);
    }
    for (StackMapSite site : sites) {
      if (site.returnOffset() >= p.size()) {
        throw new LinkException(p.key() + ": stack map site +0x" + Integer.toHexString(site.returnOffset())
            + " lies outside the function (" + p.size() + " bytes)");
      }
      if (resident.length > 0 && site.frameBelowFp() != sites.getFirst().frameBelowFp()) {
        throw new LinkException(p.key() + ": stack map site +0x" + Integer.toHexString(site.returnOffset())
            + " gives a frame of " + site.frameBelowFp() + " bytes, its function's first "
            + sites.getFirst().frameBelowFp());
      }
      out.stackMap(p.start() + site.returnOffset(), site.frameBelowFp(), set, site.slotOffsets());
    }
  }

  /**
   * A function's inline sites, numbered from {@code first} on, each callee named by the FuncKey its
   * IR name stands for ({@code u<namespace>:<index>}).
   */
  private static void inlineSites(PlacedFunction p, CompiledFunction f, int first, Sink out) {
    for (InlineSite site : f.inlineSites()) {
      if (!(site.callee() instanceof ExternalName.User(int namespace, int index))) {
        throw new LinkException(p.key() + ": inlined callee " + site.callee().text() + " is not a FuncKey name");
      }
      out.inlineSite(new FuncKey(namespace, index), site.callSourceLoc(),
          site.parent() == InlineSite.NONE ? InlineMap.NONE : first + site.parent());
    }
  }

  /**
   * A function's address map, its inline sites numbered from {@code firstSite} on. Code with no
   * wasm origin (a trampoline, a prologue before the first mapping) is marked {@link
   * AddressMap#NONE} so it is never attributed to the previous function's last instruction. When
   * several mappings share a code offset (wasm instructions that produced no code), the last one
   * wins: it names the instruction the code there belongs to.
   */
  private static void addressMap(PlacedFunction p, CompiledFunction f, int firstSite, Sink out) {
    PackedSourceMap.Cursor map = f.sourceMapCursor();
    if (!map.hasNext() || f.sourceMap().getFirst().codeOffset() > 0) {
      out.addressMapping(p.start(), AddressMap.NONE, InlineMap.NONE);
    }
    int previous = -1;
    boolean pending = false; // an entry held back until the next one shows it is the last at its offset
    int pendingText = 0;
    int pendingWasm = 0;
    int pendingSite = 0;
    // Read once, not per entry (an interface call on the site list; the sink's call between entries
    // keeps the JIT from hoisting it).
    int siteCount = f.inlineSites().size();
    int start = p.start();
    int size = p.size();
    while (map.hasNext()) {
      map.advance();
      int codeOffset = map.codeOffset();
      int inlineSite = map.inlineSite();
      if (codeOffset < previous) {
        throw new LinkException(p.key() + ": address map is not in code offset order at +0x" + Integer.toHexString(codeOffset));
      }
      if (codeOffset >= size) {
        break; // a mapping after the last instruction covers no code
      }
      if (inlineSite < InlineSite.NONE || inlineSite >= siteCount) {
        throw new LinkException(p.key() + ": address map entry at +0x" + Integer.toHexString(codeOffset)
            + " names inline site " + inlineSite + " of " + siteCount);
      }
      int textOffset = start + codeOffset;
      if (pending && pendingText != textOffset) {
        out.addressMapping(pendingText, pendingWasm, pendingSite);
      }
      pending = true;
      pendingText = textOffset;
      pendingWasm = map.wasmOffset();
      pendingSite = inlineSite == InlineSite.NONE ? InlineMap.NONE : firstSite + inlineSite;
      previous = codeOffset;
    }
    if (pending) {
      out.addressMapping(pendingText, pendingWasm, pendingSite);
    }
  }
}
