package dev.kiln.disasm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the fields Kiln reads sit in one Capstone build's {@code cs_insn} (capstone.h: {@code unsigned
 * int id; uint64_t address; uint16_t size; uint8_t bytes[N]; char mnemonic[32]; char op_str[160];
 * cs_detail *detail;} with natural alignment). It differs between major versions (Capstone 5 widened
 * {@code bytes} from 16 to 24) and pointer widths, so each binding names the one it reads.
 *
 * @param struct the whole struct, for its size (the stride of {@code cs_disasm}'s array)
 * @param address offset of {@code address}
 * @param size offset of {@code size}
 * @param bytes offset of {@code bytes}
 * @param mnemonic offset of {@code mnemonic}, NUL-terminated
 * @param opStr offset of {@code op_str}, NUL-terminated
 */
public record CsInsnLayout(StructLayout struct, long address, long size, long bytes, long mnemonic,
    long opStr) {
  /** Capstone 4 on LP64, as the JNA binding reads a system or bundled library: 240 bytes. */
  public static final CsInsnLayout CAPSTONE_4_LP64 = of(16, ValueLayout.ADDRESS);
  /** Capstone 5.0 on wasm32 (npm's {@code capstone-wasm}), a 4-byte pointer: 240 bytes. */
  public static final CsInsnLayout CAPSTONE_5_WASM32 = of(24, ValueLayout.JAVA_INT);

  /**
   * The instruction the {@code cs_insn} at {@code offset} in {@code records} describes: both bindings
   * read {@code cs_disasm}'s array through this, the native one over the library's memory, the
   * WebAssembly one over the module's.
   *
   * @throws IllegalStateException if the record's {@code size} is larger than its {@code bytes}
   *     array, which no Capstone of this layout writes
   */
  public DisassembledInstruction read(MemorySegment records, long offset) {
    int length = Short.toUnsignedInt(records.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + size));
    long capacity = mnemonic - bytes;
    if (length > capacity) {
      throw new IllegalStateException("cs_insn.size " + length + " exceeds its " + capacity + "-byte bytes array");
    }
    return new DisassembledInstruction(
        records.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + address),
        records.asSlice(offset + bytes, length).toArray(ValueLayout.JAVA_BYTE),
        records.getString(offset + mnemonic),
        records.getString(offset + opStr));
  }

  private static CsInsnLayout of(int bytesLength, ValueLayout pointer) {
    List<MemoryLayout> fields = new ArrayList<>(List.of(
        ValueLayout.JAVA_INT.withName("id"),
        MemoryLayout.paddingLayout(4),
        ValueLayout.JAVA_LONG.withName("address"),
        ValueLayout.JAVA_SHORT.withName("size"),
        MemoryLayout.sequenceLayout(bytesLength, ValueLayout.JAVA_BYTE).withName("bytes"),
        MemoryLayout.sequenceLayout(32, ValueLayout.JAVA_BYTE).withName("mnemonic"),
        MemoryLayout.sequenceLayout(160, ValueLayout.JAVA_BYTE).withName("op_str")));
    long end = fields.stream().mapToLong(MemoryLayout::byteSize).sum();
    long gap = -end & (pointer.byteAlignment() - 1);
    if (gap > 0) {
      fields.add(MemoryLayout.paddingLayout(gap));
    }
    fields.add(pointer.withName("detail"));
    StructLayout struct = MemoryLayout.structLayout(fields.toArray(MemoryLayout[]::new));
    return new CsInsnLayout(struct, offset(struct, "address"), offset(struct, "size"),
        offset(struct, "bytes"), offset(struct, "mnemonic"), offset(struct, "op_str"));
  }

  private static long offset(StructLayout struct, String field) {
    return struct.byteOffset(MemoryLayout.PathElement.groupElement(field));
  }
}
