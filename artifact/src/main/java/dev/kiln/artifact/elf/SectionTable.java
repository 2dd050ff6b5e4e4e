package dev.kiln.artifact.elf;

import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.internal.SectionReader;
import dev.kiln.artifact.seal.ArtifactSeal;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The section header table of a {@code .cwasm}, read and checked once (System V gABI, "Sections"):
 * the table inside the file, {@code e_shentsize} = 64, every section's file range inside the file,
 * names NUL-terminated inside {@code .shstrtab} and unique, no relocation sections (the text must
 * need none), every Kiln section present and SHT_PROGBITS, {@code .text} executable, and the
 * layout the writer produces and nothing else: Kiln's sections in {@link KilnSection} order, each at
 * the first offset of its alignment after the one before ({@code .text} at the target's page size),
 * the seal exactly at the end, and no two ranges (ELF header, sections, the table itself)
 * overlapping. A header edited to point a section somewhere else is refused here, whatever bytes it
 * would find there.
 *
 * <p>Every failure is a {@link CorruptArtifactException} at the file offset of the header field
 * that is wrong.
 */
final class SectionTable {
  private static final String TABLE = "section header table";
  private static final int SH_TYPE = 4;
  private static final int SH_FLAGS = 8;
  private static final int SH_OFFSET = 0x18;
  private static final int SH_SIZE = 0x20;

  /** One section: where its header is, and the range of the file it covers. */
  private record Entry(int index, String name, int type, long offset, long size) {
    long end() {
      return offset + size;
    }
  }

  private final Map<String, Entry> byName;
  private final MemorySegment file;

  private SectionTable(Map<String, Entry> byName, MemorySegment file) {
    this.byName = byName;
    this.file = file;
  }

  /** Reads and checks the table of {@code file}, whose ELF header said {@code target}. */
  static SectionTable read(MemorySegment file, Target target) {
    SectionReader in = new SectionReader(file, TABLE);
    long tableOffset = in.u64NonNegative(0x28, "e_shoff");
    int count = in.u16(0x3C, "e_shnum");
    int shstrtabIndex = in.u16(0x3E, "e_shstrndx");
    int entrySize = in.u16(0x3A, "e_shentsize");
    if (entrySize != Elf.SHDR_SIZE) {
      throw in.corrupt(0x3A, "e_shentsize is " + entrySize + ", expected " + Elf.SHDR_SIZE);
    }
    if (count == 0 || shstrtabIndex == 0 || shstrtabIndex >= count) {
      throw in.corrupt(0x3C, "e_shnum " + count + " / e_shstrndx " + shstrtabIndex + " leave no section names");
    }
    in.require(tableOffset, (long) count * Elf.SHDR_SIZE, "section header table (e_shoff, e_shnum)");

    Headers headers = new Headers(in, tableOffset);
    if (headers.type(shstrtabIndex) != Elf.SHT_STRTAB) {
      throw in.corrupt(headers.at(shstrtabIndex) + SH_TYPE, "e_shstrndx " + shstrtabIndex + " is not a string table");
    }
    long namesAt = headers.offset(shstrtabIndex);
    SectionReader names = new SectionReader(headers.contents(shstrtabIndex), ".shstrtab");
    List<Entry> entries = new ArrayList<>();
    Map<String, Entry> byName = new HashMap<>();
    for (int i = 1; i < count; i++) {
      int type = headers.type(i);
      if (type == Elf.SHT_REL || type == Elf.SHT_RELA) {
        throw in.corrupt(headers.at(i) + SH_TYPE,
            "section " + i + " holds relocations; a .cwasm's code must need none");
      }
      String name;
      try {
        name = cString(names, Integer.toUnsignedLong(headers.nameOffset(i)), "name of section " + i);
      } catch (CorruptArtifactException e) {
        throw e.inSectionAt(namesAt);
      }
      long size = type == Elf.SHT_NOBITS ? 0 : headers.size(i);
      if (type != Elf.SHT_NOBITS) {
        headers.contents(i);
      }
      Entry entry = new Entry(i, name, type, headers.offset(i), size);
      if (byName.putIfAbsent(name, entry) != null) {
        throw in.corrupt(headers.at(i), "two sections named " + name);
      }
      entries.add(entry);
    }
    SectionTable table = new SectionTable(Map.copyOf(byName), file);
    table.checkKilnSections(headers, target);
    table.checkSeal(headers);
    checkNoOverlap(in, entries, tableOffset, count);
    return table;
  }

  /** Every Kiln section present, of the right type, exactly where the writer's layout puts it. */
  private void checkKilnSections(Headers headers, Target target) {
    long end = Elf.EHDR_SIZE;
    String previous = "the ELF header";
    for (KilnSection section : KilnSection.values()) {
      Entry entry = require(headers, section.elfName());
      if (entry.type() != Elf.SHT_PROGBITS) {
        throw headers.in.corrupt(headers.at(entry.index()) + SH_TYPE, section.elfName() + " is not SHT_PROGBITS");
      }
      long alignment = section == KilnSection.TEXT ? target.pageSize() : CwasmWriter.METADATA_ALIGNMENT;
      long expected = (end + alignment - 1) / alignment * alignment;
      if (entry.offset() != expected) {
        throw headers.in.corrupt(headers.at(entry.index()) + SH_OFFSET, section.elfName() + " is at file offset 0x"
            + Long.toHexString(entry.offset()) + ", not at 0x" + Long.toHexString(expected) + " where a .cwasm has it"
            + " (after " + previous + ", " + alignment + "-byte aligned)");
      }
      end = entry.end();
      previous = section.elfName();
    }
    Entry text = byName.get(KilnSection.TEXT.elfName());
    if ((headers.flags(text.index()) & Elf.SHF_EXECINSTR) == 0) {
      throw headers.in.corrupt(headers.at(text.index()) + SH_FLAGS, ".text is not marked executable");
    }
    if (text.size() > Integer.MAX_VALUE) {
      throw headers.in.corrupt(headers.at(text.index()) + SH_SIZE, ".text is larger than 2 GiB");
    }
  }

  /** The seal's header must describe the trailer the seal was read from. */
  private void checkSeal(Headers headers) {
    Entry seal = require(headers, ArtifactSeal.SECTION);
    if (seal.offset() != file.byteSize() - ArtifactSeal.SIZE || seal.size() != ArtifactSeal.SIZE) {
      throw headers.in.corrupt(headers.at(seal.index()) + SH_OFFSET, ArtifactSeal.SECTION + " header says ["
          + "0x" + Long.toHexString(seal.offset()) + ", +" + seal.size() + "), not the last " + ArtifactSeal.SIZE
          + " bytes of the file");
    }
  }

  private Entry require(Headers headers, String name) {
    Entry entry = byName.get(name);
    if (entry == null) {
      throw headers.in.corrupt("required section " + name + " is missing");
    }
    return entry;
  }

  /**
   * Entries by file offset: a comparator of its own, not {@code Comparator.comparingLong}, whose
   * lambda is linked at its first call, which the JVM's AOT cache does not hold (every load of an
   * artifact sorts once).
   */
  private static final Comparator<Entry> BY_OFFSET = new Comparator<>() {
    @Override
    public int compare(Entry a, Entry b) {
      return Long.compare(a.offset(), b.offset());
    }
  };

  /** No two of the ELF header, the sections and the section header table share a byte. */
  private static void checkNoOverlap(SectionReader in, List<Entry> sections, long tableOffset, int count) {
    List<Entry> ranges = new ArrayList<>();
    ranges.add(new Entry(-1, "the ELF header", Elf.SHT_NULL, 0, Elf.EHDR_SIZE));
    ranges.add(new Entry(-1, "the section header table", Elf.SHT_NULL, tableOffset, (long) count * Elf.SHDR_SIZE));
    for (Entry e : sections) {
      if (e.size() > 0) {
        ranges.add(e);
      }
    }
    ranges.sort(BY_OFFSET);
    for (int i = 1; i < ranges.size(); i++) {
      Entry before = ranges.get(i - 1);
      Entry after = ranges.get(i);
      if (after.offset() < before.end()) {
        long field = after.index() >= 0 ? tableOffset + (long) after.index() * Elf.SHDR_SIZE + SH_OFFSET : 0x28;
        throw in.corrupt(field, describe(after) + " overlaps " + describe(before));
      }
    }
  }

  private static String describe(Entry e) {
    return e.name() + " [0x" + Long.toHexString(e.offset()) + ", 0x" + Long.toHexString(e.end()) + ")";
  }

  /** The NUL-terminated string at {@code offset} of a string table. */
  private static String cString(SectionReader table, long offset, String field) {
    MemorySegment bytes = table.segment();
    for (long end = offset; end < bytes.byteSize(); end++) {
      if (bytes.get(SectionReader.U8, end) == 0) {
        return table.utf8(offset, (int) (end - offset), field);
      }
    }
    throw offset < bytes.byteSize()
        ? table.corrupt(offset, field + " is not NUL-terminated inside the table")
        : table.corrupt(field + " at " + offset + " lies outside the table (" + bytes.byteSize() + " bytes)");
  }

  /** The bytes of the section named {@code name}, if present ({@link MemorySegment#NULL} for SHT_NOBITS). */
  MemorySegment contents(String name) {
    Entry entry = byName.get(name);
    if (entry == null) {
      return null;
    }
    return entry.type() == Elf.SHT_NOBITS ? MemorySegment.NULL : file.asSlice(entry.offset(), entry.size());
  }

  /** Where the section named {@code name} starts in the file; it must be present. */
  long offset(String name) {
    return byName.get(name).offset();
  }

  /** Reads header fields at file offsets, each one bounds-checked. */
  private record Headers(SectionReader in, long tableOffset) {
    long at(int index) {
      return tableOffset + (long) index * Elf.SHDR_SIZE;
    }

    int nameOffset(int index) {
      return in.u32(at(index), "sh_name");
    }

    int type(int index) {
      return in.u32(at(index) + SH_TYPE, "sh_type");
    }

    long flags(int index) {
      return in.u64NonNegative(at(index) + SH_FLAGS, "sh_flags");
    }

    long offset(int index) {
      return in.u64NonNegative(at(index) + SH_OFFSET, "sh_offset");
    }

    long size(int index) {
      return in.u64NonNegative(at(index) + SH_SIZE, "sh_size");
    }

    /** The section's bytes, after checking that its range lies in the file. */
    MemorySegment contents(int index) {
      long offset = offset(index);
      long size = size(index);
      long fileSize = in.size();
      if (offset > fileSize || size > fileSize - offset) {
        throw in.corrupt(at(index) + SH_OFFSET, "section " + index + " [0x" + Long.toHexString(offset) + ", +"
            + size + ") runs past the end of the file (" + fileSize + " bytes)");
      }
      return in.segment().asSlice(offset, size);
    }
  }
}
