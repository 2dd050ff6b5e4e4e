package dev.kiln.compiler.link;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.elf.CwasmWriter;
import dev.kiln.artifact.index.FunctionIndexBuilder;
import dev.kiln.artifact.tables.InlineMap;
import dev.kiln.artifact.tables.TrapCode;
import java.util.List;
import java.util.Objects;

/**
 * The linker's output: the finished {@code .text} and everything the artifact's tables need, all in
 * text offsets.
 *
 * @param text the relocated machine code of every kept function, padded between functions
 * @param functions kept functions in FuncKey order, which is also text order
 * @param traps trap sites in increasing text offset
 * @param addressMap address map entries in strictly increasing text offset
 * @param inlineSites the inlined calls of every kept function, which {@link
 *     AddressMapping#inlineSite()} indexes; a site's parent precedes it
 * @param dropped functions no root reaches, in FuncKey order (not in {@code text})
 * @param handlers calls inside an exception handler's scope, in increasing return offset, with their
 *     landing pads
 */
public record LinkedText(
    byte[] text,
    List<PlacedFunction> functions,
    List<Trap> traps,
    List<AddressMapping> addressMap,
    List<InlinedCall> inlineSites,
    List<FuncKey> dropped,
    List<Handler> handlers) {

  /** A trapping instruction at {@code textOffset}. */
  public record Trap(int textOffset, TrapCode code) {}

  /**
   * Code from {@code textOffset} on comes from the wasm instruction at module byte {@code
   * wasmOffset}, of the callee of {@code inlineSite} or ({@link InlineMap#NONE}) of the function
   * the code is in.
   */
  public record AddressMapping(int textOffset, int wasmOffset, int inlineSite) {}

  /**
   * {@code callee} inlined at the call at wasm offset {@code callWasmOffset} in the callee of site
   * {@code parent}, or ({@link InlineMap#NONE}) in the function the code is in.
   */
  public record InlinedCall(FuncKey callee, int callWasmOffset, int parent) {}

  /** The call returning to {@code returnOffset} lands at {@code landingOffset} when an exception unwinds through it. */
  public record Handler(int returnOffset, int landingOffset) {}

  /** Text that catches no exception. */
  public LinkedText(byte[] text, List<PlacedFunction> functions, List<Trap> traps,
      List<AddressMapping> addressMap, List<InlinedCall> inlineSites, List<FuncKey> dropped) {
    this(text, functions, traps, addressMap, inlineSites, dropped, List.of());
  }

  public LinkedText {
    text = Objects.requireNonNull(text, "text").clone();
    functions = List.copyOf(functions);
    traps = List.copyOf(traps);
    addressMap = PackedAddressMap.of(addressMap); // a copy too, immutable and without nulls
    inlineSites = List.copyOf(inlineSites);
    dropped = List.copyOf(dropped);
    handlers = List.copyOf(handlers);
  }

  @Override
  public byte[] text() {
    return text.clone();
  }

  /** The encoded function index ({@code .kiln.funcs}) of the kept functions. */
  public byte[] functionIndex() {
    FunctionIndexBuilder index = new FunctionIndexBuilder();
    for (PlacedFunction f : functions) {
      index.add(f.key(), f.start(), f.size());
    }
    return index.build();
  }

  /** Hands the text, functions, traps, address map and inline sites to {@code writer}. */
  public CwasmWriter writeTo(CwasmWriter writer) {
    writer.adoptText(text); // LinkedText's own copy: no one changes it, so the writer need not copy it
    for (PlacedFunction f : functions) {
      writer.function(f.key(), f.start(), f.size(), f.symbolName());
    }
    for (Trap t : traps) {
      writer.trap(t.textOffset(), t.code());
    }
    for (Handler h : handlers) {
      writer.handler(h.returnOffset(), h.landingOffset());
    }
    for (InlinedCall call : inlineSites) {
      writer.inlineSite(call.callee(), call.callWasmOffset(), call.parent());
    }
    PackedAddressMap map = (PackedAddressMap) addressMap;
    for (int i = 0; i < map.size(); i++) {
      writer.addressMapping(map.textOffset(i), map.wasmOffset(i), map.inlineSite(i));
    }
    return writer;
  }
}
