package dev.kiln.compiler.link;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.elf.CwasmWriter;
import dev.kiln.artifact.elf.TextImage;
import dev.kiln.artifact.index.FunctionIndexBuilder;
import dev.kiln.artifact.tables.InlineMap;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.Reloc;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * The linker's output: the laid-out {@code .text} and everything the artifact's tables need, in
 * text offsets.
 *
 * <p>Neither the text nor the tables are copied out of the compiled functions ahead of time: the
 * text's bytes are made as the writer takes them ({@link #textImage}), and {@link #writeTo} rebases
 * each kept function's trap sites, inline sites and address map as it hands them to the writer
 * ({@link RebasedTables}), every entry checked on its way, and {@link #textImage} checks each
 * relocation as it patches it ({@link Relocator}): a bad one is a {@link LinkException} there.
 * {@link #traps}, {@link #addressMap} and {@link #inlineSites} build the same entries as lists, for
 * tests and tools that look at them; a compile does not.
 */
public final class LinkedText {
  private final int textSize;
  private final byte padding;
  private final List<PlacedFunction> functions;
  private final List<CompiledFunction> compiled;
  private final Relocator relocator;
  private final List<FuncKey> dropped;

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

  /**
   * The call returning to {@code returnOffset} lands at {@code landingOffset} when an exception
   * unwinds through it, its frame {@code frameBelowFp} bytes deep below the frame pointer.
   */
  public record Handler(int returnOffset, int landingOffset, int frameBelowFp) {}

  /**
   * @param textSize the text's size: where the last function ends
   * @param padding the byte between functions ({@link Linker#paddingByte})
   * @param functions the kept functions in FuncKey (text) order
   * @param compiled every compiled function of the link, dropped ones too
   * @param kept the position in {@code compiled} of each of {@code functions}: its code's and its
   *     tables' source, read each time the text or the tables are written
   * @param relocator resolves the link's relocations, checking each
   * @param dropped functions no root reaches, in FuncKey order
   */
  LinkedText(int textSize, byte padding, List<PlacedFunction> functions, CompiledFunctions compiled, int[] kept,
      Relocator relocator, List<FuncKey> dropped) {
    if (functions.size() != kept.length) {
      throw new IllegalArgumentException(functions.size() + " placed functions but " + kept.length + " compiled");
    }
    this.textSize = textSize;
    this.padding = padding;
    this.functions = List.copyOf(functions);
    this.compiled = new KeptFunctions(compiled, kept.clone());
    this.relocator = relocator;
    this.dropped = List.copyOf(dropped);
  }

  /** The kept functions' compiled forms in text order, each read from the link's functions when asked for. */
  private static final class KeptFunctions extends AbstractList<CompiledFunction> implements RandomAccess {
    private final CompiledFunctions all;
    private final int[] positions;

    KeptFunctions(CompiledFunctions all, int[] positions) {
      this.all = all;
      this.positions = positions;
    }

    @Override
    public CompiledFunction get(int index) {
      return all.function(positions[index]);
    }

    @Override
    public int size() {
      return positions.length;
    }
  }

  /**
   * The relocated machine code of every kept function, padded between functions (made on each call).
   *
   * @throws LinkException if a relocation does not fit its function or reach its target
   */
  public byte[] text() {
    byte[] text = new byte[textSize];
    int[] at = {0};
    textImage().writeTo((bytes, offset, length) -> {
      System.arraycopy(bytes, offset, text, at[0], length);
      at[0] += length;
    });
    return text;
  }

  /** The size of {@link #text()} in bytes. */
  public int textSize() {
    return textSize;
  }

  /**
   * The text as the artifact's writer takes it: each function's code copied and relocated only as
   * it is written, one function at a time, so the compiled functions' code is the one whole copy
   * of the text until the file holds it. Its {@code writeTo} throws {@link LinkException} at a
   * relocation that does not fit its function or reach its target, before that function's bytes are
   * handed on; the writer that called it makes no file then ({@code ArtifactFileWriter}).
   */
  public TextImage textImage() {
    return new TextImage() {
      @Override
      public int size() {
        return textSize;
      }

      @Override
      public void writeTo(TextImage.Output out) {
        TextWriter text = new TextWriter(out);
        CompileDeadline.forEach(Phase.ASSEMBLY, functions.size(), text::write);
        if (text.at != textSize) {
          throw new IllegalStateException("text written to " + text.at + " of " + textSize + " bytes");
        }
      }
    };
  }

  /** Writes the text function by function, each after the padding up to its start. */
  private final class TextWriter {
    private final TextImage.Output out;
    private final byte[] gap = new byte[64];
    /** Each function's copy, relocated; grown to the largest. */
    private byte[] code = new byte[0];
    /** The bytes written so far. */
    int at;

    TextWriter(TextImage.Output out) {
      this.out = out;
      Arrays.fill(gap, padding);
    }

    void write(int i) {
      PlacedFunction p = functions.get(i);
      while (at < p.start()) {
        int n = Math.min(gap.length, p.start() - at);
        out.write(gap, 0, n);
        at += n;
      }
      CompiledFunction f = compiled.get(i);
      if (code.length < f.size()) {
        code = new byte[f.size()];
      }
      f.copyCodeInto(code, 0);
      for (Reloc r : f.relocs()) {
        relocator.apply(p, r, code);
      }
      out.write(code, 0, f.size());
      at += f.size();
    }
  }

  /** Kept functions in FuncKey order, which is also text order. */
  public List<PlacedFunction> functions() {
    return functions;
  }

  /** Functions no root reaches, in FuncKey order (not in the text). */
  public List<FuncKey> dropped() {
    return dropped;
  }

  /**
   * Trap sites in increasing text offset.
   *
   * @throws LinkException if a function's table entry is out of place (a site outside its function,
   *     an unknown trap code, an address map out of order, an inline site it does not have)
   */
  public List<Trap> traps() {
    List<Trap> traps = new ArrayList<>();
    RebasedTables.stream(functions, compiled, new RebasedTables.Sink() {
      @Override
      public void trap(int textOffset, TrapCode code) {
        traps.add(new Trap(textOffset, code));
      }
    });
    return List.copyOf(traps);
  }

  /**
   * Address map entries in strictly increasing text offset.
   *
   * @throws LinkException if a function's table entry is out of place (a site outside its function,
   *     an unknown trap code, an address map out of order, an inline site it does not have)
   */
  public List<AddressMapping> addressMap() {
    List<AddressMapping> map = new ArrayList<>();
    RebasedTables.stream(functions, compiled, new RebasedTables.Sink() {
      @Override
      public void addressMapping(int textOffset, int wasmOffset, int inlineSite) {
        map.add(new AddressMapping(textOffset, wasmOffset, inlineSite));
      }
    });
    return List.copyOf(map);
  }

  /**
   * The inlined calls of every kept function, which {@link AddressMapping#inlineSite()} indexes; a
   * site's parent precedes it.
   *
   * @throws LinkException if a function's table entry is out of place (a site outside its function,
   *     an unknown trap code, an address map out of order, an inline site it does not have)
   */
  public List<InlinedCall> inlineSites() {
    List<InlinedCall> sites = new ArrayList<>();
    RebasedTables.stream(functions, compiled, new RebasedTables.Sink() {
      @Override
      public void inlineSite(FuncKey callee, int callWasmOffset, int parent) {
        sites.add(new InlinedCall(callee, callWasmOffset, parent));
      }
    });
    return List.copyOf(sites);
  }

  /**
   * Handler sites in increasing return offset, with their landing pads and frame depths.
   *
   * @throws LinkException if a function's table entry is out of place (a site outside its function,
   *     an unknown trap code, an address map out of order, an inline site it does not have)
   */
  public List<Handler> handlers() {
    List<Handler> handlers = new ArrayList<>();
    RebasedTables.stream(functions, compiled, new RebasedTables.Sink() {
      @Override
      public void handler(int returnOffset, int landingOffset, int frameBelowFp) {
        handlers.add(new Handler(returnOffset, landingOffset, frameBelowFp));
      }
    });
    return List.copyOf(handlers);
  }

  /** The encoded function index ({@code .kiln.funcs}) of the kept functions. */
  public byte[] functionIndex() {
    FunctionIndexBuilder index = new FunctionIndexBuilder();
    for (int i = 0; i < functions.size(); i++) {
      CompileDeadline.pollCounted(Phase.ASSEMBLY, i);
      PlacedFunction f = functions.get(i);
      index.add(f.key(), f.start(), f.size());
    }
    return index.build();
  }

  /**
   * Hands the text, functions, traps, handler sites, address map and inline sites to {@code writer}.
   * The text's relocations are checked as {@code writer} writes it ({@link #textImage}).
   *
   * @throws LinkException if a function's table entry is out of place (a site outside its function,
   *     an unknown trap code, an address map out of order, an inline site it does not have) ({@code writer} is then unfit to finish)
   */
  public CwasmWriter writeTo(CwasmWriter writer) {
    writer.text(textImage());
    CompileDeadline.forEach(Phase.ASSEMBLY, functions.size(), i -> {
      PlacedFunction f = functions.get(i);
      writer.function(f.key(), f.start(), f.size(), f.symbolName());
    });
    RebasedTables.stream(functions, compiled, new RebasedTables.Sink() {
      @Override
      public void trap(int textOffset, TrapCode code) {
        writer.trap(textOffset, code);
      }

      @Override
      public void inlineSite(FuncKey callee, int callWasmOffset, int parent) {
        writer.inlineSite(callee, callWasmOffset, parent);
      }

      @Override
      public void addressMapping(int textOffset, int wasmOffset, int inlineSite) {
        writer.addressMapping(textOffset, wasmOffset, inlineSite);
      }

      @Override
      public void handler(int returnOffset, int landingOffset, int frameBelowFp) {
        writer.handler(returnOffset, landingOffset, frameBelowFp);
      }

      @Override
      public int residentStackSlots(int frameBelowFp, int[] slotOffsets) {
        return writer.residentStackSlots(frameBelowFp, slotOffsets);
      }

      @Override
      public void stackMap(int returnOffset, int frameBelowFp, int residentSet, int[] slotOffsets) {
        writer.stackMap(returnOffset, frameBelowFp, residentSet, slotOffsets);
      }
    });
    return writer;
  }
}
