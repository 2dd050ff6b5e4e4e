package dev.kiln.codegen;

import dev.kiln.codegen.regalloc.MoveCounts;
import dev.kiln.ir.InlineSite;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One compiled function as a backend hands it to the linker: position-independent machine code, the
 * calls it makes to other functions (by FuncKey, patched at link time), where it can trap, and its
 * address map. Wasm functions, trampolines and builtins are all this one shape
 * (docs/ARCHITECTURE.md section 2), so the linker lays them out in FuncKey order without caring
 * which is which.
 *
 * @param code machine code; offsets in the other fields are relative to its first byte
 * @param relocs calls to other functions, to be resolved by the linker (kept packed, {@link
 *     PackedSites})
 * @param trapSites where the code can trap and why ({@link TrapSite#trapCode()} is an artifact
 *     {@code TrapCode}'s byte value; kept packed)
 * @param sourceMap address map entries in increasing code offset order; empty for trampolines (kept
 *     packed, {@link PackedSourceMap})
 * @param moveCounts the spill stores, reloads and copies register allocation left in the code (a
 *     compile statistic; {@link MoveCounts#NONE} for code that is not register-allocated)
 * @param inlineSites the calls inlined into the function, which {@link SourceMapping#inlineSite()}
 *     indexes (the IR function's {@code DataFlowGraph.inlineSites()})
 * @param handlerSites the calls inside an exception handler's scope and their landing pads, in
 *     increasing return-offset order; empty for code that catches nothing
 * @param stackMapSites the GC safepoint calls and the frame slots holding references under each, in
 *     increasing return-offset order; empty for code that holds no GC reference across a call
 * @param residentSlotOffsets the frame slots every one of {@code stackMapSites} names besides its own
 *     (the function's frame-resident references), each an aligned word of every site's frame: kept
 *     once for the function, not in each site; empty when none
 */
public record CompiledFunction(byte[] code, List<Reloc> relocs, List<TrapSite> trapSites,
    List<SourceMapping> sourceMap, MoveCounts moveCounts, List<InlineSite> inlineSites,
    List<HandlerSite> handlerSites, List<StackMapSite> stackMapSites, int[] residentSlotOffsets) {
  public CompiledFunction {
    handlerSites = List.copyOf(handlerSites);
    for (int i = 1; i < handlerSites.size(); i++) {
      if (handlerSites.get(i).returnOffset() <= handlerSites.get(i - 1).returnOffset()) {
        throw new IllegalArgumentException("handler sites out of return-offset order");
      }
    }
    stackMapSites = List.copyOf(stackMapSites);
    for (int i = 1; i < stackMapSites.size(); i++) {
      if (stackMapSites.get(i).returnOffset() <= stackMapSites.get(i - 1).returnOffset()) {
        throw new IllegalArgumentException("stack map sites out of return-offset order");
      }
    }
    residentSlotOffsets = residentSlotOffsets.clone();
    // The highest resident slot against each site's frame: K + M steps, where each slot against
    // each frame would be the K x M the resident slots are kept apart to avoid.
    int highest = -1;
    for (int offset : residentSlotOffsets) {
      if (offset < 0 || offset % 8 != 0) {
        throw new IllegalArgumentException("resident slot at sp+" + offset + " is not an aligned word");
      }
      highest = Math.max(highest, offset);
    }
    for (StackMapSite site : highest < 0 ? List.<StackMapSite>of() : stackMapSites) {
      if (highest > site.frameBelowFp() - 8) {
        throw new IllegalArgumentException("resident slot at sp+" + highest + " lies outside the frame of " + site);
      }
    }
    code = Objects.requireNonNull(code, "code").clone();
    relocs = PackedSites.Relocs.of(relocs); // copies too, immutable and without nulls
    trapSites = PackedSites.Traps.of(trapSites);
    sourceMap = PackedSourceMap.of(sourceMap); // a copy too, immutable and without nulls
    Objects.requireNonNull(moveCounts, "moveCounts");
    inlineSites = List.copyOf(inlineSites);
  }

  /** A function without GC safepoints. */
  public CompiledFunction(byte[] code, List<Reloc> relocs, List<TrapSite> trapSites,
      List<SourceMapping> sourceMap, MoveCounts moveCounts, List<InlineSite> inlineSites,
      List<HandlerSite> handlerSites) {
    this(code, relocs, trapSites, sourceMap, moveCounts, inlineSites, handlerSites, List.of(), new int[0]);
  }

  /** A function that catches no exception. */
  public CompiledFunction(byte[] code, List<Reloc> relocs, List<TrapSite> trapSites,
      List<SourceMapping> sourceMap, MoveCounts moveCounts, List<InlineSite> inlineSites) {
    this(code, relocs, trapSites, sourceMap, moveCounts, inlineSites, List.of());
  }

  /** A function nothing was inlined into. */
  public CompiledFunction(byte[] code, List<Reloc> relocs, List<TrapSite> trapSites,
      List<SourceMapping> sourceMap, MoveCounts moveCounts) {
    this(code, relocs, trapSites, sourceMap, moveCounts, List.of());
  }

  /**
   * The code, relocations and trap sites of {@code done} with the rest of a function: the code is
   * copied once, here, from the array {@code done} owns, not from a copy {@link FinishedCode#code()}
   * made first.
   */
  public CompiledFunction(FinishedCode done, List<SourceMapping> sourceMap, MoveCounts moveCounts,
      List<InlineSite> inlineSites, List<HandlerSite> handlerSites, List<StackMapSite> stackMapSites,
      int[] residentSlotOffsets) {
    this(done.bytes(), done.relocs(), done.trapSites(), sourceMap, moveCounts, inlineSites, handlerSites,
        stackMapSites, residentSlotOffsets);
  }

  /** Code that is not register-allocated (trampolines, stubs): no moves to count. */
  public CompiledFunction(byte[] code, List<Reloc> relocs, List<TrapSite> trapSites,
      List<SourceMapping> sourceMap) {
    this(code, relocs, trapSites, sourceMap, MoveCounts.NONE);
  }

  /**
   * The code {@code emit} writes into a fresh {@link CodeBuffer}: how every backend makes its
   * trampolines and stubs, which are not register-allocated and have no address map.
   */
  public static CompiledFunction emitted(Consumer<CodeBuffer> emit) {
    CodeBuffer buf = new CodeBuffer();
    emit.accept(buf);
    FinishedCode done = buf.finish();
    return new CompiledFunction(done, List.of(), MoveCounts.NONE, List.of(), List.of(), List.of(), new int[0]);
  }

  /**
   * This function with every relocation to {@code from} (a FuncKey's raw value) made to {@code to}
   * instead: the same code calling another function, as the linker patches the calls.
   */
  public CompiledFunction retargeted(long from, long to) {
    List<Reloc> moved = new ArrayList<>(relocs.size());
    for (Reloc r : relocs) {
      moved.add(r.targetKey() == from ? new Reloc(r.offset(), r.kind(), to, r.addend()) : r);
    }
    return new CompiledFunction(code, moved, trapSites, sourceMap, moveCounts, inlineSites, handlerSites,
        stackMapSites, residentSlotOffsets);
  }

  /**
   * {@code relocs().get(index).targetKey()} without the record {@code get} builds: what the compile
   * driver asks of every relocation of every function, to find the callees it compiles next.
   */
  public long relocTargetKey(int index) {
    return ((PackedSites.Relocs) relocs).targetKey(index);
  }

  /**
   * The raw keys its relocations target, each once, in increasing (signed) order: what the linker
   * follows to find the functions it keeps without reading each function again. Log-linear in the
   * relocations, so a function of many calls costs no more than sorting them.
   */
  public long[] calleeKeys() {
    int n = relocs.size();
    long[] keys = new long[n];
    for (int r = 0; r < n; r++) {
      keys[r] = relocTargetKey(r);
    }
    Arrays.sort(keys);
    int distinct = 0;
    for (int i = 0; i < n; i++) {
      if (i == 0 || keys[i] != keys[i - 1]) {
        keys[distinct++] = keys[i];
      }
    }
    return distinct == n ? keys : Arrays.copyOf(keys, distinct);
  }

  /** The address map read in order without an object per entry ({@link #sourceMap} as it is kept). */
  public PackedSourceMap.Cursor sourceMapCursor() {
    return ((PackedSourceMap) sourceMap).cursor();
  }

  @Override
  public int[] residentSlotOffsets() {
    return residentSlotOffsets.clone();
  }

  @Override
  public byte[] code() {
    return code.clone();
  }

  /** Copies the code into {@code destination} from index {@code at} on, without the copy {@link #code()} makes. */
  public void copyCodeInto(byte[] destination, int at) {
    System.arraycopy(code, 0, destination, at, code.length);
  }

  public int size() {
    return code.length;
  }
}
