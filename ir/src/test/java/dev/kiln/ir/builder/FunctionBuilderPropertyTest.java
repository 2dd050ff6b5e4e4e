package dev.kiln.ir.builder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.Function;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.interp.Interpreter;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import dev.kiln.ir.pass.ConstantFolding;
import dev.kiln.ir.pass.DeadCodeElimination;
import dev.kiln.ir.pass.PassPipeline;
import dev.kiln.ir.text.Parser;
import dev.kiln.ir.text.Printer;
import dev.kiln.ir.verify.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random structured programs (assignments, if/else, counted loops with conditional breaks)
 * over four i32 variables are evaluated directly in Java and translated with the {@link
 * FunctionBuilder} the way the wasm translator will; the IR, interpreted, must compute the same
 * four values. Half the programs seal blocks as early as possible, half only at the end, so both
 * of Braun et al.'s paths (complete and incomplete parameters) are exercised. Each function must
 * verify, round-trip through the text format and compute the same after folding and dead-code
 * elimination.
 */
class FunctionBuilderPropertyTest {
  private static final int VARS = 4;

  sealed interface Expr permits Const, Var, Bin {}

  record Const(int value) implements Expr {}

  record Var(int index) implements Expr {}

  record Bin(Opcode op, Expr x, Expr y) implements Expr {}

  sealed interface Stmt permits Assign, If, Loop, BreakIf {}

  record Assign(int var, Expr value) implements Stmt {}

  record If(Expr cond, List<Stmt> then, List<Stmt> otherwise) implements Stmt {}

  /** {@code for (k = 0; k < trips; k++) body}, the counter is not a program variable. */
  record Loop(int trips, List<Stmt> body) implements Stmt {}

  /** Leaves the innermost loop when {@code cond != 0}. */
  record BreakIf(Expr cond) implements Stmt {}

  private static final Opcode[] OPS = {Opcode.IADD, Opcode.ISUB, Opcode.IMUL, Opcode.BXOR,
      Opcode.BAND, Opcode.ROTL};

  // ------------------------------------------------------------------ generation

  private static Expr expr(SplittableRandom r, int depth) {
    return switch (depth <= 0 ? r.nextInt(2) : r.nextInt(4)) {
      case 0 -> new Const(r.nextInt(-5, 6));
      case 1 -> new Var(r.nextInt(VARS));
      default -> new Bin(OPS[r.nextInt(OPS.length)], expr(r, depth - 1), expr(r, depth - 1));
    };
  }

  private static List<Stmt> block(SplittableRandom r, int depth, boolean inLoop) {
    List<Stmt> out = new ArrayList<>();
    int n = r.nextInt(1, 4);
    for (int i = 0; i < n; i++) {
      int kind = depth <= 0 ? 0 : r.nextInt(inLoop ? 5 : 4);
      out.add(switch (kind) {
        case 0, 1 -> new Assign(r.nextInt(VARS), expr(r, 2));
        case 2 -> new If(expr(r, 1), block(r, depth - 1, inLoop), block(r, depth - 1, inLoop));
        case 3 -> new Loop(r.nextInt(0, 4), block(r, depth - 1, true));
        default -> new BreakIf(expr(r, 1));
      });
    }
    return out;
  }

  // ------------------------------------------------------------------ direct evaluation

  private static int eval(Expr e, int[] vars) {
    return switch (e) {
      case Const c -> c.value();
      case Var v -> vars[v.index()];
      case Bin b -> {
        int x = eval(b.x(), vars);
        int y = eval(b.y(), vars);
        yield switch (b.op()) {
          case IADD -> x + y;
          case ISUB -> x - y;
          case IMUL -> x * y;
          case BXOR -> x ^ y;
          case BAND -> x & y;
          case ROTL -> Integer.rotateLeft(x, y);
          default -> throw new IllegalStateException();
        };
      }
    };
  }

