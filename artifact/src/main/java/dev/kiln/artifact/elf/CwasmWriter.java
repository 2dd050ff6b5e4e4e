package dev.kiln.artifact.elf;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.compat.CompatHeader;
import dev.kiln.artifact.index.FunctionIndexBuilder;
import dev.kiln.artifact.internal.ByteSink;
import dev.kiln.artifact.seal.ArtifactSeal;
import dev.kiln.artifact.seal.SigningKey;
import dev.kiln.artifact.tables.AddressMapBuilder;
import dev.kiln.artifact.tables.InlineMap;
import dev.kiln.artifact.tables.InlineMapBuilder;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.tables.HandlerTableBuilder;
import dev.kiln.artifact.tables.StackMapTableBuilder;
import dev.kiln.artifact.tables.TrapTableBuilder;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Assembles a {@code .cwasm} from linked text and its tables. The caller (the compiler's linker)
 * gives the {@code .text} (bytes, or a {@link TextImage} that makes them as the file is written),
 * then each function in FuncKey order with its place in the text and a symbol name, then trap sites
 * and address-map entries in text order; the writer builds the function index, the trap table, the
 * address map and the symbol table from them. The file is laid out front to back, into an array of
 * its size ({@link #toByteArray}) or streamed to disk ({@link #writeTo(Path, Optional)}).
 *
 * <p>File layout, all offsets from the file start: ELF header; Kiln's sections (8-byte aligned);
 * {@code .text} at the target's page size; {@code .symtab}, {@code .strtab}, {@code .shstrtab};
 * section header table; {@code .kiln.seal}, the CRC32C of everything before it ({@link
 * ArtifactSeal}). ET_REL with no program headers: see docs/cwasm-format.md for why.
 */
public final class CwasmWriter {
  /** The alignment of every Kiln section but {@code .text}, which the reader's layout check repeats. */
  static final int METADATA_ALIGNMENT = 8;

  private final CompatHeader compat;
  private final FunctionIndexBuilder functions = new FunctionIndexBuilder();
  private final TrapTableBuilder traps = new TrapTableBuilder();
  private final AddressMapBuilder addressMap = new AddressMapBuilder();
  private final InlineMapBuilder inlineMap = new InlineMapBuilder();
  private final HandlerTableBuilder handlers = new HandlerTableBuilder();
  private final StackMapTableBuilder stackMaps = new StackMapTableBuilder();
  private final List<Symbol> symbols = new ArrayList<>();
  /** {@code .strtab}'s size so far: its leading NUL and each symbol's name and NUL. */
  private long strtabSize = 1;
  private TextImage text = TextImage.of(new byte[0]);
  private byte[] moduleInfo = new byte[0];
  private byte[] data = new byte[0];
  private int maxTableOffset = -1;

  /** A function's symbol: its name in UTF-8, which starts at {@code nameOffset} of {@code .strtab}. */
  private record Symbol(byte[] name, long nameOffset, int start, int length) {}

  public CwasmWriter(CompatHeader compat) {
    this.compat = Objects.requireNonNull(compat);
  }

  /** The linked machine code: every function, in FuncKey order, already relocated. */
  public CwasmWriter text(byte[] code) {
    this.text = TextImage.of(code.clone());
    return this;
  }

  /**
   * The linked machine code, written out only when the file is ({@link #toByteArray}, {@link
   * #writeTo}): for a linker that copies each function's code into the file itself rather than
   * into a text of its own first (tens of megabytes for a large module, which the file would hold
   * again).
   */
  public CwasmWriter text(TextImage code) {
    this.text = Objects.requireNonNull(code, "code");
    return this;
  }

  /**
   * Adds the function {@code key} at {@code [start, start + length)} of {@code .text}, with the symbol
   * name tools will show for it.
   *
   * @throws IllegalArgumentException if the key or range breaks FuncKey order, or the name holds NUL
   */
  public CwasmWriter function(FuncKey key, int start, int length, String symbolName) {
    if (symbolName.isEmpty() || symbolName.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("symbol name must be non-empty and free of NUL: " + key);
    }
    functions.add(key, start, length);
    byte[] name = symbolName.getBytes(StandardCharsets.UTF_8);
    symbols.add(new Symbol(name, strtabSize, start, length));
    strtabSize += name.length + 1;
    return this;
  }

  /** Records a trap site; offsets must increase. */
  public CwasmWriter trap(int textOffset, TrapCode code) {
    traps.add(textOffset, code);
    maxTableOffset = Math.max(maxTableOffset, textOffset);
    return this;
  }

  /**
   * Records a handler site: the call returning to {@code returnOffset} lands at {@code
   * landingOffset} when an exception unwinds through it, its frame {@code frameBelowFp} bytes deep
   * below the frame pointer; return offsets must increase.
   */
  public CwasmWriter handler(int returnOffset, int landingOffset, int frameBelowFp) {
    handlers.add(returnOffset, landingOffset, frameBelowFp);
    maxTableOffset = Math.max(maxTableOffset, Math.max(returnOffset, landingOffset));
    return this;
  }

  /**
   * Records a GC safepoint: while the call returning to {@code returnOffset} is under way, its frame
   * ({@code frameBelowFp} bytes below the frame pointer) holds GC references at {@code slotOffsets}
   * above its stack pointer; return offsets must increase.
   */
  public CwasmWriter stackMap(int returnOffset, int frameBelowFp, int[] slotOffsets) {
    return stackMap(returnOffset, frameBelowFp, StackMapTableBuilder.NO_RESIDENT_SET, slotOffsets);
  }

  /**
   * Records the frame slots ({@code slotOffsets} above the stack pointer of a frame {@code
   * frameBelowFp} bytes below its frame pointer) where a function keeps GC references for its whole
   * run, once; returns the set's index, which each of its safepoints names ({@link #stackMap(int,
   * int, int, int[])}) instead of listing the slots again.
   */
  public int residentStackSlots(int frameBelowFp, int[] slotOffsets) {
    return stackMaps.residentSet(frameBelowFp, slotOffsets);
  }

  /**
   * Records a GC safepoint as {@link #stackMap(int, int, int[])} does, whose frame also holds GC
   * references in the slots of {@code residentSet} ({@link #residentStackSlots}, or {@link
   * StackMapTableBuilder#NO_RESIDENT_SET}).
   */
  public CwasmWriter stackMap(int returnOffset, int frameBelowFp, int residentSet, int[] slotOffsets) {
    stackMaps.add(returnOffset, frameBelowFp, residentSet, slotOffsets);
    maxTableOffset = Math.max(maxTableOffset, returnOffset);
    return this;
  }

  /** Records an address-map entry for code that was not inlined; offsets must increase. */
  public CwasmWriter addressMapping(int textOffset, int wasmOffset) {
    return addressMapping(textOffset, wasmOffset, InlineMap.NONE);
  }

  /**
   * Records an address-map entry: code from {@code textOffset} on is the wasm instruction at {@code
   * wasmOffset} of the callee of {@code inlineSite} ({@link #inlineSite}), or of the function itself
   * when that is {@link InlineMap#NONE}; offsets must increase.
   */
  public CwasmWriter addressMapping(int textOffset, int wasmOffset, int inlineSite) {
    addressMap.add(textOffset, wasmOffset);
    inlineMap.add(textOffset, inlineSite);
    maxTableOffset = Math.max(maxTableOffset, textOffset);
    return this;
  }

  /**
   * Declares an inlined call for {@code .kiln.inline}: {@code callee}'s code inlined at the call at
   * {@code callWasmOffset} in the callee of site {@code parent} ({@link InlineMap#NONE}: in the
   * function itself); returns the site's index.
   */
  public int inlineSite(FuncKey callee, int callWasmOffset, int parent) {
    return inlineMap.site(callee, callWasmOffset, parent);
  }

  /** Module info bytes ({@code .kiln.info}), whose encoding the compiler and loader define. */
  public CwasmWriter moduleInfo(byte[] bytes) {
    this.moduleInfo = bytes.clone();
    return this;
  }

  /** Data segment bytes ({@code .kiln.data}). */
  public CwasmWriter data(byte[] bytes) {
    this.data = bytes.clone();
    return this;
  }

  /** Writes the artifact to {@code path} without disturbing a process running the old file there. */
  public void writeTo(Path path) throws IOException {
    writeTo(path, Optional.empty());
  }

  /**
   * Writes the artifact to {@code path} as {@link #writeTo(Path)} does, streamed: the file goes to
   * disk in {@link ArtifactFileWriter#IO_SLICE_BYTES} slices as it is laid out, never whole in
   * memory; with a {@code signKey}, sealed with its tag as {@link ArtifactSeal#sign} would.
   *
   * @return the file's size in bytes
   * @throws IllegalStateException if a function or table entry lies outside {@code .text}
   * @throws RuntimeException whatever the text throws as it is written ({@link TextImage#writeTo}),
   *     after which no file is left at {@code path} but the old one
   */
  public long writeTo(Path path, Optional<SigningKey> signKey) throws IOException {
    Sections sections = sections();
    long[] written = new long[1];
    ArtifactFileWriter.write(path, channel -> {
      FileOutput.ToChannel out = new FileOutput.ToChannel(channel, ArtifactSeal.sealer(signKey));
      try {
        layOut(sections, out);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      out.flush();
      written[0] = out.size();
    });
    return written[0];
  }

  /**
   * The complete file.
   *
   * @throws IllegalStateException if a function or table entry lies outside {@code .text}
   * @throws RuntimeException whatever the text throws as it is written ({@link TextImage#writeTo})
   */
  public byte[] toByteArray() {
    Sections sections = sections();
    long size = sections.fileSize();
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("artifact larger than 2 GiB (" + size + " bytes)");
    }
    FileOutput.ToArray out = new FileOutput.ToArray((int) size, ArtifactSeal.sealer(Optional.empty()));
    layOut(sections, out);
    return out.file();
  }

  /**
   * The encoded contents of every Kiln section but {@code .text}, and the symbol names: everything
   * the file holds but the text, which is written only as the file is laid out.
   */
  private record Sections(Map<KilnSection, byte[]> contents, TextImage text, byte[] strtab, int symbols, int textPageSize) {
    int size(KilnSection section) {
      return section == KilnSection.TEXT ? text.size() : contents.get(section).length;
    }

    int alignment(KilnSection section) {
      return section == KilnSection.TEXT ? textPageSize : METADATA_ALIGNMENT;
    }

    /** File offset of each Kiln section, in {@link KilnSection} order, as {@link #layOut} lays them out. */
    long[] offsets() {
      long[] offsets = new long[KilnSection.values().length];
      long at = Elf.EHDR_SIZE;
      for (KilnSection section : KilnSection.values()) {
        at = align(at, alignment(section));
        offsets[section.ordinal()] = at;
        at += size(section);
      }
      return offsets;
    }

    /** File offset of {@code .symtab}, which follows the last Kiln section 8-aligned. */
    long symtabOffset() {
      KilnSection last = KilnSection.values()[KilnSection.values().length - 1];
      return align(offsets()[last.ordinal()] + size(last), 8);
    }

    /** The file's size: the Kiln sections, the symbol and string tables, the section header table and the seal. */
    long fileSize() {
      long shstrtab = 1;
      for (KilnSection section : KilnSection.values()) {
        shstrtab += section.elfName().length() + 1;
      }
      for (String name : List.of(".symtab", ".strtab", ".shstrtab", ArtifactSeal.SECTION)) {
        shstrtab += name.length() + 1;
      }
      long size = symtabOffset() + (long) (symbols + 2) * Elf.SYM_SIZE + strtab.length + shstrtab;
      int headers = 1 + KilnSection.values().length + 3 + 1;
      return align(size, 8) + (long) headers * Elf.SHDR_SIZE + ArtifactSeal.SIZE;
    }
  }

  private Sections sections() {
    if (functions.textEnd() > text.size()) {
      throw new IllegalStateException("functions end at " + functions.textEnd() + " but .text has " + text.size() + " bytes");
    }
    if (maxTableOffset >= text.size()) {
      throw new IllegalStateException("a trap or address-map offset (" + maxTableOffset + ") lies outside .text ("
          + text.size() + " bytes)");
    }
    Map<KilnSection, byte[]> contents = new EnumMap<>(KilnSection.class);
    contents.put(KilnSection.COMPAT, compat.encode());
    contents.put(KilnSection.FUNCS, functions.build());
    int[] functionStarts = new int[symbols.size()];
    CompileDeadline.forEach(Phase.ASSEMBLY, symbols.size(), i -> functionStarts[i] = symbols.get(i).start());
    contents.put(KilnSection.TRAPS, traps.build(functionStarts));
    contents.put(KilnSection.ADDRMAP, addressMap.build(functionStarts));
    contents.put(KilnSection.INLINE, inlineMap.build(functionStarts));
    contents.put(KilnSection.HANDLERS, handlers.build(functionStarts));
    contents.put(KilnSection.STACKMAPS, stackMaps.build(functionStarts));
    contents.put(KilnSection.INFO, moduleInfo);
    contents.put(KilnSection.DATA, data);
    return new Sections(contents, text, symbolNames(), symbols.size(), compat.target().pageSize());
  }

  /**
   * Writes the file front to back into {@code file}: the ELF header (its section header offset
   * worked out beforehand, {@link Sections}), each Kiln section at its alignment, {@code .symtab}
   * (8-aligned), {@code .strtab}, {@code .shstrtab}, the section header table (8-aligned; the null
   * header, the Kiln sections, the three symbol and string tables and the seal) and the seal, which
   * goes last so that the loader finds it from the file size.
   */
  private void layOut(Sections sections, FileOutput file) {
    ShstrtabBuilder shstrtab = new ShstrtabBuilder();
    List<SectionHeader> headers = new ArrayList<>();
    headers.add(SectionHeader.NULL);
    long[] offsets = sections.offsets();
    int textIndex = -1;
    for (KilnSection section : KilnSection.values()) {
      boolean isText = section == KilnSection.TEXT;
      if (isText) {
        textIndex = headers.size();
      }
      headers.add(new SectionHeader(shstrtab.add(section.elfName()), Elf.SHT_PROGBITS,
          isText ? Elf.SHF_ALLOC | Elf.SHF_EXECINSTR : 0, offsets[section.ordinal()], sections.size(section), 0, 0,
          sections.alignment(section), 0));
    }
    byte[] symtab = symbolTable(textIndex);
    byte[] strtab = sections.strtab();
    long symtabOffset = sections.symtabOffset();
    headers.add(new SectionHeader(shstrtab.add(".symtab"), Elf.SHT_SYMTAB, 0, symtabOffset, symtab.length,
        headers.size() + 1, symtab.length / Elf.SYM_SIZE, 8, Elf.SYM_SIZE));
    long strtabOffset = symtabOffset + symtab.length;
    headers.add(new SectionHeader(shstrtab.add(".strtab"), Elf.SHT_STRTAB, 0, strtabOffset, strtab.length, 0, 0, 1, 0));
    int shstrtabName = shstrtab.add(".shstrtab");
    int sealName = shstrtab.add(ArtifactSeal.SECTION);
    byte[] shstrtabBytes = shstrtab.bytes();
    int shstrtabIndex = headers.size();
    long shstrtabOffset = strtabOffset + strtab.length;
    headers.add(new SectionHeader(shstrtabName, Elf.SHT_STRTAB, 0, shstrtabOffset, shstrtabBytes.length, 0, 0, 1, 0));
    long sectionHeaderOffset = align(shstrtabOffset + shstrtabBytes.length, 8);
    long sealOffset = sectionHeaderOffset + (long) (headers.size() + 1) * Elf.SHDR_SIZE;
    headers.add(new SectionHeader(sealName, Elf.SHT_PROGBITS, 0, sealOffset, ArtifactSeal.SIZE, 0, 0, 8, 0));

    file.write(elfHeader(sectionHeaderOffset, headers.size(), shstrtabIndex));
    file.padTo(Elf.EHDR_SIZE);
    for (KilnSection section : KilnSection.values()) {
      file.padTo(offsets[section.ordinal()]);
      if (section == KilnSection.TEXT) {
        sections.text().writeTo(file);
      } else {
        file.write(sections.contents().get(section));
      }
      long end = offsets[section.ordinal()] + sections.size(section);
      if (file.size() != end) {
        throw new IllegalStateException(section.elfName() + " ends at " + file.size() + ", laid out to end at " + end);
      }
    }
    file.padTo(symtabOffset);
    file.write(symtab);
    file.write(strtab);
    file.write(shstrtabBytes);
    file.padTo(sectionHeaderOffset);
    ByteSink table = new ByteSink(headers.size() * Elf.SHDR_SIZE);
    for (SectionHeader h : headers) {
      h.writeTo(table);
    }
    file.write(table.take());
    file.seal();
    if (file.size() != sections.fileSize()) {
      throw new IllegalStateException("artifact laid out in " + file.size() + " bytes, sized for " + sections.fileSize());
    }
  }

  private static long align(long value, long alignment) {
    return (value + alignment - 1) & -alignment;
  }

  private byte[] elfHeader(long sectionHeaderOffset, int sectionCount, int shstrtabIndex) {
    ByteSink h = new ByteSink();
    h.u8(0x7F).u8('E').u8('L').u8('F');
    h.u8(Elf.ELFCLASS64).u8(Elf.ELFDATA2LSB).u8(Elf.EV_CURRENT).u8(Elf.ELFOSABI_KILN).u8(0);
    h.align(16); // EI_PAD up to EI_NIDENT
    h.u16(Elf.ET_REL).u16(compat.target().elfMachine()).u32(Elf.EV_CURRENT);
    h.u64(0); // e_entry: none, the loader resolves entry points through the function index
    h.u64(0); // e_phoff: no program headers
    h.u64(sectionHeaderOffset);
    h.u32(Elf.EF_KILN);
    h.u16(Elf.EHDR_SIZE).u16(0).u16(0); // e_ehsize, e_phentsize, e_phnum
    h.u16(Elf.SHDR_SIZE).u16(sectionCount).u16(shstrtabIndex);
    return h.toByteArray();
  }

  /**
   * {@code .strtab}: a leading NUL, then each symbol name NUL-terminated, in function order. This
   * loop and {@link #symbolTable}'s poll the compile's deadline as the linker's loop over the same
   * functions does: there is one symbol a function, and the module chooses how many.
   */
  private byte[] symbolNames() {
    ByteSink s = new ByteSink().u8(0);
    CompileDeadline.forEach(Phase.ASSEMBLY, symbols.size(), i -> s.bytes(symbols.get(i).name()).u8(0));
    return s.toByteArray();
  }

  /**
   * {@code .symtab}: the null symbol, a section symbol for {@code .text}, then one local STT_FUNC per
   * function whose value is its text offset (section-relative, as ET_REL requires).
   */
  private byte[] symbolTable(int textIndex) {
    ByteSink s = new ByteSink();
    s.bytes(new byte[Elf.SYM_SIZE]);
    s.u32(0).u8(Elf.STB_LOCAL << 4 | Elf.STT_SECTION).u8(0).u16(textIndex).u64(0).u64(0);
    CompileDeadline.forEach(Phase.ASSEMBLY, symbols.size(), i -> {
      Symbol sym = symbols.get(i);
      // .strtab is under 2 GiB here: symbolNames, which made it first, refuses a larger one.
      s.u32((int) sym.nameOffset()).u8(Elf.STB_LOCAL << 4 | Elf.STT_FUNC).u8(0).u16(textIndex)
          .u64(sym.start()).u64(sym.length());
    });
    return s.toByteArray();
  }

  private record SectionHeader(int name, int type, long flags, long offset, long size, int link, int info,
      long alignment, long entrySize) {
    static final SectionHeader NULL = new SectionHeader(0, Elf.SHT_NULL, 0, 0, 0, 0, 0, 0, 0);

    void writeTo(ByteSink out) {
      out.u32(name).u32(type).u64(flags).u64(0).u64(offset).u64(size).u32(link).u32(info).u64(alignment).u64(entrySize);
    }
  }

  private static final class ShstrtabBuilder {
    private final ByteSink bytes = new ByteSink().u8(0);

    int add(String name) {
      int offset = bytes.size();
      bytes.bytes(name.getBytes(StandardCharsets.US_ASCII)).u8(0);
      return offset;
    }

    byte[] bytes() {
      return bytes.toByteArray();
    }
  }
}
