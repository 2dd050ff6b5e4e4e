package dev.kiln.wasm.decode;

import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.Features;
import dev.kiln.wasm.code.BodyFacts;
import dev.kiln.wasm.code.InstructionReader;
import dev.kiln.wasm.code.Opcode;
import dev.kiln.wasm.module.ConstExpr;
import java.util.Arrays;

/**
 * Finds where an instruction sequence ends (spec 5.4.9 expressions, 5.5.13 function bodies) by
 * reading every instruction with {@link InstructionReader}, so malformed opcodes and immediates are
 * reported while decoding, and by tracking block structure: {@code block}, {@code loop} and {@code
 * if} open a construct, {@code else} is only allowed once directly inside an {@code if}, and the
 * {@code end} that closes no construct ends the sequence.
 *
 * <p>One scanner serves a whole module; its control stack is a byte array reused across bodies, so
 * scanning allocates only when nesting gets deeper than ever before. It also gathers the bodies'
 * {@link BodyFacts}: whether any used a data segment index (memory.init, data.drop), which the
 * binary format only allows after a data count section (spec 5.5.14), and which tables they write,
 * which the compiler needs to know which tables keep their contents from instantiation on.
 */
final class InstructionScanner {
  private static final byte BLOCK = 0;
  private static final byte IF = 1;
  private static final byte IF_AFTER_ELSE = 2;

  private final Features features;
  private byte[] open = new byte[32];
  private final BodyFacts facts = new BodyFacts();

  InstructionScanner(Features features) {
    this.features = features;
  }

  /** The features the instructions are read with. */
  Features features() {
    return features;
  }

  /** What the function bodies scanned so far tell ({@link BodyFacts}). */
  BodyFacts facts() {
    return facts;
  }

  /** Reads a constant expression at the cursor and moves the cursor past its final {@code end}. */
  ConstExpr constExpr(ByteCursor in) {
    int start = in.position();
    int end = scan(in.bytes(), start, in.limit(), false);
    in.seek(end);
    return new ConstExpr(in.bytes(), start, end);
  }

  /** Scans a function body's instructions from {@code start}; returns the offset after its end. */
  int scanBody(byte[] source, int start, int limit) {
    return scan(source, start, limit, true);
  }

  private int scan(byte[] source, int start, int limit, boolean body) {
    InstructionReader reader = new InstructionReader(source, start, limit, features);
    int depth = 0;
    while (reader.hasNext()) {
      Opcode op = reader.next();
      switch (op) {
        case BLOCK, LOOP, TRY_TABLE, TRY -> push(depth++, BLOCK);
        case DELEGATE -> {
          // legacy exception handling: delegate ends its try as end does
          if (depth == 0) {
            throw new MalformedException("unexpected delegate", reader.instructionStart());
          }
          depth--;
        }
        case IF -> push(depth++, IF);
        case ELSE -> {
          // The reference interpreter reads a block's instructions up to else or end and then
          // expects end unless the block is an if still in its then-arm.
          if (depth == 0 || open[depth - 1] != IF) {
            throw new MalformedException("END opcode expected", reader.instructionStart());
          }
          open[depth - 1] = IF_AFTER_ELSE;
        }
        case END -> {
          if (depth == 0) {
            return reader.position();
          }
          depth--;
        }
        default -> {}
      }
      if (body) {
        facts.note(op, reader);
      }
    }
    throw new MalformedException(ByteCursor.UNEXPECTED_END, limit);
  }

  private void push(int depth, byte kind) {
    if (depth == open.length) {
      open = Arrays.copyOf(open, depth * 2);
    }
    open[depth] = kind;
  }
}
