package dev.kiln.artifact.elf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The function names a {@code .cwasm}'s {@code .symtab} gives its code (the names {@code kiln compile}
 * chose: name section, else export, else the FuncKey's description), by {@code .text} offset, for tools
 * that describe code loaded where no profiler can read the file (a perf map).
 *
 * <p>Names are descriptive only, so an entry that does not parse (a name offset outside {@code .strtab},
 * a name without its NUL) is left out rather than refused; the seal has already vouched for the bytes.
 * The layout read is Elf64_Sym (System V ABI, "Symbol Table"): {@code st_name} u32 at 0, {@code st_info}
 * u8 at 4, {@code st_value} u64 at 8, {@code st_size} u64 at 16, 24 bytes each.
 */
public final class FunctionSymbols {
  private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private FunctionSymbols() {}

  /** {@code .text} offset to name of every STT_FUNC symbol; empty if the file has no symbol table. */
  public static Map<Long, String> byTextOffset(CwasmFile file) {
    Optional<MemorySegment> symtab = file.section(".symtab");
    Optional<MemorySegment> strtab = file.section(".strtab");
    Map<Long, String> names = new HashMap<>();
    if (symtab.isEmpty() || strtab.isEmpty()) {
      return names;
    }
    MemorySegment symbols = symtab.get();
    MemorySegment strings = strtab.get();
    for (long at = 0; at + Elf.SYM_SIZE <= symbols.byteSize(); at += Elf.SYM_SIZE) {
      int info = symbols.get(ValueLayout.JAVA_BYTE, at + 4);
      if ((info & 0xF) != Elf.STT_FUNC) {
        continue;
      }
      String name = string(strings, Integer.toUnsignedLong(symbols.get(U32, at)));
      if (name != null) {
        names.put(symbols.get(U64, at + 8), name);
      }
    }
    return names;
  }

  private static String string(MemorySegment strings, long offset) {
    for (long end = offset; end < strings.byteSize(); end++) {
      if (strings.get(ValueLayout.JAVA_BYTE, end) == 0) {
        return end == offset ? null
            : new String(strings.asSlice(offset, end - offset).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
