package dev.kiln.wast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.info.ValType;
import dev.kiln.wast.ScriptCommand.WastValue;
import dev.kiln.loader.runtime.WasmValue;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WastValuesTest {
  private static WastValue value(String type, String text) {
    return new WastValue(type, Optional.empty(), List.of(text));
  }

  private static WastValue vector(String laneType, String... lanes) {
    return new WastValue("v128", Optional.of(laneType), List.of(lanes));
  }

  private static boolean matches(String type, String text, long bits) {
    ValType t = ValType.valueOf(type.toUpperCase(java.util.Locale.ROOT));
    return WastValues.mismatch(value(type, text), WasmValue.ofBits(t, bits, 0)).isEmpty();
  }

  @Test
  void argumentsAreTheUnsignedDecimalOfTheirBits() {
    assertEquals(new WasmValue.I32(-1), WastValues.argument(value("i32", "4294967295"), ValType.I32));
    assertEquals(new WasmValue.I64(-1), WastValues.argument(value("i64", "18446744073709551615"), ValType.I64));
    assertEquals(0x8000_0000L, WastValues.argument(value("f32", "2147483648"), ValType.F32).bits());
  }

  @Test
  void vectorArgumentsPackTheirLanesLowLaneFirst() {
    assertEquals(new WasmValue.V128(0x0000_0002_0000_0001L, 0xFFFF_FFFF_0000_0003L),
        WastValues.argument(vector("i32", "1", "2", "3", "4294967295"), ValType.V128));
    assertEquals(new WasmValue.V128(0x0706_0504_0302_0100L, 0x0F0E_0D0C_0B0A_0908L),
        WastValues.argument(vector("i8", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10",
            "11", "12", "13", "14", "15"), ValType.V128));
  }

  @Test
  void vectorResultsCompareLaneByLaneWithNanPatternsPerLane() {
    WasmValue result = new WasmValue.V128(0x7FC0_0000_3F80_0000L, 0xFFC0_0001_7F80_0000L);
    WastValue expected = vector("f32", "1065353216", "nan:canonical", "2139095040", "nan:arithmetic");
    assertTrue(WastValues.mismatch(expected, result).isEmpty());
    WastValue canonicalInLane3 = vector("f32", "1065353216", "nan:canonical", "2139095040", "nan:canonical");
    assertFalse(WastValues.mismatch(canonicalInLane3, result).isEmpty(), "lane 3 has a payload");
    assertFalse(WastValues.mismatch(vector("i64", "0", "0"), result).isEmpty());
    assertFalse(WastValues.mismatch(vector("i32", "0", "0", "0", "0"), new WasmValue.I32(0)).isEmpty());
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
