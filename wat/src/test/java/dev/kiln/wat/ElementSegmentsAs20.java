package dev.kiln.wat;

import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.WasmWriter;
import java.util.Arrays;

/**
 * Rewrites a module's element section to one encoding per segment, as WebAssembly 2.0 reads it,
 * so that two encoders' choices can be compared. Under 2.0 an element segment written with function
 * indices (flags 0-3) and one written with {@code ref.func} expressions (flags 4-7) of type
 * funcref are the same segment; 3.0 gives the index form the type {@code (ref func)}, so the text
 * reader, following the 3.0 reference encoder, uses it only for {@code func x*} lists, where wabt
 * 1.0.32 (a 2.0 tool) uses it for every funcref segment of {@code ref.func} items. Each segment
 * becomes flags 6/5/7 (explicit table, expressions, explicit type), elemkind 0x00 becoming funcref
 * (0x70) and each index {@code x} the expression {@code ref.func x end}. Other sections are copied.
 */
final class ElementSegmentsAs20 {
  private final byte[] in;
  private int pos;

  private ElementSegmentsAs20(byte[] in) {
    this.in = in;
  }

  static byte[] normalize(byte[] module) {
    return new ElementSegmentsAs20(module).run();
  }

  private byte[] run() {
    WasmWriter out = new WasmWriter().bytes(in, 0, 8);
    pos = 8;
    while (pos < in.length) {
      int id = in[pos++] & 0xFF;
      int size = (int) u32();
      int end = pos + size;
      WasmWriter content = new WasmWriter();
      if (id == ModuleWriter.ELEMENT) {
        long count = u32();
        content.u32(count);
        for (long i = 0; i < count; i++) {
          segment(content);
        }
      } else {
        content.bytes(in, pos, size);
      }
      pos = end;
      out.u8(id).u32(content.size()).bytes(content);
    }
    return out.toByteArray();
  }

  private void segment(WasmWriter out) {
    int flags = (int) u32();
    boolean active = (flags & 1) == 0;
    boolean explicit = (flags & 2) != 0;
    boolean expressions = (flags & 4) != 0;
    long table = active && explicit ? u32() : 0;
    byte[] offset = active ? constExpr() : null;
    int type = 0x70;
    if (!active || explicit) {
      int kindOrType = in[pos++] & 0xFF;
      if (expressions) {
        type = kindOrType;
      }
    }
    out.u32(active ? 6 : (flags & 3) == 3 ? 7 : 5);
    if (active) {
      out.u32(table).bytes(offset);
    }
    out.u8(type);
    long items = u32();
    out.u32(items);
    for (long i = 0; i < items; i++) {
      if (expressions) {
        out.bytes(constExpr());
      } else {
        out.u8(0xD2).u32(u32()).u8(0x0B);
      }
    }
  }

  /** A constant expression of the 2022 suite, through its end. */
  private byte[] constExpr() {
    int start = pos;
    while (true) {
      int op = in[pos++] & 0xFF;
      switch (op) {
        case 0x0B -> {
          return Arrays.copyOfRange(in, start, pos);
        }
        case 0x41, 0x42 -> sleb();
        case 0x43 -> pos += 4;
        case 0x44 -> pos += 8;
        case 0x23, 0xD2 -> u32();
        case 0xD0 -> pos++;
        case 0xFD -> {
          u32();
          pos += 16;
        }
        default -> { }
      }
    }
  }

  private long u32() {
    long result = 0;
    int shift = 0;
    while (true) {
      int b = in[pos++] & 0xFF;
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
      shift += 7;
    }
  }

  private void sleb() {
    while ((in[pos++] & 0x80) != 0) {
      // continuation bytes
    }
  }
}
