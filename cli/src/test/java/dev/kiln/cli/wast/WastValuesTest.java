package dev.kiln.cli.wast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.wast.ScriptCommand.WastValue;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WastValuesTest {
  private static WastValue value(String type, String text) {
    return new WastValue(type, Optional.empty(), List.of(text));
  }

  private static boolean matches(String type, String text, long bits) {
    return WastValues.mismatch(value(type, text), bits).isEmpty();
  }

  @Test
  void argumentsAreTheUnsignedDecimalOfTheirBits() {
    assertEquals(0xFFFF_FFFFL, WastValues.argumentBits(value("i32", "4294967295")));
    assertEquals(-1L, WastValues.argumentBits(value("i64", "18446744073709551615")));
    assertEquals(0x8000_0000L, WastValues.argumentBits(value("f32", "2147483648")));
  }

  @Test
  void canonicalNanIsOnlyTheQuietBitWithEitherSign() {
    assertTrue(matches("f32", "nan:canonical", 0x7FC0_0000L));
    assertTrue(matches("f32", "nan:canonical", 0xFFC0_0000L));
    assertFalse(matches("f32", "nan:canonical", 0x7FC0_0001L));
    assertTrue(matches("f64", "nan:canonical", 0xFFF8_0000_0000_0000L));
    assertFalse(matches("f64", "nan:canonical", 0x7FF8_0000_0000_0001L));
  }

  @Test
  void arithmeticNanIsAnyQuietNan() {
    assertTrue(matches("f32", "nan:arithmetic", 0x7FC0_0001L));
    assertFalse(matches("f32", "nan:arithmetic", 0x7FA0_0000L), "signalling");
    assertFalse(matches("f32", "nan:arithmetic", 0x7F80_0000L), "infinity");
    assertTrue(matches("f64", "nan:arithmetic", 0xFFF8_0000_0000_0123L));
    assertFalse(matches("f64", "nan:arithmetic", 0x7FF4_0000_0000_0000L));
  }

  @Test
  void numbersCompareBitForBitAtTheirWidth() {
    assertTrue(matches("i32", "4294967295", 0xFFFF_FFFFL));
    assertFalse(matches("i32", "4294967294", 0xFFFF_FFFFL));
    assertTrue(matches("f64", "9223372036854775808", 0x8000_0000_0000_0000L), "-0.0");
    assertFalse(matches("f64", "0", 0x8000_0000_0000_0000L), "+0.0 is not -0.0");
  }
}
