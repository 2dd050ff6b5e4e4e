package dev.kiln.ir.pass;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.ExternalName;
import dev.kiln.ir.FuncCursor;
import dev.kiln.ir.Function;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.interp.Interpreter;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Signature;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.Type;
import dev.kiln.ir.text.Parser;
import dev.kiln.ir.text.Printer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random straight-line integer programs over interesting constants: the interpreter must
 * give the same results (or the same trap) before and after folding and dead-code elimination,
 * the folded function must
 * verify, and its text must round-trip through the parser.
 */
class ConstantFoldingPropertyTest {
  private static final Opcode[] BINARY = {Opcode.IADD, Opcode.ISUB, Opcode.IMUL, Opcode.SDIV,
      Opcode.UDIV, Opcode.SREM, Opcode.UREM, Opcode.BAND, Opcode.BOR, Opcode.BXOR, Opcode.ISHL,
      Opcode.SSHR, Opcode.USHR, Opcode.ROTL, Opcode.ROTR};
  private static final Opcode[] UNARY = {Opcode.CLZ, Opcode.CTZ, Opcode.POPCNT, Opcode.EXTEND8_S,
      Opcode.EXTEND16_S};
  private static final long[] INTERESTING = {0, 1, -1, 2, 7, 31, 32, 33, 63, 64, 0x7F, 0x80, 0xFF,
      0x7FFF, 0x8000, Integer.MAX_VALUE, Integer.MIN_VALUE, 0xFFFF_FFFFL, Long.MAX_VALUE,
      Long.MIN_VALUE};

  @Test
  void foldingPreservesBehaviour() {
    SplittableRandom random = new SplittableRandom(20261121);
    int traps = 0;
    for (int round = 0; round < 2_000; round++) {
      long seed = random.nextLong();
      Function original = program(new SplittableRandom(seed));
      String before = Printer.print(original);
      Function folded = Parser.parseFunction(before);
      new PassPipeline(List.of(new ConstantFolding(), new DeadCodeElimination()), true).run(folded);
      String after = Printer.print(folded);
      assertEquals(after, Printer.print(Parser.parseFunction(after)), "round trip");
      long[] expected;
      try {
        expected = Interpreter.run(original, 10_000);
      } catch (Interpreter.Trap t) {
        traps++;
        TrapCode code = t.code();
        Interpreter.Trap again = org.junit.jupiter.api.Assertions.assertThrows(
            Interpreter.Trap.class, () -> Interpreter.run(folded, 10_000), before);
        assertEquals(code, again.code(), before);
        continue;
      }
      assertArrayEquals(expected, Interpreter.run(folded, 10_000), before + "\n" + after);
    }
    org.junit.jupiter.api.Assertions.assertTrue(traps > 20 && traps < 1_900,
        "the generator should produce some trapping programs, got " + traps);
  }

  private static Function program(SplittableRandom r) {
    Type type = r.nextBoolean() ? Type.I32 : Type.I64;
    Function f = new Function(new ExternalName.Named("p"), Signature.of(List.of(),
        List.of(type, Type.I32)));
    int b0 = f.dfg().makeBlock();
    int b1 = f.dfg().makeBlock();
    int b2 = f.dfg().makeBlock();
    f.layout().appendBlock(b0);
    f.layout().appendBlock(b1);
    f.layout().appendBlock(b2);
    FuncCursor c = new FuncCursor(f).atEnd(b0);
    List<Integer> pool = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pool.add(c.iconst(type, INTERESTING[r.nextInt(INTERESTING.length)]));
    }
    int flag = c.iconst(Type.I32, r.nextInt(2));
    for (int i = 0; i < 8; i++) {
      int x = pool.get(r.nextInt(pool.size()));
      int y = pool.get(r.nextInt(pool.size()));
      int v = switch (r.nextInt(5)) {
        case 0 -> c.unary(UNARY[r.nextInt(UNARY.length)], type, x);
        case 1 -> c.select(r.nextBoolean() ? flag : c.icmp(IntCC.ULT, x, y), x, y);
        case 2 -> widthRoundTrip(c, type, x, r);
        default -> c.binary(BINARY[r.nextInt(BINARY.length)], type, x, y);
      };
      pool.add(v);
    }
    int last = pool.getLast();
    int cond = c.icmp(IntCC.values()[r.nextInt(IntCC.values().length)], pool.get(1), last);
    if (r.nextInt(4) == 0) {
      c.trapnz(c.eqz(cond), TrapCode.UNREACHABLE);
    }
    c.brif(cond, b1, b2);
    new FuncCursor(f).atEnd(b1).ret(last, cond);
    FuncCursor c2 = new FuncCursor(f).atEnd(b2);
    c2.ret(pool.get(2), c2.eqz(last));
    return f;
  }

  private static int widthRoundTrip(FuncCursor c, Type type, int x, SplittableRandom r) {
    if (type == Type.I32) {
      int wide = c.unary(r.nextBoolean() ? Opcode.SEXTEND : Opcode.UEXTEND, Type.I64, x);
      return c.unary(Opcode.IREDUCE, Type.I32, c.binary(Opcode.ROTL, Type.I64, wide, wide));
    }
    int narrow = c.unary(Opcode.IREDUCE, Type.I32, x);
    return c.unary(Opcode.SEXTEND, Type.I64, narrow);
  }
}
