package dev.kiln.cli;

import static dev.kiln.cli.TrainingProgram.Op.*;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A generated program for the JVM's profile training of large compiles ({@link AotTraining}): a
 * module of many functions shaped as compiled C is (locals of each numeric type, loads and stores at
 * masked addresses with offsets, arithmetic and comparisons, counted loops, if/else, {@code br_table}
 * switches, direct and indirect calls, a shadow-stack global), so that compiling it runs the
 * compiler's common paths as a real program's compile does. Nothing runs it; it only has to be
 * valid. It is written in the binary format directly (spec 5): reading the same program as text
 * took the training 4 s more and 1.1 GB of memory, where the whole training now takes 0.3 GB. The
 * same count and seed always give the same bytes (it draws only on {@link Random}'s specified
 * methods), so every build trains on the same program.
 */
final class TrainingProgram {
  /** Value types' binary codes (spec 5.3.4): i32, i64, f64. */
  private static final byte I32 = 0x7F;
  private static final byte I64 = 0x7E;
  private static final byte F64 = 0x7C;
  private static final byte[] TYPES = {I32, I64, F64};
  private static final byte NO_RESULT = 0;
  /** Parameter lists, as a compiler's common signatures: pointers, lengths, a 64-bit or float value. */
  private static final List<byte[]> PARAMS = List.of(new byte[] {I32}, new byte[] {I32, I32},
      new byte[] {I32, I32, I32}, new byte[] {I64, I32}, new byte[] {I32, I64, I32}, new byte[] {F64, I32});
  /** Results, weighted toward i32. */
  private static final byte[] RESULTS = {I32, I32, I64, F64, NO_RESULT};
  /** Statements a body has, mostly short functions and a few long ones. */
  private static final int[] BODY_LENGTHS = {3, 5, 8, 12, 20, 40};
  private static final List<Op> I32_COMPARISONS = List.of(I32_EQ, I32_NE, I32_LT_S, I32_LT_U, I32_GT_S, I32_LE_U,
      I32_GE_S);
  private static final List<Op> I32_ARITHMETIC = List.of(I32_ADD, I32_ADD, I32_ADD, I32_SUB, I32_MUL, I32_AND,
      I32_OR, I32_XOR, I32_SHL, I32_SHR_U, I32_SHR_S, I32_ROTL, I32_DIV_U, I32_REM_S);
  private static final List<Op> I64_ARITHMETIC = List.of(I64_ADD, I64_SUB, I64_MUL, I64_AND, I64_OR, I64_XOR,
      I64_SHL, I64_SHR_U);
  private static final List<Op> F64_ARITHMETIC = List.of(F64_ADD, F64_SUB, F64_MUL, F64_DIV, F64_MIN, F64_MAX);
  /** The block type of a block, loop or if without parameters or results (spec 5.4.1). */
  private static final int EMPTY_BLOCK = 0x40;
  /** The one global: a shadow stack pointer, as C compilers keep one. */
  private static final int STACK_POINTER = 0;

  /**
   * The instructions the program uses, by their binary codes (spec 5.4); a load's or store's
   * natural alignment (log2 of its width) beside it.
   */
  enum Op {
    BLOCK(0x02), LOOP(0x03), IF(0x04), ELSE(0x05), END(0x0B), BR_IF(0x0D), BR_TABLE(0x0E), CALL(0x10),
    CALL_INDIRECT(0x11), DROP(0x1A), SELECT(0x1B), LOCAL_GET(0x20), LOCAL_SET(0x21), GLOBAL_GET(0x23),
    GLOBAL_SET(0x24),
    I32_LOAD(0x28, 2), I64_LOAD(0x29, 3), F64_LOAD(0x2B, 3), I32_LOAD8_U(0x2D, 0), I32_STORE(0x36, 2),
    I64_STORE(0x37, 3), F64_STORE(0x39, 3),
    I32_CONST(0x41), I64_CONST(0x42), F64_CONST(0x44),
    I32_EQZ(0x45), I32_EQ(0x46), I32_NE(0x47), I32_LT_S(0x48), I32_LT_U(0x49), I32_GT_S(0x4A), I32_LE_U(0x4D),
    I32_GE_S(0x4E),
    I32_ADD(0x6A), I32_SUB(0x6B), I32_MUL(0x6C), I32_DIV_U(0x6E), I32_REM_S(0x6F), I32_AND(0x71), I32_OR(0x72),
    I32_XOR(0x73), I32_SHL(0x74), I32_SHR_S(0x75), I32_SHR_U(0x76), I32_ROTL(0x77),
    I64_ADD(0x7C), I64_SUB(0x7D), I64_MUL(0x7E), I64_AND(0x83), I64_OR(0x84), I64_XOR(0x85), I64_SHL(0x86),
    I64_SHR_U(0x88),
    F64_ADD(0xA0), F64_SUB(0xA1), F64_MUL(0xA2), F64_DIV(0xA3), F64_MIN(0xA4), F64_MAX(0xA5),
    I32_WRAP_I64(0xA7), I64_EXTEND_I32_S(0xAC), I64_EXTEND_I32_U(0xAD), F64_CONVERT_I32_S(0xB7),
    /** 0xFC 2 (spec 5.4.7, the saturating truncations). */
    I32_TRUNC_SAT_F64_S(0xFC, 2, -1);

