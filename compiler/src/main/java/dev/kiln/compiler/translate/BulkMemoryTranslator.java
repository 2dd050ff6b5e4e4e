package dev.kiln.compiler.translate;

import dev.kiln.artifact.vm.Builtin;
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
 * with absolute addresses, not a byte loop. {@code memory.init} is a copy from the data segment's bytes,
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
    int n64 = address(memory, n);
    int dst64 = address(memory, dst);
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
    int n64 = wideLength ? n : ins.unary(Opcode.UEXTEND, Type.I64, n);
    int src64 = address(srcMemory, src);
    int dst64 = address(dstMemory, dst);
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
