package dev.kiln.compiler.translate;

import dev.kiln.artifact.vm.Builtin;
import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.InstBuilder;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.Type;
import dev.kiln.ir.builder.FunctionBuilder;

/**
 * The bulk memory instructions (spec 4.4.7.10-13): {@code memory.fill}, {@code memory.copy},
 * {@code memory.init} and {@code data.drop}, on any memory of a multi-memory module, 32- or 64-bit.
 *
 * <p>Each range is checked in compiled code before anything is written, so a trap leaves memory
 * untouched, as the spec requires (4.4.7.10 step 12, 4.4.7.11 step 15, 4.4.7.12 step 17: the
 * whole access is checked first, also when the length is 0 and the address is the memory's end
 * plus one). A range {@code [start, start + n)} fits a region of {@code length} bytes iff {@code n
 * <= length} and {@code start <= length - n}: two {@code bounds_check}s on unsigned 64-bit values,
 * which cannot overflow even for memory64's 64-bit addresses and lengths.
 *
 * <p>The bytes then move through one call ({@link Builtin#MEMORY_COPY}, {@link
 * Builtin#MEMORY_FILL}: C_DIRECT builtins, so libc's {@code memmove}/{@code memset} themselves)
 * with absolute addresses, not a byte loop. A copy or fill whose length is a constant of at most
 * {@value #INLINE_LIMIT} bytes is done inline instead, in 8-, 4-, 2- and 1-byte pieces after one
 * {@code bounds_check} per range (the constant is the check's static end). {@code memory.init} is a copy from the data segment's bytes,
 * found through the segment's VMContext record, whose length the loader sets to 0 for active
 * segments after instantiation and {@code data.drop} sets to 0 here (spec 4.5.4 step 15 and
 * 4.4.7.13: a dropped or active segment behaves as an empty one).
 */
final class BulkMemoryTranslator {
  private final ModuleEnvironment env;
  private final FuncEnvironment fenv;
  private final FunctionBuilder b;

  BulkMemoryTranslator(ModuleEnvironment env, FuncEnvironment fenv, FunctionBuilder b) {
    this.env = env;
    this.fenv = fenv;
    this.b = b;
  }

  /**
   * {@code memory.fill m}: stores the low byte of {@code value} into {@code [dst, dst + n)} of
   * memory {@code m}; {@code dst} and {@code n} are the memory's address type.
   */
  void fill(int memory, int dst, int value, int n) {
    int dst64 = address(memory, dst);
    long constant = shortConstant(n, env.memoryType(memory).is64());
    if (constant >= 0) {
      b.ins().boundsCheck(dst64, fenv.memoryLength(memory), constant, TrapCode.HEAP_OUT_OF_BOUNDS);
      storePattern(fenv.memoryBase(memory), dst64, value, (int) constant);
      return;
    }
    int n64 = address(memory, n);
    checkRange(dst64, n64, fenv.memoryLength(memory));
    InstBuilder ins = b.ins();
    fenv.callBuiltin(Builtin.MEMORY_FILL, ins.iadd(fenv.memoryBase(memory), dst64),
        ins.unary(Opcode.UEXTEND, Type.I64, value), n64);
  }