    final int code;
    final int prefixed;
    final int alignment;

    Op(int code) {
      this(code, -1, -1);
    }

    Op(int code, int alignment) {
      this(code, -1, alignment);
    }

    Op(int code, int prefixed, int alignment) {
      this.code = code;
      this.prefixed = prefixed;
      this.alignment = alignment;
    }
  }

  private record Signature(byte[] params, byte result) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Signature s && Arrays.equals(params, s.params) && result == s.result;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(params) * 31 + result;
    }
  }

  private final Random random;
  private final List<Signature> functions = new ArrayList<>();
  private final Map<Signature, Integer> typeIndex = new LinkedHashMap<>();
  private final int tableMask;

  private TrainingProgram(int functionCount, long seed) {
    random = new Random(seed);
    for (int i = 0; i < functionCount; i++) {
      Signature s = new Signature(PARAMS.get(random.nextInt(PARAMS.size())), RESULTS[random.nextInt(RESULTS.length)]);
      functions.add(s);
      typeIndex.putIfAbsent(s, typeIndex.size());
    }
    tableMask = Integer.highestOneBit(functionCount) - 1;
  }

  /** The module of {@code functionCount} functions generated from {@code seed}. */
  static byte[] wasm(int functionCount, long seed) {
    if (functionCount < 1) {
      throw new IllegalArgumentException("a training program needs a function");
    }
    return new TrainingProgram(functionCount, seed).module();
  }

  private byte[] module() {
    Bytes out = new Bytes();
    out.raw(0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00);
    Bytes types = new Bytes().u32(typeIndex.size());
    typeIndex.keySet().forEach(s -> {
      types.u8(0x60).u32(s.params().length).raw(s.params());
      if (s.result() == NO_RESULT) {
        types.u32(0);
      } else {
        types.u32(1).u8(s.result());
      }
    });
    out.section(1, types);
    Bytes declared = new Bytes().u32(functions.size());
    functions.forEach(s -> declared.u32(typeIndex.get(s)));
    out.section(3, declared);
    out.section(4, new Bytes().u32(1).u8(0x70).u8(0x00).u32(functions.size())); // funcref, minimum only
    out.section(5, new Bytes().u32(1).u8(0x00).u32(256)); // 256 pages, no maximum
    out.section(6, new Bytes().u32(1).u8(I32).u8(0x01).op(I32_CONST).s64(65536).op(END)); // mutable
    Bytes exports = new Bytes().u32(functions.size());
    for (int i = 0; i < functions.size(); i++) {
      byte[] name = ("f" + i).getBytes(StandardCharsets.UTF_8);
      exports.u32(name.length).raw(name).u8(0x00).u32(i);
    }
    out.section(7, exports);
    Bytes elements = new Bytes().u32(1).u32(0).op(I32_CONST).s64(0).op(END).u32(functions.size());
    for (int i = 0; i < functions.size(); i++) {
      elements.u32(i);
    }
    out.section(9, elements);
    Bytes code = new Bytes().u32(functions.size());
    for (Signature s : functions) {
      Bytes body = new Body(s).write();
      code.u32(body.size()).raw(body.toByteArray());
    }
    out.section(10, code);
    return out.toByteArray();
  }

  private <T> T pick(List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  /** A byte sink with the binary format's encodings (spec 5.1, 5.2). */
  private static final class Bytes extends ByteArrayOutputStream {
    Bytes u8(int b) {
      write(b);
      return this;
    }

    Bytes raw(int... bytes) {
      for (int b : bytes) {
        write(b);
      }
      return this;
    }

    Bytes raw(byte[] bytes) {
      write(bytes, 0, bytes.length);
      return this;
    }

    Bytes u32(long value) {
      do {
        int b = (int) (value & 0x7F);
        value >>>= 7;
        write(value == 0 ? b : b | 0x80);
      } while (value != 0);
      return this;
    }

    Bytes s64(long value) {
      while (true) {
        int b = (int) (value & 0x7F);
        value >>= 7;
        if (value == 0 && (b & 0x40) == 0 || value == -1 && (b & 0x40) != 0) {
          write(b);
          return this;
        }
        write(b | 0x80);
      }
    }

    Bytes op(Op op) {
      write(op.code);
      return op.prefixed < 0 ? this : u32(op.prefixed);
    }

    void section(int id, Bytes contents) {
      u8(id).u32(contents.size()).raw(contents.toByteArray());
    }
  }

  /** One function's body: its locals by type (parameters first), then statements and a result. */
  private final class Body {
    private final Map<Byte, List<Integer>> locals = new LinkedHashMap<>();
    private final List<Byte> declared = new ArrayList<>();
    private final Signature signature;
    private final Bytes out = new Bytes();

    Body(Signature signature) {
      this.signature = signature;
      for (byte type : TYPES) {
        locals.put(type, new ArrayList<>());
      }
      for (int i = 0; i < signature.params().length; i++) {
        locals.get(signature.params()[i]).add(i);
      }
      int extra = 2 + random.nextInt(7);
      for (int i = 0; i < extra; i++) {
        declare(someType());
      }
      for (byte type : TYPES) {
        if (locals.get(type).isEmpty()) {
          declare(type);
        }
      }
    }

    /** A type for a local or an assignment, i32 three times in five. */
    private byte someType() {
      return random.nextInt(5) < 3 ? I32 : TYPES[1 + random.nextInt(2)];
    }

    private void declare(byte type) {
      locals.get(type).add(signature.params().length + declared.size());
      declared.add(type);
    }

    Bytes write() {
      out.u32(declared.size());
      declared.forEach(type -> out.u32(1).u8(type));
      int statements = random.nextInt(10) < 9 ? BODY_LENGTHS[random.nextInt(BODY_LENGTHS.length)] : 60 + random.nextInt(91);
      for (int i = 0; i < statements; i++) {
        statement(0);
      }
      if (signature.result() != NO_RESULT) {
        expression(signature.result(), 0);
      }
      out.op(END);
      return out;
    }

    private void get(byte type) {
      out.op(LOCAL_GET).u32(pick(locals.get(type)));
    }

    /** An address: a value masked to the memory's first 64 KiB and aligned for the access. */
    private void address(int depth, Op access) {
      expression(I32, depth);
      out.op(I32_CONST).s64(0xFFFF & -(1 << access.alignment)).op(I32_AND);
    }

    /** A load or store's immediate: natural alignment and an offset of up to {@code accesses} accesses. */
    private void memarg(Op access, int accesses) {
      out.u32(access.alignment).u32((long) random.nextInt(accesses + 1) << access.alignment);
    }

    private void expression(byte type, int depth) {
      if (depth > 3 || random.nextInt(10) < 3) {
        if (random.nextBoolean()) {
          get(type);
        } else if (type == I32) {
          out.op(I32_CONST).s64(random.nextInt(4101) - 100);
        } else if (type == I64) {
          out.op(I64_CONST).s64(random.nextLong() & ((1L << 40) - 1));
        } else {
          long bits = Double.doubleToRawLongBits(random.nextInt(100_000) / 1000.0);
          out.op(F64_CONST);
          for (int i = 0; i < 8; i++) {
            out.u8((int) (bits >>> (8 * i)));
          }
        }
        return;
      }
      int r = random.nextInt(100);
      if (type == I32) {
        if (r < 15) {
          load(I32_LOAD, depth);
        } else if (r < 20) {
          load(I32_LOAD8_U, depth);
        } else if (r < 28) {
          operands(depth, I32, I32).op(pick(I32_COMPARISONS));
        } else if (r < 32) {
          operands(depth, I64).op(I32_WRAP_I64);
        } else if (r < 34) {
          operands(depth, F64).op(I32_TRUNC_SAT_F64_S);
        } else if (r < 37) {
          operands(depth, I32, I32, I32).op(SELECT);
        } else if (r < 40) {
          operands(depth, I32).op(I32_EQZ);
        } else {
          operands(depth, I32, I32).op(pick(I32_ARITHMETIC));
        }
      } else if (type == I64) {
        if (r < 15) {
          load(I64_LOAD, depth);
        } else if (r < 25) {
          operands(depth, I32).op(random.nextBoolean() ? I64_EXTEND_I32_S : I64_EXTEND_I32_U);
        } else {
          operands(depth, I64, I64).op(pick(I64_ARITHMETIC));
        }
      } else if (r < 15) {
        load(F64_LOAD, depth);
      } else if (r < 25) {
        operands(depth, I32).op(F64_CONVERT_I32_S);
      } else {
        operands(depth, F64, F64).op(pick(F64_ARITHMETIC));
      }
    }

    /** An instruction's operands, one level deeper; the caller appends the instruction. */
    private Bytes operands(int depth, byte... types) {
      for (byte type : types) {
        expression(type, depth + 1);
      }
      return out;
    }

    private void load(Op access, int depth) {
      address(depth + 1, access);
      out.op(access);
      memarg(access, 64);
    }

    private void store(Op access, byte type) {
      address(1, access);
      expression(type, 1);
      out.op(access);
      memarg(access, 32);
    }

    /** A call of any function, a fifth of them through the table; a result is dropped. */
    private void call() {
      int callee = random.nextInt(functions.size());
      Signature s = functions.get(callee);
      for (byte param : s.params()) {
        expression(param, 2);
      }
      if (random.nextInt(5) == 0) {
        get(I32);
        out.op(I32_CONST).s64(tableMask).op(I32_AND).op(CALL_INDIRECT).u32(typeIndex.get(s)).u32(0);
      } else {
        out.op(CALL).u32(callee);
      }
      if (s.result() != NO_RESULT) {
        out.op(DROP);
      }
    }

    private void statement(int depth) {
      int r = random.nextInt(100);
      if (depth < 3 && r < 12) {
        loop(depth);
      } else if (depth < 3 && r < 24) {
        expression(I32, 1);
        out.op(IF).u8(EMPTY_BLOCK);
        statements(depth + 1, 1 + random.nextInt(4));
        out.op(ELSE);
        statements(depth + 1, random.nextInt(4));
        out.op(END);
      } else if (depth < 2 && r < 28) {
        switchStatement(depth);
      } else if (r < 40) {
        call();
      } else if (r < 50) {
        store(I32_STORE, I32);
      } else if (r < 55) {
        store(I64_STORE, I64);
      } else if (r < 58) {
        store(F64_STORE, F64);
      } else if (r < 62) {
        out.op(GLOBAL_GET).u32(STACK_POINTER).op(I32_CONST).s64(16).op(I32_SUB).op(GLOBAL_SET).u32(STACK_POINTER);
      } else {
        byte type = someType();
        int local = pick(locals.get(type));
        expression(type, 0);
        out.op(LOCAL_SET).u32(local);
      }
    }

    private void statements(int depth, int count) {
      for (int i = 0; i < count; i++) {
        statement(depth);
      }
    }

    /**
     * A loop counted on the first i32 local, with an early exit between its statements: block, loop,
     * statements, {@code br_if} out of the block, statements, the count, {@code br_if} back.
     */
    private void loop(int depth) {
      int counter = locals.get(I32).get(0);
      out.op(BLOCK).u8(EMPTY_BLOCK).op(LOOP).u8(EMPTY_BLOCK);
      statements(depth + 1, 1 + random.nextInt(3));
      expression(I32, 3);
      out.op(BR_IF).u32(1); // the block
      statements(depth + 1, 1 + random.nextInt(2));
      out.op(LOCAL_GET).u32(counter).op(I32_CONST).s64(1).op(I32_ADD).op(LOCAL_SET).u32(counter);
      out.op(LOCAL_GET).u32(counter);
      expression(I32, 2);
      out.op(I32_LT_U).op(BR_IF).u32(0).op(END).op(END); // the loop
    }

    /**
     * A {@code br_table} over 3 to 12 cases and a default: one block per case around it, innermost
     * first, each followed by a statement, all in one block.
     */
    private void switchStatement(int depth) {
      int cases = 3 + random.nextInt(10);
      for (int k = 0; k <= cases + 1; k++) {
        out.op(BLOCK).u8(EMPTY_BLOCK);
      }
      get(I32);
      out.op(I32_CONST).s64(15).op(I32_AND).op(BR_TABLE).u32(cases);
      for (int k = 0; k <= cases; k++) {
        out.u32(k);
      }
      for (int k = 0; k <= cases; k++) {
        out.op(END);
        statement(depth + 1);
      }
      out.op(END);
    }
  }
}
