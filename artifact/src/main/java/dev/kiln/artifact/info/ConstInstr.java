package dev.kiln.artifact.info;

import java.util.Objects;
import java.util.Optional;

/**
 * One instruction of a constant expression (WebAssembly 2.0 section 3.3.10.2, with the extended-const
 * proposal's integer add, sub and mul). Each is stored as its wasm opcode byte followed by a
 * fixed-width little-endian immediate, so the loader never decodes LEB128.
 */
public sealed interface ConstInstr {
  /** The wasm opcode byte, which is also the instruction's tag in {@code .kiln.info}. */
  int opcode();

  record I32Const(int value) implements ConstInstr {
    public static final int OPCODE = 0x41;

    @Override
    public int opcode() {
      return OPCODE;
    }
  }

  record I64Const(long value) implements ConstInstr {
    public static final int OPCODE = 0x42;

    @Override
    public int opcode() {
      return OPCODE;
    }
  }

  /** An f32 constant as its IEEE 754 bit pattern (NaN payloads survive). */
  record F32Const(int bits) implements ConstInstr {
    public static final int OPCODE = 0x43;

    @Override
    public int opcode() {
      return OPCODE;
    }
  }

  /** An f64 constant as its IEEE 754 bit pattern. */
  record F64Const(long bits) implements ConstInstr {
    public static final int OPCODE = 0x44;

    @Override
    public int opcode() {
      return OPCODE;
    }
  }

  /**
   * A v128 constant as its two little-endian halves, bytes 0-7 and 8-15. Its tag is 0xFD, the
   * prefix byte of wasm's {@code v128.const} (spec 5.4.8), whose own opcode is two bytes.
   */
  record V128Const(long low, long high) implements ConstInstr {
    public static final int OPCODE = 0xFD;

    @Override
    public int opcode() {
      return OPCODE;
    }
  }

  record GlobalGet(int globalIndex) implements ConstInstr {
    public static final int OPCODE = 0x23;

    @Override
    public int opcode() {
      return OPCODE;
    }
  }

  record RefNull(ValType type) implements ConstInstr {
    public static final int OPCODE = 0xD0;

    public RefNull {
      if (!type.isReference()) {
        throw new IllegalArgumentException("ref.null of a non-reference type " + type);
      }
    }

    @Override
    public int opcode() {
      return OPCODE;
    }
  }

  record RefFunc(int functionIndex) implements ConstInstr {
    public static final int OPCODE = 0xD2;

    @Override
    public int opcode() {
      return OPCODE;
    }
  }

  /**
   * {@code ref.i31} (WebAssembly 3.0, GC): the i32 on the stack becomes an i31 reference ({@link
   * dev.kiln.artifact.gc.ReferenceWord#i31}). Stored as the byte 0xFB (the GC prefix) then its
   * sub-opcode 0x1C, the only GC instruction a constant expression of an artifact holds.
   */
  record RefI31() implements ConstInstr {
    public static final int OPCODE = 0xFB;
    public static final int SUB_OPCODE = 0x1C;

    @Override
    public int opcode() {
      return OPCODE;
    }
  }

  /**
   * An allocating GC instruction (WebAssembly 3.0 spec 3.3.10: {@code struct.new}, {@code
   * struct.new_default}, {@code array.new}, {@code array.new_default}, {@code array.new_fixed}):
   * pops {@code operands} values (the fields, the element and length, the length, the elements)
   * and pushes the new object of type {@code typeIndex}. Stored as the byte 0xFB, the sub-opcode,
   * then the type index and the operand count as u32s.
   */
  record GcNew(int subOpcode, int typeIndex, int operands) implements ConstInstr {
    public static final int STRUCT_NEW = 0;
    public static final int STRUCT_NEW_DEFAULT = 1;
    public static final int ARRAY_NEW = 6;
    public static final int ARRAY_NEW_DEFAULT = 7;
    public static final int ARRAY_NEW_FIXED = 8;

    @Override
    public int opcode() {
      return RefI31.OPCODE;
    }

    /** Whether it makes a struct (else an array). */
    public boolean struct() {
      return subOpcode == STRUCT_NEW || subOpcode == STRUCT_NEW_DEFAULT;
    }
  }

  /** An integer add, sub or mul popping two operands (extended-const proposal). */
  record Binary(Op op) implements ConstInstr {
    public Binary {
      Objects.requireNonNull(op);
    }

    @Override
    public int opcode() {
      return op.opcode();
    }
  }

  /** The binary operators a constant expression may use, with their wasm opcodes. */
  enum Op {
    I32_ADD(0x6A, ValType.I32),
    I32_SUB(0x6B, ValType.I32),
    I32_MUL(0x6C, ValType.I32),
    I64_ADD(0x7C, ValType.I64),
    I64_SUB(0x7D, ValType.I64),
    I64_MUL(0x7E, ValType.I64);

    private final int opcode;
    private final ValType type;

    Op(int opcode, ValType type) {
      this.opcode = opcode;
      this.type = type;
    }

    public int opcode() {
      return opcode;
    }

    /** The operand and result type. */
    public ValType type() {
      return type;
    }

    public static Optional<Op> ofOpcode(int opcode) {
      for (Op op : values()) {
        if (op.opcode == opcode) {
          return Optional.of(op);
        }
      }
      return Optional.empty();
    }
  }
}
