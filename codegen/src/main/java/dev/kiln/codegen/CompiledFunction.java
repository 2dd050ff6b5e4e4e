package dev.kiln.codegen;

import dev.kiln.codegen.regalloc.MoveCounts;
import dev.kiln.ir.InlineSite;
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
 */
public record CompiledFunction(byte[] code, List<Reloc> relocs, List<TrapSite> trapSites,
    List<SourceMapping> sourceMap, MoveCounts moveCounts, List<InlineSite> inlineSites,
    List<HandlerSite> handlerSites, List<StackMapSite> stackMapSites) {
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
    this(code, relocs, trapSites, sourceMap, moveCounts, inlineSites, handlerSites, List.of());
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
    return new CompiledFunction(done.code(), done.relocs(), done.trapSites(), List.of());
  }

  /** This function with the inline sites its address map names. */
  public CompiledFunction withInlineSites(List<InlineSite> sites) {
    return new CompiledFunction(code, relocs, trapSites, sourceMap, moveCounts, sites, handlerSites, stackMapSites);
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
