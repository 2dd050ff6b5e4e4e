package dev.kiln.compiler.translate;

import dev.kiln.artifact.vm.MemoryGuard;
import dev.kiln.ir.InstBuilder;
import dev.kiln.ir.MemFlags;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.Type;
import dev.kiln.ir.analysis.UnsignedRange;
import dev.kiln.ir.builder.FunctionBuilder;
import dev.kiln.wasm.code.InstructionReader;
import dev.kiln.wasm.types.MemoryType;

/**
 * The linear-memory instructions of one function (spec 4.4.7): scalar and vector loads and stores
 * with their bounds checks, {@code memory.size} and {@code memory.grow}. Its own class because the
 * address computation (zero extension, static offset, when the check can be left out: a range
 * proof or the guard region) is one job that every access shares, apart from the control flow. It
 * reads the immediates from the translator's reader and works on its operand stack.
 */
final class MemoryAccesses {
  private final ModuleEnvironment env;
  private final FuncEnvironment fenv;
  private final FunctionBuilder b;
  private final InstructionReader reader;
  private final OperandStack stack;

  MemoryAccesses(ModuleEnvironment env, FuncEnvironment fenv, FunctionBuilder b, InstructionReader reader,
      OperandStack stack) {
    this.env = env;
    this.fenv = fenv;
    this.b = b;
    this.reader = reader;
    this.stack = stack;
  }

  /**
   * A scalar load or store ({@link MemoryOperator}); false when it can never be in bounds and
   * trapped instead, which ends the reachable code.
   */
  boolean access(MemoryOperator op) {
    int value = op.store() ? stack.pop() : -1;
    Address a = checkedAddress(stack.pop(), op.width());
    if (a == null) {
      return false;
    }
    InstBuilder ins = b.ins();
    if (op.store()) {
      ins.store(op.ir(), a.flags(), value, a.base(), a.offset());
    } else {
      stack.push(ins.load(op.ir(), op.type(), a.flags(), a.base(), a.offset()));
    }
    return true;
  }

  /**
   * Where an access goes: {@code base + offset}, the offset a signed 32-bit displacement, with the
   * flags the access carries (whether it is its own bounds check).
   */
  private record Address(int base, long offset, MemFlags flags) {}

  /**
   * The bounds-checked address of a {@code width}-byte access at wasm address {@code wasmAddress}
   * plus the instruction's static offset, in the memory its immediate names; null when the
   * access can never be in bounds, after a trap that ends the reachable code. The check is left
   * out when the index's range proves the access in bounds, and left to the guard region after a
   * 32-bit memory when the compile setting covers the offset ({@link MemoryGuard}): the access then
   * carries {@link MemFlags#traps()}.
   */
  private Address checkedAddress(int wasmAddress, int width) {
    int memoryIndex = reader.memoryIndex();
    long offset = reader.offset();
    int index = addressAsI64(memoryIndex, wasmAddress);
    InstBuilder ins = b.ins();
    long end = offset + width;
    if (Long.compareUnsigned(end, offset) < 0) {
      // memory64 offsets near 2^64: index + offset + width exceeds every possible length.
      ins.trap(TrapCode.HEAP_OUT_OF_BOUNDS);
      return null;
    }
    MemFlags flags = FuncEnvironment.heapFlags();
    UnsignedRange range = UnsignedRange.of(b.function().dfg(), index);
    if (!range.endsWithin(end, minimumLength(memoryIndex))) {
      if (!env.memoryType(memoryIndex).is64() && env.memoryGuard().covers(end)) {
        flags = MemFlags.HEAP_GUARDED;
      } else {
        ins.boundsCheck(index, fenv.memoryLength(memoryIndex), end, TrapCode.HEAP_OUT_OF_BOUNDS);
      }
    }
    if (range.min() == range.max() && offset >= 0 && range.max() >= 0
        && range.max() <= Integer.MAX_VALUE - offset) {
      // A constant address (a C global, a static table): base plus one displacement, no index
      // register for either ISA to materialise.
      return new Address(fenv.memoryBase(memoryIndex), offset + range.max(), flags);
    }
    int address = ins.iadd(fenv.memoryBase(memoryIndex), index);
    long immediate = offset;
    if (offset < 0 || offset > Integer.MAX_VALUE) {
      // Keep the access's displacement a signed 32-bit number, which both ISAs encode directly.
      address = ins.iadd(address, ins.iconst(Type.I64, offset));
      immediate = 0;
    }
    return new Address(address, immediate, flags);
  }

