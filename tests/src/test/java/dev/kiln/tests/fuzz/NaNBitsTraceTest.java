package dev.kiln.tests.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fuzzer's allowances between traces: NaN bits of v128 float lanes. Seed 300028906 gave
 * {@code f32x4.max} a NaN lane that V8 returns as 0x7fc00000 and Kiln's x86-64 code as 0xffc00000,
 * both canonical NaNs (spec 4.3.3); seed 7739836655999759830 the same in a value it logged. In a
 * module with a v128 float operation that can make a NaN, also an integer whose bits are a NaN on
 * both sides (seed 4602828: an {@code f64x2.max} lane read by {@code i64x2.extract_lane}). Any
 * other difference still counts.
 */
class NaNBitsTraceTest {
  @Test
  void canonicalNaNsOfEitherSignInALaneAreAlike() {
    assertTrue(DifferentialFuzzTest.sameButNaNBits(
        List.of("call func_0", "result v128 7fc000000000c422 11e666074"),
        List.of("call func_0", "result v128 ffc000000000c422 11e666074")));
    assertTrue(DifferentialFuzzTest.sameButNaNBits(
        List.of("result v128 7ff8000000000000 0"), List.of("result v128 fff8000000000001 0")), "f64 NaNs");
    assertTrue(DifferentialFuzzTest.sameButNaNBits(
        List.of("log v128 ffc000007fc00000 21007f8d8f0107ff"), List.of("log v128 ffc00000ffc00000 21007f8d8f0107ff")),
        "a logged value");
  }

  @Test
  void aLaneNaNMovedIntoAnIntegerIsAlikeOnlyUnderTheWiderRule() {
    List<String> v8 = List.of("call func", "result i64 9221120237041090560");       // 0x7ff8000000000000
    List<String> kiln = List.of("call func", "result i64 -2251799813685248");       // 0xfff8000000000000
    assertFalse(DifferentialFuzzTest.sameButNaNBits(v8, kiln), "integers are compared exactly by default");
    assertTrue(DifferentialFuzzTest.sameButNaNBitsInIntegers(v8, kiln));
    assertTrue(DifferentialFuzzTest.sameButNaNBitsInIntegers(
        List.of("log i32 2143289344"), List.of("log i32 -4194304")), "f32 NaNs in an i32");  // 0x7fc00000, 0xffc00000
    assertFalse(DifferentialFuzzTest.sameButNaNBitsInIntegers(
        List.of("result i64 9218868437227405312"), List.of("result i64 9221120237041090560")),
        "infinity against a NaN");
    assertFalse(DifferentialFuzzTest.sameButNaNBitsInIntegers(List.of("result i64 1"), List.of("result i64 2")));
    assertFalse(DifferentialFuzzTest.sameButNaNBitsInIntegers(
        List.of("result i32 2143289344"), List.of("result i64 2143289344")), "another type");
  }

  @Test
  void everythingElseDiffers() {
    assertFalse(DifferentialFuzzTest.sameButNaNBits(
        List.of("result v128 7fc000000000c422 11e666074"), List.of("result v128 7fc000000000c423 11e666074")),
        "a non-NaN lane");
    assertFalse(DifferentialFuzzTest.sameButNaNBits(
        List.of("result v128 7fc000000000c422 0"), List.of("result v128 7f8000000000c422 0")),
        "a NaN against infinity");
    assertFalse(DifferentialFuzzTest.sameButNaNBits(List.of("result i32 1"), List.of("result i32 2")));
    assertFalse(DifferentialFuzzTest.sameButNaNBits(List.of("log i32 1"), List.of("log i32 1", "result")));
    assertFalse(DifferentialFuzzTest.sameButNaNBits(
        List.of("log v128 7fc00000 0"), List.of("result v128 7fc00000 0")), "a log against a result");
    assertFalse(DifferentialFuzzTest.sameButNaNBits(
        List.of("log v128 7fc000000000c422 0"), List.of("log v128 7fc000000000c423 0")), "a logged non-NaN lane");
  }
}