  /**
   * {@code memory.copy dstMemory srcMemory}: moves {@code [src, src + n)} of {@code srcMemory} to
   * {@code [dst, dst + n)} of {@code dstMemory}, overlap allowed. Each address has its memory's
   * address type; {@code n} is 64-bit only when both memories are (the memory64 proposal types it
   * as the narrower of the two).
   */
  void copy(int dstMemory, int srcMemory, int dst, int src, int n) {
    InstBuilder ins = b.ins();
    boolean wideLength = env.memoryType(dstMemory).is64() && env.memoryType(srcMemory).is64();
    int src64 = address(srcMemory, src);
    int dst64 = address(dstMemory, dst);
    long constant = shortConstant(n, wideLength);
    if (constant >= 0) {
      ins.boundsCheck(src64, fenv.memoryLength(srcMemory), constant, TrapCode.HEAP_OUT_OF_BOUNDS);
      ins.boundsCheck(dst64, fenv.memoryLength(dstMemory), constant, TrapCode.HEAP_OUT_OF_BOUNDS);
      copyInline(fenv.memoryBase(dstMemory), dst64, fenv.memoryBase(srcMemory), src64,
          (int) constant);
      return;
    }
    int n64 = wideLength ? n : ins.unary(Opcode.UEXTEND, Type.I64, n);
    if (dstMemory == srcMemory) {
      // One length, one "n <= length" check, one "length - n" for both starts.
      int room = roomFor(n64, fenv.memoryLength(dstMemory));
      ins.boundsCheck(src64, room, 0, TrapCode.HEAP_OUT_OF_BOUNDS);
      ins.boundsCheck(dst64, room, 0, TrapCode.HEAP_OUT_OF_BOUNDS);
    } else {
      checkRange(src64, n64, fenv.memoryLength(srcMemory));
      checkRange(dst64, n64, fenv.memoryLength(dstMemory));
    }
    int from = ins.iadd(fenv.memoryBase(srcMemory), src64);
    int to = ins.iadd(fenv.memoryBase(dstMemory), dst64);
    fenv.callBuiltin(Builtin.MEMORY_COPY, to, from, n64);
  }

  /**
   * {@code memory.init segment memory}: copies {@code [src, src + n)} of data segment {@code
   * segment} to {@code [dst, dst + n)} of {@code memory}. {@code src} and {@code n} are i32 (offsets
   * into a segment); {@code dst} has the memory's address type.
   */
  void init(int segment, int memory, int dst, int src, int n) {
    InstBuilder ins = b.ins();
    int n64 = ins.unary(Opcode.UEXTEND, Type.I64, n);
    int src64 = ins.unary(Opcode.UEXTEND, Type.I64, src);
    int dst64 = address(memory, dst);
    checkRange(src64, n64, fenv.dataSegmentLength(segment));
    checkRange(dst64, n64, fenv.memoryLength(memory));
    int from = ins.iadd(fenv.dataSegmentBase(segment), src64);
    int to = ins.iadd(fenv.memoryBase(memory), dst64);
    fenv.callBuiltin(Builtin.MEMORY_COPY, to, from, n64);
  }

  /** {@code data.drop segment}: the segment's length becomes 0 (spec 4.4.7.13). */
  void drop(int segment) {
    fenv.dropDataSegment(segment);
  }

  // ---------------------------------------------------------------- short constant lengths

  /**
   * {@code n}'s value when an {@code iconst} defines it and it is at most {@link #INLINE_LIMIT}
   * bytes (as an unsigned number of its type), else -1: such a copy or fill is a few loads and
   * stores inline, cheaper than the call. Producers emit these for structure copies and clears.
   */
  private long shortConstant(int n, boolean wide) {
    DataFlowGraph dfg = b.function().dfg();
    int v = dfg.resolveAliases(n);
    if (dfg.valueKind(v) != DataFlowGraph.VALUE_RESULT || dfg.opcode(dfg.valueDef(v)) != Opcode.ICONST) {
      return -1;
    }
    long value = dfg.imm(dfg.valueDef(v));
    long unsigned = wide ? value : value & 0xFFFF_FFFFL;
    return Long.compareUnsigned(unsigned, INLINE_LIMIT) <= 0 ? unsigned : -1;
  }

  /** The longest constant copy or fill done inline: two 8-byte moves. */
  static final int INLINE_LIMIT = 16;

