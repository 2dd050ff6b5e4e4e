package dev.kiln.wasm.decode;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import dev.kiln.wasm.module.ConstExpr;
import dev.kiln.wasm.module.DataSegment;
import dev.kiln.wasm.module.ElementSegment;
import dev.kiln.wasm.module.PackedConstExprs;
import dev.kiln.wasm.module.PackedInts;
import dev.kiln.wasm.module.SegmentMode;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.ValType;
import dev.kiln.wasm.types.ValueType;
import java.util.ArrayList;
import java.util.List;

/** Element segments (spec 5.5.12) and data segments (spec 5.5.14) in all their flag forms. */
final class SegmentDecoder {
  private static final SegmentMode PASSIVE = new SegmentMode.Passive();
  private static final SegmentMode DECLARATIVE = new SegmentMode.Declarative();

  /** Bit 0 of an element segment's flags: passive or declarative instead of active. */
  private static final int ELEM_NOT_ACTIVE = 0x01;
  /** Bit 1: with bit 0 declarative, without it an explicit table index (and element kind/type). */
  private static final int ELEM_EXPLICIT = 0x02;
  /** Bit 2: items are constant expressions and the type is a reference type, not an element kind. */
  private static final int ELEM_EXPRESSIONS = 0x04;

  private SegmentDecoder() {}

  /**
   * An element segment. Its flags (a u32, 0-7) combine the three bits above: 0 active table 0, 1
   * passive, 2 active with table index, 3 declarative; plus 4 for expressions instead of function
   * indices. Forms 0 and 4 have no type byte and mean funcref; the others give an element kind
   * (0x00, funcref) for indices or a reference type for expressions.
   */
  static ElementSegment element(ByteCursor in, InstructionScanner scanner) {
    int offset = in.position();
    int flags = in.u32();
    if (Integer.compareUnsigned(flags, 7) > 0) {
      throw in.error("malformed elements segment kind", offset);
    }
    SegmentMode mode;
    if ((flags & ELEM_NOT_ACTIVE) == 0) {
      int table = (flags & ELEM_EXPLICIT) != 0 ? in.u32() : 0;
      mode = new SegmentMode.Active(table, scanner.constExpr(in));
    } else {
      mode = (flags & ELEM_EXPLICIT) != 0 ? DECLARATIVE : PASSIVE;
    }
    boolean typed = (flags & (ELEM_NOT_ACTIVE | ELEM_EXPLICIT)) != 0;
    boolean expressions = (flags & ELEM_EXPRESSIONS) != 0;
    // WebAssembly 3.0 (spec 5.5.12): function indices are non-null (ref func), expressions default to funcref
    boolean wasm3 = scanner.features().wasm3();
    ValueType type = !expressions && wasm3 ? NON_NULL_FUNC : ValType.FUNCREF;
    if (typed) {
      type = expressions ? TypeDecoder.referenceType(in, scanner.features()) : elementKind(in, wasm3);
    }
    // The section's loop polls once per segment; one segment may hold as many items as the file
    // has bytes (one each), so its items are polled too.
    int n = in.len32();
    ElementSegment.Items items;
    if (expressions) {
      // Packed as they are read: boxed, a segment held ten bytes of heap per byte of input.
      // Room for the count, but no more than the bytes left could hold (two or more an expression;
      // one or more an index): a count that lies costs no more than the file's size.
      PackedConstExprs.Builder exprs = new PackedConstExprs.Builder(Math.min(n, (in.limit() - in.position()) / 2));
      for (int i = 0; i < n; i++) {
        CompileDeadline.pollCounted(Phase.DECODE, i);
        exprs.add(scanner.constExpr(in));
      }
      items = new ElementSegment.Expressions(exprs.build());
    } else {
      PackedInts.Builder indices = new PackedInts.Builder(Math.min(n, in.limit() - in.position()));
      for (int i = 0; i < n; i++) {
        CompileDeadline.pollCounted(Phase.DECODE, i);
        indices.add(in.u32());
      }
      items = new ElementSegment.FunctionIndices(indices.build());
    }
    return new ElementSegment(type, mode, items, offset);
  }

  /** The element kind of index-list segments (spec 5.5.12): only 0x00, funcref, exists. */
  private static ValueType elementKind(ByteCursor in, boolean wasm3) {
    int at = in.position();
    if (in.u8() != 0x00) {
      throw in.error("malformed element kind", at);
    }
    return wasm3 ? NON_NULL_FUNC : ValType.FUNCREF;
  }

  private static final RefType NON_NULL_FUNC = new RefType(false, HeapType.Abstract.FUNC);

  /**
   * A data segment: flags 0 active in memory 0, 1 passive, 2 active with a memory index; then the
   * offset expression for active ones and the bytes.
   */
  static DataSegment data(ByteCursor in, InstructionScanner scanner) {
    int offset = in.position();
    int flags = in.u32();
    SegmentMode mode =
        switch (flags) {
          case 0 -> new SegmentMode.Active(0, scanner.constExpr(in));
          case 1 -> PASSIVE;
          case 2 -> {
            int memory = in.u32();
            yield new SegmentMode.Active(memory, scanner.constExpr(in));
          }
          default -> throw in.error("malformed data segment kind", offset);
        };
    int length = in.len32();
    int start = in.position();
    in.skip(length);
    return new DataSegment(mode, in.bytes(), start, length, offset);
  }
}