  /**
   * A vector load or store that is a scalar access and a lane operation (spec 4.4.7 "v128.loadNxM",
   * "loadN_splat", "loadN_zero", "loadN_lane", "storeN_lane"): the scalar is loaded and widened,
   * splatted or inserted, or extracted and stored. False as {@link #access} is.
   */
  boolean vectorAccess(VectorOperator op) {
    MemoryOperator access = op.memory();
    int vector = op.shape() == VectorOperator.Shape.LOAD_LANE
        || op.shape() == VectorOperator.Shape.STORE_LANE ? stack.pop() : -1;
    Address a = checkedAddress(stack.pop(), access.width());
    if (a == null) {
      return false;
    }
    InstBuilder ins = b.ins();
    if (op.shape() == VectorOperator.Shape.STORE_LANE) {
      int lane = ins.vextractlane(dev.kiln.ir.Opcode.VEXTRACTLANE, op.lanes(), vector, reader.lane());
      ins.store(access.ir(), a.flags(), lane, a.base(), a.offset());
      return true;
    }
    int loaded = ins.load(access.ir(), access.type(), a.flags(), a.base(), a.offset());
    stack.push(switch (op.shape()) {
      case LOAD_ZERO -> loaded;
      case LOAD_LANE -> ins.vinsertlane(op.lanes(), vector, loaded, reader.lane());
      default -> ins.vunary(op.ir(), op.lanes(), loaded); // a splat or a widening of the low half
    });
    return true;
  }

  /**
   * The length in bytes memory {@code memoryIndex} has at least, whenever this code runs: its
   * minimum size, since memories never shrink (spec 4.2.8 "memory instances") and an imported one
   * is at least as large as the import declares (spec 4.5.2.4 "limits" matching).
   */
  private long minimumLength(int memoryIndex) {
    long pages = env.memoryType(memoryIndex).limits().min();
    return Long.compareUnsigned(pages, Long.MAX_VALUE >>> 16) > 0 ? Long.MAX_VALUE : pages << 16;
  }

  /** The wasm address as a 64-bit byte index: i32 addresses are zero-extended (spec 4.4.7). */
  private int addressAsI64(int memoryIndex, int address) {
    return env.memoryType(memoryIndex).is64() ? address
        : b.ins().unary(dev.kiln.ir.Opcode.UEXTEND, Type.I64, address);
  }

  /** {@code memory.size}: the length in bytes over the 64 KiB page size (spec 4.4.7.8). */
  void size(int memoryIndex) {
    InstBuilder ins = b.ins();
    int pages = ins.binary(dev.kiln.ir.Opcode.USHR, Type.I64, fenv.memoryLength(memoryIndex),
        ins.iconst(Type.I64, 16));
    stack.push(fromPages(memoryIndex, pages));
  }

  /** {@code memory.grow}: the MEMORY_GROW builtin returns the old size in pages or -1. */
  void grow(int memoryIndex) {
    int delta = addressAsI64(memoryIndex, stack.pop());
    stack.push(fromPages(memoryIndex, fenv.memoryGrow(memoryIndex, delta)));
  }

  private int fromPages(int memoryIndex, int pages64) {
    MemoryType type = env.memoryType(memoryIndex);
    return type.is64() ? pages64
        : b.ins().unary(dev.kiln.ir.Opcode.IREDUCE, Type.I32, pages64);
  }
}
