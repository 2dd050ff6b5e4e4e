package dev.kiln.runtime.tools;

import dev.kiln.artifact.ArtifactException;
import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.compat.CompatHeader;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.elf.KilnSection;
import dev.kiln.artifact.index.FunctionIndex;
import dev.kiln.artifact.index.WasmtimeTableSize;
import dev.kiln.artifact.info.ExternKind;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.artifact.tables.InlineMap;
import dev.kiln.compiler.driver.SymbolNames;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.Target;
import dev.kiln.runtime.internal.EngineAccess;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.function.Supplier;

/**
 * A {@code .cwasm} opened for {@code kiln inspect} and {@code kiln objdump}, read through the checks
 * the loader uses: its seal, compat header, sections, module info and function index, and the text
 * with its side tables (trap sites, address map, inline map) for a disassembly. Functions are named
 * as the compiler named them: from the wasm name section, else the export name. Any damage is a
 * {@link KilnException} with the artifact reader's one-line message: from {@link #open}, or from the
 * first method that reads a side table (they are checked when first read, so printing can find
 * damage too). Not thread-safe; the contents live as long as the arena they were opened in.
 */
public final class ArtifactContents {
  private final CwasmFile file;
  private final ModuleInfo info;
  private final SymbolNames symbols;

  private ArtifactContents(CwasmFile file, ModuleInfo info, SymbolNames symbols) {
    this.file = file;
    this.info = info;
    this.symbols = symbols;
  }

  /**
   * Reads and checks the artifact in {@code path} into {@code arena}.
   *
   * @throws KilnException if it is damaged, foreign or not a {@code .cwasm}
   * @throws IOException if it cannot be read
   */
  public static ArtifactContents open(Path path, Arena arena) throws IOException {
    CwasmFile file;
    try {
      file = CwasmFile.read(path, arena);
    } catch (ArtifactException e) {
      throw EngineAccess.translate(e);
    }
    return checked(() -> {
      ModuleInfo info = file.moduleInfo();
      List<Map.Entry<String, Integer>> exports = info.exports().stream()
          .filter(e -> e.kind() == ExternKind.FUNCTION)
          .map(e -> Map.entry(e.name(), e.index()))
          .toList();
      return new ArtifactContents(file, info,
          SymbolNames.of(info.functionNames(), exports, info.importedFunctionCount()));
    });
  }

  /** What the artifact reader found wrong, as the public API reports it. */
  private static <T> T checked(Supplier<T> read) {
    try {
      return read.get();
    } catch (ArtifactException e) {
      throw EngineAccess.translate(e);
    }
  }

  /** The file's size in bytes. */
  public long fileSize() {
    return file.file().byteSize();
  }

  /** The seal: its CRC32C, and whether an HMAC-SHA256 tag signs it. */
  public String seal() {
    return file.seal().toString();
  }

  /** The target the code is for. */
  public Target target() {
    return Target.fromName(file.target().displayName()).orElseThrow();
  }

  /**
   * The compat header: what a loader compares before it trusts the code.
   *
   * @param formatVersion the artifact format's version
   * @param target the target's name
   * @param kilnVersion the compiler's version
   * @param settings every code-changing setting, by name
   */
  public record Header(int formatVersion, String target, String kilnVersion, SortedMap<String, String> settings) {}

  /** The compat header. */
  public Header header() {
    CompatHeader compat = file.compat();
    return new Header(compat.formatVersion(), compat.target().displayName(), compat.kilnVersion(), compat.settings());
  }

  /**
   * One of Kiln's sections.
   *
   * @param name its ELF name
   * @param fileOffset where it starts in the file
   * @param size its size in bytes
   */
  public record Section(String name, long fileOffset, long size) {}

  /** Kiln's sections, in the format's order. */
  public List<Section> sections() {
    return Arrays.stream(KilnSection.values())
        .map(s -> new Section(s.elfName(), file.fileOffset(s), file.section(s).byteSize())).toList();
  }

  /**
   * What the module info says, in counts.
   *
   * @param types function types
   * @param imports imports
   * @param definedFunctions functions the module defines
   * @param tables tables
   * @param memories memories
   * @param globals globals
   * @param elements element segments
   * @param dataSegments data segments
   * @param dataBytes the data section's size
   * @param escaping functions that escape (exported, in a table, referenced)
   * @param start the start function, if any
   * @param exports the exports, in order
   */
  public record ModuleSummary(int types, int imports, int definedFunctions, int tables, int memories, int globals,
      int elements, int dataSegments, long dataBytes, int escaping, OptionalInt start, List<Export> exports) {}

  /**
   * An export.
   *
   * @param name its name
   * @param kind {@code function}, {@code table}, {@code memory} or {@code global}
   * @param index the index in that kind's index space
   */
  public record Export(String name, String kind, int index) {}

