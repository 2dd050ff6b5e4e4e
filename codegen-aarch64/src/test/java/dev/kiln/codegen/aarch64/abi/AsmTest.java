package dev.kiln.codegen.aarch64.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.aarch64.asm.A64Printer;
import dev.kiln.codegen.aarch64.asm.Form;
import dev.kiln.codegen.aarch64.asm.Gpr;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The helper sequences: constants are checked by evaluating the emitted move-wide words field by
 * field (Arm ARM C6.2 "MOVZ", "MOVN", "MOVK": opc in bits 30:29, hw in 22:21, imm16 in 20:5), so
 * the test does not trust the encoder it exercises; large offsets and adjustments take the longer
 * forms.
 */
class AsmTest {
  private static int[] words(CodeBuffer buf) {
    byte[] code = buf.finish().code();
    int[] out = new int[code.length / 4];
    for (int i = 0; i < out.length; i++) {
      out[i] = (code[4 * i] & 0xFF) | (code[4 * i + 1] & 0xFF) << 8 | (code[4 * i + 2] & 0xFF) << 16
          | (code[4 * i + 3] & 0xFF) << 24;
    }
    return out;
  }

  /** Runs a sequence of move-wide words on one register, as the architecture defines them. */
  private static long evaluate(int[] words) {
    long x = 0xDEAD_BEEF_DEAD_BEEFL;
    for (int w : words) {
      boolean wide = w < 0;
      int opc = (w >>> 29) & 3;
      int shift = 16 * ((w >>> 21) & 3);
      long imm = (long) ((w >>> 5) & 0xFFFF) << shift;
      assertEquals(0b100101, (w >>> 23) & 0x3F, "a move-wide word: " + Integer.toHexString(w));
      x = switch (opc) {
        case 0b00 -> ~imm; // MOVN
        case 0b10 -> imm; // MOVZ
        case 0b11 -> (x & ~(0xFFFFL << shift)) | imm; // MOVK
        default -> throw new AssertionError("opc 01 is unallocated");
      };
      if (!wide) {
        x &= 0xFFFF_FFFFL;
      }
    }
    return x;
  }

  @Test
  void constantsComeOutRightInAtMostFourWords() {
    SplittableRandom random = new SplittableRandom(0xA64);
    List<Long> values = new ArrayList<>(List.of(0L, -1L, 1L, 0xFFFFL, 0x10000L, 0xFFFF_0000L,
        Long.MIN_VALUE, Long.MAX_VALUE, 0x0101_0101_0101_0101L, 0xFFFF_FFFF_0000_FFFFL,
        0x1234_0000_0000_5678L, -4096L));
    for (int i = 0; i < 2000; i++) {
      long v = random.nextLong();
      // Mask random chunks to 0 or 0xffff so the MOVN/MOVZ choice and skipping are exercised.
      for (int c = 0; c < 4; c++) {
        int pick = random.nextInt(3);
        long mask = 0xFFFFL << (16 * c);
        v = pick == 0 ? v & ~mask : pick == 1 ? v | mask : v;
      }
      values.add(v);
    }
    for (long v : values) {
      for (boolean wide : new boolean[] {true, false}) {
        CodeBuffer buf = new CodeBuffer();
        Asm.movConst(buf, Gpr.X9, wide, v);
        int[] words = words(buf);
        long expected = wide ? v : v & 0xFFFF_FFFFL;
        assertEquals(expected, evaluate(words), Long.toHexString(v) + (wide ? " (x)" : " (w)"));
        assertTrue(words.length <= (wide ? 4 : 2), Long.toHexString(v) + ": " + words.length);
      }
    }
  }

  private static String text(CodeBuffer buf) {
    StringBuilder sb = new StringBuilder();
    for (int w : words(buf)) {
      sb.append(Integer.toHexString(w)).append(' ');
    }
    return sb.toString().strip();
  }

  @Test
  void largeOffsetsGoThroughARegister() {
    CodeBuffer small = new CodeBuffer();
    Asm.access(small, Form.LDR_X_IMM, Gpr.X0, Gpr.SP, 32760, Gpr.X17);
    assertEquals(1, text(small).split(" ").length);
    CodeBuffer large = new CodeBuffer();
    Asm.access(large, Form.LDR_X_IMM, Gpr.X0, Gpr.SP, 32768, Gpr.X17);
    String[] words = text(large).split(" ");
    assertEquals(2, words.length, "movz x17, #0x8000 ; ldr x0, [sp, x17]");
    assertEquals(Integer.toHexString(0xF860_6800 | 17 << 16 | 31 << 5), words[1]);
    CodeBuffer negative = new CodeBuffer();
    Asm.access(negative, Form.LDR_W_IMM, Gpr.X0, Gpr.X1, -24, Gpr.X17);
    assertEquals(2, text(negative).split(" ").length, "movn x17, #23 ; ldr w0, [x1, x17]");
  }

  @Test
  void adjustmentsUseOneOrTwoImmediatesOrARegister() {
    CodeBuffer one = new CodeBuffer();
    Asm.addConst(one, Gpr.SP, Gpr.SP, -0x3000, Gpr.SP);
    assertEquals(1, text(one).split(" ").length);
    CodeBuffer two = new CodeBuffer();
    Asm.addConst(two, Gpr.SP, Gpr.SP, -0x12345, Gpr.SP);
    assertEquals(2, text(two).split(" ").length, "sub #0x12, lsl #12 ; sub #0x345");
    CodeBuffer none = new CodeBuffer();
    Asm.addConst(none, Gpr.X0, Gpr.X0, 0, Gpr.X16);
    assertEquals("", text(none));
    CodeBuffer far = new CodeBuffer();
    Asm.addConst(far, Gpr.X0, Gpr.X1, 1L << 40, Gpr.X16);
    assertTrue(text(far).split(" ").length >= 2);
    assertThrows(IllegalArgumentException.class,
        () -> Asm.addConst(new CodeBuffer(), Gpr.SP, Gpr.SP, 1L << 40, Gpr.X16));
    assertEquals("mov x0, x1", A64Printer.print(dev.kiln.codegen.aarch64.asm.Inst.of(Form.MOV_X,
        Gpr.X0, Gpr.X1), 0));
  }
}
