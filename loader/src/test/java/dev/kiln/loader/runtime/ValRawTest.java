package dev.kiln.loader.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class ValRawTest {
  @Test
  void slotsAreSixteenBytesLittleEndianAndAligned() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment values = ValRaw.allocate(arena, 3);
      assertEquals(48, values.byteSize());
      assertEquals(0, values.address() % 16);
      ValRaw.setI32(values, 1, 0x11223344);
      assertEquals(0x44, values.get(ValueLayout.JAVA_BYTE, 16));
      assertEquals(0x11, values.get(ValueLayout.JAVA_BYTE, 19));
      ValRaw.setI64(values, 2, -2L);
      assertEquals(-2L, ValRaw.getI64(values, 2));
      assertEquals(0xFE, values.get(ValueLayout.JAVA_BYTE, 32) & 0xFF);
      ValRaw.setF32(values, 0, 1.5f);
      assertEquals(Float.floatToRawIntBits(1.5f), ValRaw.getI32(values, 0));
      ValRaw.setF64(values, 0, -0.25);
      assertEquals(Double.doubleToRawLongBits(-0.25), ValRaw.getI64(values, 0));
      assertEquals(-0.25, ValRaw.getF64(values, 0));
      assertThrows(IndexOutOfBoundsException.class, () -> ValRaw.getI32(values, 3));
      assertThrows(IndexOutOfBoundsException.class, () -> ValRaw.getI32(values, -1));
    }
  }
}