  /** Runs statements; returns true when a break left the innermost loop. */
  private static boolean exec(List<Stmt> stmts, int[] vars) {
    for (Stmt s : stmts) {
      switch (s) {
        case Assign a -> vars[a.var()] = eval(a.value(), vars);
        case If i -> {
          if (exec(eval(i.cond(), vars) != 0 ? i.then() : i.otherwise(), vars)) {
            return true;
          }
        }
        case Loop l -> {
          for (int k = 0; k < l.trips(); k++) {
            if (exec(l.body(), vars)) {
              break;
            }
          }
        }
        case BreakIf b -> {
          if (eval(b.cond(), vars) != 0) {
            return true;
          }
        }
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ translation

  private static final class Translator {
    final FunctionBuilder b;
    final boolean sealEarly;
    final List<Integer> breakTargets = new ArrayList<>();

    Translator(FunctionBuilder b, boolean sealEarly) {
      this.b = b;
      this.sealEarly = sealEarly;
    }

    void seal(int block) {
      if (sealEarly) {
        b.sealBlock(block);
      }
    }

    int expr(Expr e) {
      return switch (e) {
        case Const c -> b.ins().iconst(Type.I32, c.value());
        case Var v -> b.useVar(v.index());
        case Bin bin -> {
          int x = expr(bin.x());
          int y = expr(bin.y());
          yield b.ins().binary(bin.op(), Type.I32, x, y);
        }
      };
    }

    void stmts(List<Stmt> stmts) {
      for (Stmt s : stmts) {
        switch (s) {
          case Assign a -> b.defVar(a.var(), expr(a.value()));
          case If i -> {
            int then = b.createBlock();
            int otherwise = b.createBlock();
            int merge = b.createBlock();
            b.ins().brif(expr(i.cond()), then, otherwise);
            seal(then);
            seal(otherwise);
            b.switchToBlock(then);
            stmts(i.then());
            b.ins().jump(merge);
            b.switchToBlock(otherwise);
            stmts(i.otherwise());
            b.ins().jump(merge);
            seal(merge);
            b.switchToBlock(merge);
          }
          case Loop l -> {
            int counter = b.declareVar(Type.I32);
            b.defVar(counter, b.ins().iconst(Type.I32, 0));
            int header = b.createBlock();
            int body = b.createBlock();
            int exit = b.createBlock();
            b.ins().jump(header);
            b.switchToBlock(header);
            int more = b.ins().icmp(IntCC.SLT, b.useVar(counter),
                b.ins().iconst(Type.I32, l.trips()));
            b.ins().brif(more, body, exit);
            seal(body);
            b.switchToBlock(body);
            breakTargets.add(exit);
            stmts(l.body());
            breakTargets.removeLast();
            b.defVar(counter, b.ins().iadd(b.useVar(counter), b.ins().iconst(Type.I32, 1)));
            b.ins().jump(header);
            seal(header);
            seal(exit);
            b.switchToBlock(exit);
          }
          case BreakIf br -> {
            int cont = b.createBlock();
            b.ins().brif(expr(br.cond()), breakTargets.getLast(), cont);
            seal(cont);
            b.switchToBlock(cont);
          }
        }
      }
    }
  }

  private static Function translate(List<Stmt> program, boolean sealEarly) {
    FunctionBuilder b = new FunctionBuilder(FunctionBuilderGoldenTest.newFunction("random",
        List.of(Type.I32, Type.I32), List.of(Type.I32, Type.I32, Type.I32, Type.I32)));
    for (int v = 0; v < VARS; v++) {
      b.declareVar(Type.I32);
    }
    int entry = b.createBlock();
    b.switchToBlock(entry);
    int[] params = b.appendBlockParamsForFunctionParams(entry);
    b.sealBlock(entry);
    b.defVar(0, params[0]);
    b.defVar(1, params[1]);
    Translator t = new Translator(b, sealEarly);
    t.stmts(program);
    int[] results = new int[VARS];
    for (int v = 0; v < VARS; v++) {
      results[v] = b.useVar(v);
    }
    b.ins().ret(results);
    b.sealAllBlocks();
    return b.finish();
  }

  @Test
  void builtSsaComputesWhatTheProgramComputes() {
    SplittableRandom seeds = new SplittableRandom(0xB4A0);
    for (int round = 0; round < 400; round++) {
      long seed = seeds.nextLong();
      SplittableRandom r = new SplittableRandom(seed);
      List<Stmt> program = block(r, 3, false);
      int a = r.nextInt(-3, 4);
      int c = r.nextInt(-3, 4);
      int[] vars = {a, c, 0, 0};
      exec(program, vars);
      long[] expected = new long[VARS];
      for (int v = 0; v < VARS; v++) {
        expected[v] = vars[v];
      }
      boolean sealEarly = round % 2 == 0;
      Function f = translate(program, sealEarly);
      String where = "seed " + seed + (sealEarly ? " (sealed early)" : " (sealed late)");
      assertEquals(List.of(), Verifier.verify(f), where);
      assertArrayEquals(expected, Interpreter.run(f, 1_000_000, a, c), where + "\n" + f);
      String text = Printer.print(f);
      assertEquals(text, Printer.print(Parser.parseFunction(text)), where);
      new PassPipeline(List.of(new ConstantFolding(), new DeadCodeElimination()), true).run(f);
      assertArrayEquals(expected, Interpreter.run(f, 1_000_000, a, c),
          where + " after fold and dce");
    }
  }
}
