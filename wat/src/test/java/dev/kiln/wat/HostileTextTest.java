package dev.kiln.wat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Texts written to break the reader: whatever they hold, the answer is bytes or one {@link
 * WatSyntaxException}, never another exception or a stack overflow.
 */
class HostileTextTest {
  /** The stack of a thread the reader might run on: small, as a server's worker threads may be. */
  private static final long SMALL_STACK = 256 * 1024;

  private static Throwable readOnSmallStack(String text) throws InterruptedException {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        Wat.toBinary(text, "deep.wat");
      } catch (Throwable e) {
        thrown.set(e);
      }
    }, "reader", SMALL_STACK);
    t.start();
    t.join();
    return thrown.get();
  }

  @Test
  void foldedInstructionsNestAsDeeplyAsTheTextGoesWithoutDeepRecursion() throws Exception {
    int depth = 100_000;
    String text = "(module (func " + "(block ".repeat(depth) + ")".repeat(depth) + "))";
    assertEquals(null, readOnSmallStack(text));
    String operands = "(module (func (result i32) " + "(i32.add (i32.const 1) ".repeat(depth) + "(i32.const 0)"
        + ")".repeat(depth) + "))";
    assertEquals(null, readOnSmallStack(operands));
    String unclosed = "(module (func " + "(block ".repeat(depth) + "))";
    Throwable e = readOnSmallStack(unclosed);
    assertEquals(WatSyntaxException.class, e == null ? null : e.getClass(), String.valueOf(e));
    assertEquals("deep.wat:1:" + (17 + 7 * depth) + ": expected an instruction or ')', found end of input",
        e.getMessage());
  }

  @Test
  void flatBlocksNestAsDeeplyAsTheTextGoesWithoutDeepRecursion() throws Exception {
    // wasm2wat prints a compiler's br_table switch as thousands of nested flat blocks.
    int depth = 100_000;
    String text = "(module (func " + "block ".repeat(depth) + "end ".repeat(depth) + "))";
    assertEquals(null, readOnSmallStack(text));
    String unclosed = "(module (func " + "block ".repeat(depth) + "))";
    Throwable e = readOnSmallStack(unclosed);
    assertEquals("deep.wat:1:" + (15 + 6 * depth) + ": expected an instruction or 'end', found ')'", e.getMessage());
  }

  @Test
  void labelsResolveToTheInnermostBindingAtAnyDepth() {
    int depth = 50_000;
    StringBuilder text = new StringBuilder("(module (func block $out ");
    for (int i = 0; i < depth; i++) {
      text.append(i % 2 == 0 ? "block $a " : "block $b ");
    }
    text.append("br $out br $a br $b ");
    text.append("end ".repeat(depth)).append("end))");
    byte[] module = Wat.toBinary(text.toString(), "labels.wat");
    // The three branches come before the inner ends, the end of $out and the function's end: depth
    // 50,000 to $out, 1 to the innermost $a, 0 to the innermost $b (the last of an even count).
    int at = module.length - (depth + 2) - 8;
    assertEquals("0c d0 86 03 0c 01 0c 00", java.util.HexFormat.ofDelimiter(" ").formatHex(module, at, at + 8));
  }

  @Test
  void literalsOfAMillionDigitsAreReadInLinearTimeWithoutDeepRecursion() throws Exception {
    String ones = "1".repeat(1_000_000);
    String zeros = "0".repeat(1_000_000);
    assertEquals(WatSyntaxException.class, readOnSmallStack("(module (func i64.const " + ones + " drop))").getClass());
    assertEquals(WatSyntaxException.class, readOnSmallStack("(module (func i32.const 0x" + ones + " drop))").getClass());
    assertEquals(WatSyntaxException.class, readOnSmallStack("(module (func f64.const nan:0x" + ones + " drop))").getClass());
    assertEquals(WatSyntaxException.class, readOnSmallStack("(module (func f32.const 0x" + ones + "p0 drop))").getClass(),
        "rounds to infinity: out of range");
    assertEquals(null, readOnSmallStack("(module (func i32.const " + zeros + "7 drop))"), "leading zeros are allowed");
    assertEquals(null, readOnSmallStack("(module (func f64.const 0." + ones + " drop))"));
    assertEquals(null, readOnSmallStack("(module (func f64.const 0x" + zeros + "1.8p" + zeros + "3 drop))"));
    assertEquals(null, readOnSmallStack("(module (func f32.const 1e-" + ones + " drop))"), "underflows to zero");
    assertEquals(null, readOnSmallStack("(module (func i64.const " + "1_".repeat(9) + "1 drop))"));
  }

  @Test
  void truncatedAndGarbledTextsAreSyntaxErrors() {
    String module = "(module (type $t (func (param i32) (result i32))) (func $f (type $t) (local.get 0)"
        + " (block (result i32) (i32.const 1)) i32.add) (memory 1) (data (i32.const 0) \"ab\")"
        + " (table 1 funcref) (elem (i32.const 0) $f) (export \"f\" (func $f)))";
    Wat.toBinary(module, "ok.wat");
    for (int cut = 1; cut < module.length(); cut++) {
      String truncated = module.substring(0, cut);
      assertThrows(WatSyntaxException.class, () -> Wat.toBinary(truncated, "cut.wat"), truncated);
    }
    for (int i = 0; i < module.length(); i++) {
      String garbled = module.substring(0, i) + "\u0001" + module.substring(i + 1);
      assertThrows(WatSyntaxException.class, () -> Wat.toBinary(garbled, "bad.wat"), garbled);
    }
  }
}
