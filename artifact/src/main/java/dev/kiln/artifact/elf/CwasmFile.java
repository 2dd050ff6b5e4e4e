package dev.kiln.artifact.elf;

import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.compat.CompatHeader;
import dev.kiln.artifact.index.FunctionIndex;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.artifact.info.ModuleInfoDecoder;
import dev.kiln.artifact.internal.SectionReader;
import dev.kiln.artifact.seal.ArtifactSeal;
import dev.kiln.artifact.seal.SigningKey;
import dev.kiln.artifact.tables.AddressMap;
import dev.kiln.artifact.tables.InlineMap;
import dev.kiln.artifact.tables.FunctionFrames;
import dev.kiln.artifact.tables.HandlerTable;
import dev.kiln.artifact.tables.StackMapTable;
import dev.kiln.artifact.tables.TrapTable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@code .cwasm} opened in place over a (typically mapped) {@link MemorySegment}. {@link #open}
 * checks, in this order, before handing out anything: the seal at the end of the file ({@link
 * ArtifactSeal}: the CRC32C of every other byte, and with a key the HMAC-SHA256 tag), so that no
 * offset, size or code byte is trusted before it is known to be the one the writer wrote; the ELF
 * identification (magic, ELF64, little-endian, Kiln OSABI and e_flags, ET_REL, a supported
 * e_machine); the section header table and the layout ({@link SectionTable}); the compatibility
 * header's target agreeing with e_machine; and then the full structure of the function index.
 * The trap table and address map are checked just as fully on their first use, and module info
 * when {@link #moduleInfo} decodes it. Any failure is a {@link CorruptArtifactException} naming
 * the section and the file offset (or {@link dev.kiln.artifact.IncompatibleArtifactException} for
 * another format version); other accessors only slice the segment.
 *
 * <p>Checking settings against the running engine is separate: {@code compat().check(...)}.
 */
public final class CwasmFile {
  private static final String HEADER = "ELF header";

  private final MemorySegment file;
  private final Target target;
  private final ArtifactSeal.Seal seal;
  private final CompatHeader compat;
  private final SectionTable sections;
  private final FunctionIndex functions;
  // Read only by tooling and by the host after a trap, never by compiled code: validated on first
  // use rather than at open, so that opening costs the same whatever the size of the code they
  // describe (both grow with it). Racing first uses validate twice and keep equal values.
  private volatile TrapTable traps;
  private volatile AddressMap addressMap;
  private volatile InlineMap inlineMap;
  private volatile HandlerTable handlers;
  private volatile StackMapTable stackMaps;

  private CwasmFile(MemorySegment file, Target target, ArtifactSeal.Seal seal, CompatHeader compat,
      SectionTable sections, FunctionIndex functions) {
    this.file = file;
    this.target = target;
    this.seal = seal;
    this.compat = compat;
    this.sections = sections;
    this.functions = functions;
  }

  /**
   * Reads {@code path} into memory of {@code arena} and opens that copy ({@link ArtifactFileReader}
   * says why a copy, not a mapping). The copy lives as long as the arena.
   */
  public static CwasmFile read(Path path, Arena arena) throws IOException {
    try (FileChannel channel = ArtifactFileReader.open(path)) {
      // Page-aligned, as a mapping was: offsets the writer aligned stay aligned in memory.
      MemorySegment copy = arena.allocate(channel.size(), 4096);
      ArtifactFileReader.readFully(channel, copy);
      return open(copy);
    }
  }

  /**
   * Whether {@code bytes} start like a Kiln artifact (ELF magic, Kiln OSABI and e_flags): a cheap test
   * for telling a {@code .cwasm} from a {@code .wasm}, not a validation.
   */
  public static boolean looksLikeCwasm(MemorySegment bytes) {
    if (bytes.byteSize() < Elf.EHDR_SIZE) {
      return false;
    }
    return bytes.get(SectionReader.U32, 0) == 0x464C457F
        && Byte.toUnsignedInt(bytes.get(SectionReader.U8, Elf.EI_OSABI)) == Elf.ELFOSABI_KILN
        && bytes.get(SectionReader.U32, 48) == Elf.EF_KILN;
  }

  /** Checks and opens the artifact in {@code file}, signed or not; see the class comment. */
  public static CwasmFile open(MemorySegment file) {
    return open(file, Optional.empty());
  }

  /**
   * Checks and opens the artifact in {@code file}; with a {@code key}, the artifact must also carry
   * an HMAC-SHA256 tag made with it.
   */
  public static CwasmFile open(MemorySegment file, Optional<SigningKey> key) {
    if (!ArtifactSeal.isPresent(file)) {
      // Say what the file is, if it is not ours, before saying that it has no seal.
      checkIdentification(file);
    }
    ArtifactSeal.Seal seal = ArtifactSeal.verify(file, key);
    Target target = checkIdentification(file);
    SectionTable sections;
    try {
      sections = SectionTable.read(file, target);
    } catch (CorruptArtifactException e) {
      throw e.inSectionAt(0); // its offsets are the file's
    }
    CompatHeader compat = inSection(sections, KilnSection.COMPAT,
        () -> CompatHeader.decode(sections.contents(KilnSection.COMPAT.elfName())));
    if (compat.target() != target) {
      throw new CorruptArtifactException(HEADER, 0x12,
          "e_machine says " + target + " but the compatibility header says " + compat.target()).inSectionAt(0);
    }
    long textSize = sections.contents(KilnSection.TEXT.elfName()).byteSize();
    FunctionIndex functions = inSection(sections, KilnSection.FUNCS,
        () -> FunctionIndex.open(sections.contents(KilnSection.FUNCS.elfName()), textSize));
    return new CwasmFile(file, target, seal, compat, sections, functions);
  }

  /** Runs a decoder of {@code section}, reporting its failures at their offset in the file. */
  private static <T> T inSection(SectionTable sections, KilnSection section, Supplier<T> decoder) {
    try {
      return decoder.get();
    } catch (CorruptArtifactException e) {
      throw e.inSectionAt(sections.offset(section.elfName()));
    }
  }

  /** The ELF identification, which only reads fixed fields of the header; returns e_machine's target. */
  private static Target checkIdentification(MemorySegment file) {
    try {
      return identification(new SectionReader(file, HEADER));
    } catch (CorruptArtifactException e) {
      throw e.inSectionAt(0);
    }
  }

  private static Target identification(SectionReader in) {
    in.require(0, Elf.EHDR_SIZE, "ELF header");
    if (in.u32(0, "ELF magic") != 0x464C457F) {
      throw in.corrupt(0, "not an ELF file (no \\x7fELF magic)");
    }
    int osabi = in.u8(Elf.EI_OSABI, "EI_OSABI");
    int flags = in.u32(0x30, "e_flags");
    if (osabi != Elf.ELFOSABI_KILN || flags != Elf.EF_KILN) {
      throw in.corrupt(Elf.EI_OSABI, "an ELF file but not a Kiln artifact (EI_OSABI 0x" + Integer.toHexString(osabi)
          + ", e_flags 0x" + Integer.toHexString(flags) + "; Kiln writes 0x" + Integer.toHexString(Elf.ELFOSABI_KILN)
          + ", 0x" + Integer.toHexString(Elf.EF_KILN) + ")");
    }
    if (in.u8(Elf.EI_CLASS, "EI_CLASS") != Elf.ELFCLASS64) {
      throw in.corrupt(Elf.EI_CLASS, "not ELF64 (EI_CLASS " + in.u8(Elf.EI_CLASS, "EI_CLASS") + ")");
    }
    if (in.u8(Elf.EI_DATA, "EI_DATA") != Elf.ELFDATA2LSB) {
      throw in.corrupt(Elf.EI_DATA, "not little-endian (EI_DATA " + in.u8(Elf.EI_DATA, "EI_DATA") + ")");
    }
    if (in.u8(Elf.EI_VERSION, "EI_VERSION") != Elf.EV_CURRENT || in.u32(0x14, "e_version") != Elf.EV_CURRENT) {
      throw in.corrupt(Elf.EI_VERSION, "unknown ELF version");
    }
    if (in.u8(Elf.EI_ABIVERSION, "EI_ABIVERSION") != 0) {
      throw in.corrupt(Elf.EI_ABIVERSION, "EI_ABIVERSION is " + in.u8(Elf.EI_ABIVERSION, "EI_ABIVERSION")
          + ", expected 0");
    }
    if (in.u16(0x10, "e_type") != Elf.ET_REL) {
      throw in.corrupt(0x10, "e_type is " + in.u16(0x10, "e_type") + ", a .cwasm is ET_REL (1)");
    }
    int machine = in.u16(0x12, "e_machine");
    Target target = Target.fromElfMachine(machine).orElseThrow(() ->
        in.corrupt(0x12, "e_machine " + machine + " is not a Kiln target (x86_64 = 62, aarch64 = 183)"));
    if (in.u16(0x34, "e_ehsize") != Elf.EHDR_SIZE) {
      throw in.corrupt(0x34, "e_ehsize is " + in.u16(0x34, "e_ehsize") + ", expected " + Elf.EHDR_SIZE);
    }
    return target;
  }

  public Target target() {
    return target;
  }

  /** The compatibility header (already decoded; check it against the engine with {@code check}). */
  public CompatHeader compat() {
    return compat;
  }

  /** The whole file. */
  public MemorySegment file() {
    return file;
  }

  /** {@code .text}, a slice of the file. */
  public MemorySegment text() {
    return section(KilnSection.TEXT);
  }

  /** Where {@code section} starts in the file (for {@code .text}: a multiple of the page size). */
  public long fileOffset(KilnSection section) {
    return sections.offset(section.elfName());
  }

  /** The verified seal: its digest, and whether the artifact is signed. */
  public ArtifactSeal.Seal seal() {
    return seal;
  }

  /**
   * Decodes {@code .kiln.info} (module info: imports, exports, segments, names...) against {@code
   * .kiln.data}: a fresh decoding per call.
   *
   * @throws CorruptArtifactException if it is damaged or refers outside {@code .kiln.data}
   */
  public ModuleInfo moduleInfo() {
    return inSection(sections, KilnSection.INFO,
        () -> ModuleInfoDecoder.decode(section(KilnSection.INFO), section(KilnSection.DATA).byteSize()));
  }

  public FunctionIndex functions() {
    return functions;
  }

  /**
   * The trap table, validated on first use.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException if it is damaged
   */
  public TrapTable traps() {
    TrapTable table = traps;
    if (table == null) {
      table = inSection(sections, KilnSection.TRAPS,
          () -> TrapTable.open(section(KilnSection.TRAPS), text().byteSize()));
      traps = table;
    }
    return table;
  }

  /**
   * The address map, validated on first use.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException if it is damaged
   */
  public AddressMap addressMap() {
    AddressMap map = addressMap;
    if (map == null) {
      map = inSection(sections, KilnSection.ADDRMAP,
          () -> AddressMap.open(section(KilnSection.ADDRMAP), text().byteSize()));
      addressMap = map;
    }
    return map;
  }

  /**
   * The inline map, validated on first use.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException if it is damaged
   */
  public InlineMap inlineMap() {
    InlineMap map = inlineMap;
    if (map == null) {
      map = inSection(sections, KilnSection.INLINE,
          () -> InlineMap.open(section(KilnSection.INLINE), text().byteSize()));
      inlineMap = map;
    }
    return map;
  }

  /**
   * The handler table, validated on first use.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException if it is damaged
   */
  public HandlerTable handlers() {
    HandlerTable table = handlers;
    if (table == null) {
      table = inSection(sections, KilnSection.HANDLERS,
          () -> HandlerTable.open(section(KilnSection.HANDLERS), text().byteSize()));
      handlers = table;
    }
    return table;
  }

  /**
   * The stack map table, validated on first use.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException if it is damaged
   */
  public StackMapTable stackMaps() {
    StackMapTable table = stackMaps;
    if (table == null) {
      table = inSection(sections, KilnSection.STACKMAPS,
          () -> StackMapTable.open(section(KilnSection.STACKMAPS), text().byteSize()));
      stackMaps = table;
    }
    return table;
  }

  /**
   * Decodes the handler and stack map tables whole and checks each entry against its function
   * ({@link FunctionFrames}): what the loader runs before any code, so that a damaged entry is
   * refused at load, not met when an exception unwinds or a collection walks the stack.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException naming the section and the first damaged entry
   */
  public void checkFrameTables() {
    FunctionFrames frames = new FunctionFrames(functions);
    inSection(sections, KilnSection.HANDLERS, () -> {
      handlers().checkFrames(frames);
      return null;
    });
    inSection(sections, KilnSection.STACKMAPS, () -> {
      stackMaps().checkFrames(frames);
      return null;
    });
  }

  /** The bytes of a Kiln section, a slice of the file. */
  public MemorySegment section(KilnSection section) {
    return sections.contents(section.elfName());
  }

  /** The bytes of any section by ELF name ({@link MemorySegment#NULL} for SHT_NOBITS), if present. */
  public Optional<MemorySegment> section(String elfName) {
    return Optional.ofNullable(sections.contents(elfName));
  }
}
