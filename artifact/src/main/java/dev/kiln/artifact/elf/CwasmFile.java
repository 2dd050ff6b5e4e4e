package dev.kiln.artifact.elf;

import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.compat.CompatHeader;
import dev.kiln.artifact.index.FunctionIndex;
import dev.kiln.artifact.internal.SectionReader;
import dev.kiln.artifact.tables.AddressMap;
import dev.kiln.artifact.tables.TrapTable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code .cwasm} opened in place over a (typically mapped) {@link MemorySegment}. {@link #open}
 * checks, in this order, before handing out anything: the ELF identification (magic, ELF64,
 * little-endian, Kiln OSABI and e_flags, ET_REL, a supported e_machine), the section header table
 * and every section's file range, unique section names, every Kiln section present, no relocation
 * sections (the text must be position independent), {@code .text} executable and page aligned, the
 * compatibility header's target agreeing with e_machine, and then the full structure of the
 * function index. The trap table and address map are checked just as fully on their first use.
 * Any failure is a {@link CorruptArtifactException} (or {@link
 * dev.kiln.artifact.IncompatibleArtifactException} for another format version); other accessors
 * only slice the segment.
 *
 * <p>Checking settings against the running engine is separate: {@code compat().check(...)}.
 */
public final class CwasmFile {
  private static final String FILE = "cwasm";

  private final MemorySegment file;
  private final Target target;
  private final CompatHeader compat;
  private final Map<String, MemorySegment> sectionsByName;
  private final Map<KilnSection, Long> fileOffsets;
  private final FunctionIndex functions;
  // Read only by tooling and by the host after a trap, never by compiled code: validated on first
  // use rather than at open, so that opening costs the same whatever the size of the code they
  // describe (both grow with it). Racing first uses validate twice and keep equal values.
  private volatile TrapTable traps;
  private volatile AddressMap addressMap;

  private CwasmFile(MemorySegment file, Target target, CompatHeader compat, Map<String, MemorySegment> sectionsByName,
      Map<KilnSection, Long> fileOffsets, FunctionIndex functions) {
    this.file = file;
    this.target = target;
    this.compat = compat;
    this.sectionsByName = sectionsByName;
    this.fileOffsets = fileOffsets;
    this.functions = functions;
  }

  /**
   * Maps {@code path} read-only into {@code arena} and opens it. The mapping lives as long as the
   * arena.
   */
  public static CwasmFile map(Path path, Arena arena) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      return open(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena));
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

  /** Checks and opens the artifact in {@code file}; see the class comment for what is checked. */
  public static CwasmFile open(MemorySegment file) {
    SectionReader in = new SectionReader(file, FILE);
    Target target = checkIdentification(in);
    long sectionHeaders = in.u64NonNegative(0x28, "e_shoff");
    int sectionCount = in.u16(0x3C, "e_shnum");
    int shstrtabIndex = in.u16(0x3E, "e_shstrndx");
    if (in.u16(0x3A, "e_shentsize") != Elf.SHDR_SIZE) {
      throw in.corrupt("e_shentsize is " + in.u16(0x3A, "e_shentsize") + ", expected " + Elf.SHDR_SIZE);
    }
    if (sectionCount == 0 || shstrtabIndex == 0 || shstrtabIndex >= sectionCount) {
      throw in.corrupt("e_shnum " + sectionCount + " / e_shstrndx " + shstrtabIndex + " leave no section names");
    }
    in.require(sectionHeaders, (long) sectionCount * Elf.SHDR_SIZE, "section header table");

    SectionHeaders headers = new SectionHeaders(in, sectionHeaders, sectionCount);
    MemorySegment shstrtab = headers.contents(shstrtabIndex, "section name table");
    if (headers.type(shstrtabIndex) != Elf.SHT_STRTAB) {
      throw in.corrupt("e_shstrndx " + shstrtabIndex + " is not a string table");
    }
    SectionReader names = new SectionReader(shstrtab, ".shstrtab");
    Map<String, MemorySegment> byName = new HashMap<>();
    Map<String, Integer> indexByName = new HashMap<>();
    for (int i = 1; i < sectionCount; i++) {
      int type = headers.type(i);
      if (type == Elf.SHT_REL || type == Elf.SHT_RELA) {
        throw in.corrupt("section " + i + " holds relocations; a .cwasm's code must need none");
      }
      String name = cString(names, Integer.toUnsignedLong(headers.nameOffset(i)), "name of section " + i);
      MemorySegment contents = type == Elf.SHT_NOBITS ? MemorySegment.NULL : headers.contents(i, "section " + name);
      if (byName.putIfAbsent(name, contents) != null) {
        throw in.corrupt("two sections named " + name);
      }
      indexByName.put(name, i);
    }

    Map<KilnSection, Long> fileOffsets = new EnumMap<>(KilnSection.class);
    for (KilnSection section : KilnSection.values()) {
      Integer index = indexByName.get(section.elfName());
      if (index == null) {
        throw in.corrupt("required section " + section.elfName() + " is missing");
      }
      if (headers.type(index) != Elf.SHT_PROGBITS) {
        throw in.corrupt(section.elfName() + " is not SHT_PROGBITS");
      }
      fileOffsets.put(section, headers.offset(index));
    }
    int textIndex = indexByName.get(KilnSection.TEXT.elfName());
    if ((headers.flags(textIndex) & Elf.SHF_EXECINSTR) == 0) {
      throw in.corrupt(".text is not marked executable");
    }
    if (headers.offset(textIndex) % target.pageSize() != 0) {
      throw in.corrupt(".text at file offset 0x" + Long.toHexString(headers.offset(textIndex))
          + " is not aligned to the " + target + " page size (" + target.pageSize() + ")");
    }

    CompatHeader compat = CompatHeader.decode(byName.get(KilnSection.COMPAT.elfName()));
    if (compat.target() != target) {
      throw in.corrupt("e_machine says " + target + " but the compatibility header says " + compat.target());
    }
    long textSize = byName.get(KilnSection.TEXT.elfName()).byteSize();
    if (textSize > Integer.MAX_VALUE) {
      throw in.corrupt(".text is larger than 2 GiB");
    }
    FunctionIndex functions = FunctionIndex.open(byName.get(KilnSection.FUNCS.elfName()), textSize);
    return new CwasmFile(file, target, compat, Map.copyOf(byName), fileOffsets, functions);
  }

  private static Target checkIdentification(SectionReader in) {
    in.require(0, Elf.EHDR_SIZE, "ELF header");
    if (in.u32(0, "ELF magic") != 0x464C457F) {
      throw in.corrupt("not an ELF file (no \\x7fELF magic)");
    }
    if (in.u8(Elf.EI_CLASS, "EI_CLASS") != Elf.ELFCLASS64) {
      throw in.corrupt("not ELF64 (EI_CLASS " + in.u8(Elf.EI_CLASS, "EI_CLASS") + ")");
    }
    if (in.u8(Elf.EI_DATA, "EI_DATA") != Elf.ELFDATA2LSB) {
      throw in.corrupt("not little-endian (EI_DATA " + in.u8(Elf.EI_DATA, "EI_DATA") + ")");
    }
    if (in.u8(Elf.EI_VERSION, "EI_VERSION") != Elf.EV_CURRENT || in.u32(0x14, "e_version") != Elf.EV_CURRENT) {
      throw in.corrupt("unknown ELF version");
    }
    int osabi = in.u8(Elf.EI_OSABI, "EI_OSABI");
    int flags = in.u32(0x30, "e_flags");
    if (osabi != Elf.ELFOSABI_KILN || flags != Elf.EF_KILN) {
      throw in.corrupt("an ELF file but not a Kiln artifact (EI_OSABI 0x" + Integer.toHexString(osabi) + ", e_flags 0x"
          + Integer.toHexString(flags) + "; Kiln writes 0x" + Integer.toHexString(Elf.ELFOSABI_KILN) + ", 0x"
          + Integer.toHexString(Elf.EF_KILN) + ")");
    }
    if (in.u8(Elf.EI_ABIVERSION, "EI_ABIVERSION") != 0) {
      throw in.corrupt("EI_ABIVERSION is " + in.u8(Elf.EI_ABIVERSION, "EI_ABIVERSION") + ", expected 0");
    }
    if (in.u16(0x10, "e_type") != Elf.ET_REL) {
      throw in.corrupt("e_type is " + in.u16(0x10, "e_type") + ", a .cwasm is ET_REL (1)");
    }
    int machine = in.u16(0x12, "e_machine");
    Target target = Target.fromElfMachine(machine)
        .orElseThrow(() -> in.corrupt("e_machine " + machine + " is not a Kiln target (x86_64 = 62, aarch64 = 183)"));
    if (in.u16(0x34, "e_ehsize") != Elf.EHDR_SIZE) {
      throw in.corrupt("e_ehsize is " + in.u16(0x34, "e_ehsize") + ", expected " + Elf.EHDR_SIZE);
    }
    return target;
  }

  /** The NUL-terminated string at {@code offset} of a string table. */
  private static String cString(SectionReader table, long offset, String field) {
    MemorySegment bytes = table.segment();
    for (long end = offset; end < bytes.byteSize(); end++) {
      if (bytes.get(SectionReader.U8, end) == 0) {
        return table.utf8(offset, (int) (end - offset), field);
      }
    }
    throw table.corrupt(field + " at " + offset + " is not a NUL-terminated string inside the table");
  }

  /** Reads section header fields, checking each section's file range once. */
  private record SectionHeaders(SectionReader in, long tableOffset, int count) {
    private long at(int index) {
      return tableOffset + (long) index * Elf.SHDR_SIZE;
    }

    int nameOffset(int index) {
      return in.u32(at(index), "sh_name");
    }

    int type(int index) {
      return in.u32(at(index) + 4, "sh_type");
    }

    long flags(int index) {
      return in.u64NonNegative(at(index) + 8, "sh_flags");
    }

    long offset(int index) {
      return in.u64NonNegative(at(index) + 0x18, "sh_offset");
    }

    long size(int index) {
      return in.u64NonNegative(at(index) + 0x20, "sh_size");
    }

    MemorySegment contents(int index, String what) {
      return in.slice(offset(index), size(index), what);
    }
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
    return fileOffsets.get(section);
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
      table = TrapTable.open(section(KilnSection.TRAPS), text().byteSize());
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
      map = AddressMap.open(section(KilnSection.ADDRMAP), text().byteSize());
      addressMap = map;
    }
    return map;
  }

  /** The bytes of a Kiln section, a slice of the file. */
  public MemorySegment section(KilnSection section) {
    return sectionsByName.get(section.elfName());
  }

  /** The bytes of any section by ELF name ({@link MemorySegment#NULL} for SHT_NOBITS), if present. */
  public Optional<MemorySegment> section(String elfName) {
    return Optional.ofNullable(sectionsByName.get(elfName));
  }
}