  /** The module info in counts. */
  public ModuleSummary module() {
    return new ModuleSummary(info.types().size(), info.imports().size(), info.functionTypes().size(),
        info.tables().size(), info.memories().size(), info.globals().size(), info.elements().size(),
        info.data().size(), file.section(KilnSection.DATA).byteSize(), info.escaping().size(), info.start(),
        info.exports().stream().map(e -> new Export(e.name(), e.kind().name().toLowerCase(Locale.ROOT), e.index()))
            .toList());
  }

  /**
   * The function index's shape.
   *
   * @param sizeInBytes its encoded size
   * @param functionCount functions in it
   * @param bytesPerFunction its size per function
   * @param namespaceCount FuncKey namespaces
   * @param runCount runs of consecutive keys
   * @param slotCount slots
   */
  public record IndexSummary(long sizeInBytes, int functionCount, double bytesPerFunction, int namespaceCount,
      int runCount, int slotCount) {}

  /** The function index's shape. */
  public IndexSummary index() {
    FunctionIndex index = file.functions();
    return new IndexSummary(index.sizeInBytes(), index.functionCount(), index.bytesPerFunction(),
        index.namespaceCount(), index.runCount(), index.slotCount());
  }

  /**
   * One function of the text.
   *
   * @param key the FuncKey as printed, e.g. {@code wasm[0]::function[3]}
   * @param namespace the key's namespace word
   * @param index the key's index word (unsigned)
   * @param kind the key's kind
   * @param start the text offset it starts at
   * @param length its size, the alignment padding after it included
   * @param name its symbol name
   */
  public record Function(String key, int namespace, int index, String kind, int start, int length, String name) {}

  /** Every function, in FuncKey (= text) order. */
  public List<Function> functions() {
    List<Function> functions = new ArrayList<>();
    for (FunctionIndex.Entry entry : file.functions()) {
      functions.add(new Function(entry.key().toString(), entry.key().namespace(), entry.key().index(),
          entry.key().kind().toString(), entry.range().start(), entry.range().length(), symbols.of(entry.key())));
    }
    return functions;
  }

  /**
   * The size of Wasmtime's postcard {@code CompiledFunctionsTable} for the same functions, its
   * {@code src_locs} taken from where each function's first instruction maps in the address map.
   *
   * @param total the table's size
   * @param withoutSrcLocs its size without the source locations
   */
  public record WasmtimeTable(long total, long withoutSrcLocs) {}

  /** Wasmtime's table for the same functions (reads the address map). */
  public WasmtimeTable wasmtimeTable() {
    return checked(() -> {
      List<WasmtimeTableSize.Function> same = new ArrayList<>();
      for (FunctionIndex.Entry entry : file.functions()) {
        int start = entry.range().start();
        same.add(new WasmtimeTableSize.Function(entry.key(), start, entry.range().length(),
            file.addressMap().wasmOffsetAt(start)));
      }
      WasmtimeTableSize.Size size = WasmtimeTableSize.of(same);
      return new WasmtimeTable(size.total(), size.withoutSrcLocs());
    });
  }

  /** The text's size in bytes. */
  public long textSize() {
    return file.text().byteSize();
  }

  /** A copy of the text. */
  public byte[] text() {
    return file.text().toArray(ValueLayout.JAVA_BYTE);
  }

  /** The number of trap sites. */
  public int trapSiteCount() {
    return checked(() -> file.traps().size());
  }

  /** The number of address-map entries (reads the address map). */
  public int addressMapSize() {
    return checked(() -> file.addressMap().size());
  }

  /**
   * The trap whose site is {@code returnAddress} (a trap site is the return address of the call
   * into the trap stub), as its lowercase name.
   */
  public Optional<String> trapAt(int returnAddress) {
    return checked(() -> file.traps().lookup(returnAddress).map(code -> code.name().toLowerCase(Locale.ROOT)));
  }

  /**
   * The wasm byte offset of the instruction whose code starts at text offset {@code address}, if an
   * address-map entry starts exactly there and maps to one.
   */
  public OptionalInt wasmOffsetStartingAt(int address) {
    return checked(() -> file.addressMap().wasmOffsetStartingAt(address));
  }

  /**
   * A call inlined where the code at {@code address} came from.
   *
   * @param callee the inlined function's name
   * @param callWasmOffset the wasm offset of the call it replaced
   */
  public record InlinedCall(String callee, int callWasmOffset) {}

  /** The innermost inlined call the code at text offset {@code address} belongs to, if any. */
  public Optional<InlinedCall> inlinedAt(int address) {
    return checked(() -> {
      InlineMap inlined = file.inlineMap();
      int site = inlined.siteAt(address);
      return site == InlineMap.NONE ? Optional.empty()
          : Optional.of(new InlinedCall(symbols.of(inlined.callee(site)), inlined.callWasmOffset(site)));
    });
  }

  /** The name of the function whose code contains text offset {@code offset}, if one does. */
  public Optional<String> functionAt(int offset) {
    return file.functions().keyAt(offset).map(this::nameOf);
  }

  private String nameOf(FuncKey key) {
    return symbols.of(key);
  }
}
