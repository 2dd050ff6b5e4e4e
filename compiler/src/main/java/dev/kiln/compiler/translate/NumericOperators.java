package dev.kiln.compiler.translate;

import dev.kiln.ir.InstBuilder;
import dev.kiln.ir.builder.FunctionBuilder;
import dev.kiln.wasm.code.InstructionReader;

/**
 * The numeric instructions of one function, integer, float and vector (spec 4.4.1 and 4.4.3): each
 * pops its operands off the operand stack and pushes the one IR instruction its operator table
 * ({@link IntegerOperator}, {@link FloatOperator}, {@link VectorOperator}) names. Its own class
 * because these are one-to-one mappings by shape, with no control flow, kept apart from the
 * translator's control-flow code.
 */
final class NumericOperators {
  private final FunctionBuilder b;
  private final InstructionReader reader;
  private final OperandStack stack;

  NumericOperators(FunctionBuilder b, InstructionReader reader, OperandStack stack) {
    this.b = b;
    this.reader = reader;
    this.stack = stack;
  }

  /** An integer operator: the instruction {@link IntegerOperator} maps it to, on the stack's top values. */
  void integer(IntegerOperator op) {
    InstBuilder ins = b.ins();
    switch (op.shape()) {
      case BINARY -> {
        int y = stack.pop();
        int x = stack.pop();
        stack.push(ins.binary(op.ir(), op.type(), x, y));
      }
      case UNARY -> stack.push(ins.unary(op.ir(), op.type(), stack.pop()));
      case EQZ -> stack.push(ins.eqz(stack.pop()));
      case COMPARE -> {
        int y = stack.pop();
        int x = stack.pop();
        stack.push(ins.icmp(op.cond(), x, y));
      }
    }
  }

  /** A float operator other than a load or store ({@link MemoryAccesses} has those). */
  void floating(FloatOperator op) {
    InstBuilder ins = b.ins();
    switch (op.shape()) {
      case BINARY -> {
        int y = stack.pop();
        int x = stack.pop();
        stack.push(ins.binary(op.ir(), op.type(), x, y));
      }
      case UNARY -> stack.push(ins.unary(op.ir(), op.type(), stack.pop()));
      case COMPARE -> {
        int y = stack.pop();
        int x = stack.pop();
        stack.push(ins.fcmp(op.cond(), x, y));
      }
      case MEMORY -> throw new IllegalStateException(op + " is a memory access");
    }
  }

  /** A vector operator other than a load or store (lane immediates from the reader). */
  void vector(VectorOperator op) {
    InstBuilder ins = b.ins();
    switch (op.shape()) {
      case UNARY -> stack.push(op.lanes() == null ? ins.unary(op.ir(), null, stack.pop())
          : ins.vunary(op.ir(), op.lanes(), stack.pop()));
      case BINARY -> {
        int y = stack.pop();
        int x = stack.pop();
        stack.push(op.lanes() == null ? ins.binary(op.ir(), null, x, y)
            : ins.vbinary(op.ir(), op.lanes(), x, y));
      }
      case TERNARY -> {
        int z = stack.pop();
        int y = stack.pop();
        int x = stack.pop();
        stack.push(op.lanes() == null ? ins.ternary(op.ir(), null, x, y, z)
            : ins.vternary(op.ir(), op.lanes(), x, y, z));
      }
      case INT_COMPARE -> {
        int y = stack.pop();
        int x = stack.pop();
        stack.push(ins.vicmp(op.intCond(), op.lanes(), x, y));
      }
      case FLOAT_COMPARE -> {
        int y = stack.pop();
        int x = stack.pop();
        stack.push(ins.vfcmp(op.floatCond(), op.lanes(), x, y));
      }
      case EXTRACT_LANE -> stack.push(ins.vextractlane(op.ir(), op.lanes(), stack.pop(), reader.lane()));
      case REPLACE_LANE -> {
        int y = stack.pop();
        int x = stack.pop();
        stack.push(ins.vinsertlane(op.lanes(), x, y, reader.lane()));
      }
      case SHUFFLE -> {
        int y = stack.pop();
        int x = stack.pop();
        long low = 0;
        long high = 0;
        for (int i = 0; i < 8; i++) {
          low |= (long) reader.shuffleLane(i) << (8 * i);
          high |= (long) reader.shuffleLane(8 + i) << (8 * i);
        }
        stack.push(ins.vshuffle(x, y, low, high));
      }
      case LOAD_SPLAT, LOAD_ZERO, LOAD_EXTEND, LOAD_LANE, STORE_LANE ->
          throw new IllegalStateException(op + " is a memory access");
    }
  }
}
