package dev.kiln.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.Function;
import dev.kiln.ir.builder.FunctionBuilderTestAccess;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParserTest {
  @Test
  void errorsCarryLineAndColumn() {
    ParseException e = assertThrows(ParseException.class, () -> Parser.parseFunction("""
        function %f(i32) -> i32 {
        block0(v0: i32):
            v1 = iadd.i32 v0,
            return v1
        }
        """));
    assertEquals(4, e.line());
    assertEquals(5, e.column());
    assertEquals("4:5: expected a value like v0, found 'return'", e.getMessage());
  }

  @Test
  void numbersAreKeptIncludingGapsAndForwardReferences() {
    String text = """
        function %f(i32) -> i32 {
        block7(v3: i32):
            jump block2(v3)

        block2(v10: i32):
            v12 = iadd.i32 v10, v11
            return v12
        }
        """;
    ParseException e = assertThrows(ParseException.class, () -> Parser.parseFunction(text));
    assertEquals("6:25: use of undefined value v11", e.getMessage());
    String fixed = text.replace("v11", "v3");
    Function f = Parser.parseFunction(fixed);
    assertEquals(fixed, Printer.print(f));
    assertEquals(7, f.layout().entryBlock());
  }

  @Test
  void commentsAndSeveralFunctions() {
    List<Function> fs = Parser.parse("""
        ; leading comment
        function %a() { ; trailing comment
        block0:
            return ; another
        }
        function u4294967295:0() {
        block0:
            trap unreachable
        }
        """);
    assertEquals(2, fs.size());
    assertEquals("u4294967295:0", fs.get(1).name().text());
  }

  @Test
  void builderOutputRoundTrips() {
    for (Function f : FunctionBuilderTestAccess.samples()) {
      String printed = Printer.print(f);
      assertEquals(printed, Printer.print(Parser.parseFunction(printed)));
    }
  }

  @Test
  void floatConstantsRoundTripEveryBit() {
    SplittableRandom random = new SplittableRandom(0x5EED);
    int[] f32Specials = {0, 0x8000_0000, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0xFFC0_0001,
        0x7F80_0001, 0x0000_0001, 0x007F_FFFF, 0x7F7F_FFFF};
    for (int bits : f32Specials) {
      assertEquals(bits, FloatText.parseF32(FloatText.f32(bits)), FloatText.f32(bits));
    }
    long[] f64Specials = {0, Long.MIN_VALUE, 0x7FF0_0000_0000_0000L, 0x7FF8_0000_0000_0000L,
        0xFFF0_0000_0000_0001L, 1, 0x000F_FFFF_FFFF_FFFFL, 0x7FEF_FFFF_FFFF_FFFFL};
    for (long bits : f64Specials) {
      assertEquals(bits, FloatText.parseF64(FloatText.f64(bits)), FloatText.f64(bits));
    }
    for (int i = 0; i < 20_000; i++) {
      int b32 = random.nextInt();
      assertEquals(b32, FloatText.parseF32(FloatText.f32(b32)), FloatText.f32(b32));
      long b64 = random.nextLong();
      assertEquals(b64, FloatText.parseF64(FloatText.f64(b64)), FloatText.f64(b64));
    }
  }
}