  /**
   * Copies {@code n} bytes ({@code n <= INLINE_LIMIT}) from {@code fromBase + from} to {@code
   * toBase + to} in 8-, 4-, 2- and 1-byte pieces, every load before the first store: the result
   * is that of a copy through a temporary buffer whatever the overlap (spec 4.4.7.11).
   */
  private void copyInline(int toBase, int to, int fromBase, int from, int n) {
    InstBuilder ins = b.ins();
    int source = ins.iadd(fromBase, from);
    int[] pieces = pieces(n);
    int[] values = new int[pieces.length];
    int offset = 0;
    for (int i = 0; i < pieces.length; i++) {
      values[i] = ins.load(loadOpcode(pieces[i]), pieces[i] == 8 ? Type.I64 : Type.I32,
          FuncEnvironment.heapFlags(), source, offset);
      offset += pieces[i];
    }
    int target = ins.iadd(toBase, to);
    offset = 0;
    for (int i = 0; i < pieces.length; i++) {
      ins.store(storeOpcode(pieces[i]), FuncEnvironment.heapFlags(), values[i], target, offset);
      offset += pieces[i];
    }
  }

  /**
   * Stores the low byte of the i32 {@code value} into {@code n} bytes ({@code n <= INLINE_LIMIT})
   * at {@code base + at}: the byte times 0x01010101 (and 0x0101010101010101 for 8-byte pieces)
   * repeats it in every byte of a piece.
   */
  private void storePattern(int base, int at, int value, int n) {
    int[] pieces = pieces(n);
    if (pieces.length == 0) {
      return;
    }
    InstBuilder ins = b.ins();
    int target = ins.iadd(base, at);
    int low = ins.band(value, ins.iconst(Type.I32, 0xFF));
    int word = -1;
    int wide = -1;
    int offset = 0;
    for (int piece : pieces) {
      int stored;
      if (piece == 8) {
        if (wide < 0) {
          wide = ins.imul(ins.unary(Opcode.UEXTEND, Type.I64, low),
              ins.iconst(Type.I64, 0x0101_0101_0101_0101L));
        }
        stored = wide;
      } else {
        if (word < 0) {
          word = ins.imul(low, ins.iconst(Type.I32, 0x0101_0101));
        }
        stored = word;
      }
      ins.store(storeOpcode(piece), FuncEnvironment.heapFlags(), stored, target, offset);
      offset += piece;
    }
  }

  /** {@code n} as a sum of 8, 4, 2 and 1, largest first. */
  private static int[] pieces(int n) {
    int[] out = new int[n / 8 + Integer.bitCount(n & 7)];
    int i = 0;
    int left = n;
    for (int size = 8; size >= 1; size /= 2) {
      while (left >= size) {
        out[i++] = size;
        left -= size;
      }
    }
    return out;
  }

  private static Opcode loadOpcode(int width) {
    return switch (width) {
      case 8, 4 -> Opcode.LOAD;
      case 2 -> Opcode.ULOAD16;
      case 1 -> Opcode.ULOAD8;
      default -> throw new IllegalArgumentException("piece of " + width + " bytes");
    };
  }

  private static Opcode storeOpcode(int width) {
    return switch (width) {
      case 8, 4 -> Opcode.STORE;
      case 2 -> Opcode.ISTORE16;
      case 1 -> Opcode.ISTORE8;
      default -> throw new IllegalArgumentException("piece of " + width + " bytes");
    };
  }

  // ---------------------------------------------------------------- range checks

  /** Traps with {@code heap_oob} unless {@code [start, start + n)} lies within {@code length}. */
  private void checkRange(int start, int n, int length) {
    b.ins().boundsCheck(start, roomFor(n, length), 0, TrapCode.HEAP_OUT_OF_BOUNDS);
  }

  /**
   * Traps with {@code heap_oob} unless {@code n <= length}; returns {@code length - n}, the largest
   * start a range of {@code n} bytes may have.
   */
  private int roomFor(int n, int length) {
    InstBuilder ins = b.ins();
    ins.boundsCheck(n, length, 0, TrapCode.HEAP_OUT_OF_BOUNDS);
    return ins.isub(length, n);
  }

  /** A wasm address or length of memory {@code memory}'s address type, as an unsigned i64. */
  private int address(int memory, int value) {
    return env.memoryType(memory).is64() ? value
        : b.ins().unary(Opcode.UEXTEND, Type.I64, value);
  }
}
