package dev.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodeBufferTest {

  /** A 1-byte field holding {@code label - (use + 1)}, like x86's rel8; reach [-127, 128]. */
  enum Rel8 implements LabelUse {
    INSTANCE;

    @Override public long maxPositiveRange() { return 128; }
    @Override public long maxNegativeRange() { return 127; }
    @Override public int patchSize() { return 1; }

    @Override
    public void patch(byte[] code, int useOffset, int labelOffset) {
      int value = labelOffset - (useOffset + 1);
      if (value < -128 || value > 127) {
        throw new IllegalArgumentException("rel8 out of range: " + value);
      }
      code[useOffset] = (byte) value;
    }
  }

  /**
   * A short field (1 byte, signed, counted in bytes from the use, reach +-100) with a veneer: the byte
   * 0xEE followed by a 4-byte little-endian absolute offset. Mimics an AArch64 b.cond bridged by a b.
   */
  enum ShortWithVeneer implements LabelUse {
    SHORT, LONG;

    @Override public long maxPositiveRange() { return this == SHORT ? 100 : Integer.MAX_VALUE; }
    @Override public long maxNegativeRange() { return this == SHORT ? 100 : Integer.MAX_VALUE; }
    @Override public int patchSize() { return this == SHORT ? 1 : 4; }

    @Override
    public void patch(byte[] code, int useOffset, int labelOffset) {
      if (this == SHORT) {
        code[useOffset] = (byte) (labelOffset - useOffset);
      } else {
        for (int i = 0; i < 4; i++) {
          code[useOffset + i] = (byte) (labelOffset >>> (8 * i));
        }
      }
    }

    @Override public boolean supportsVeneer() { return this == SHORT; }
    @Override public int veneerSize() { return this == SHORT ? 5 : 0; }
    @Override public int veneerAlignment() { return 4; }

    @Override
    public VeneerUse generateVeneer(byte[] code, int veneerOffset) {
      code[veneerOffset] = (byte) 0xEE;
      return new VeneerUse(veneerOffset + 1, LONG);
    }
  }

  private static String hex(FinishedCode code) {
    return HexFormat.of().formatHex(code.code());
  }

  @Test
  void putsLittleEndianValues() {
    CodeBuffer buf = new CodeBuffer(1);
    buf.put8(0x1ff);
    buf.put16(0x1234);
    buf.put32(0xdeadbeef);
    buf.put64(0x0102030405060708L);
    buf.putBytes(new byte[] {(byte) 0xaa, (byte) 0xbb});
    assertEquals(17, buf.offset());
    assertEquals("ff3412efbeadde0807060504030201aabb", hex(buf.finish()));
  }

  @Test
  void growsPastInitialCapacity() {
    CodeBuffer buf = new CodeBuffer(0);
    for (int i = 0; i < 10_000; i++) {
      buf.put8(i);
    }
    byte[] code = buf.finish().code();
    assertEquals(10_000, code.length);
    assertEquals((byte) 9_999, code[9_999]);
  }

  @Test
  void alignsWithFill() {
    CodeBuffer buf = new CodeBuffer();
    buf.put8(1);
    buf.alignTo(8, (byte) 0x90);
    assertEquals(8, buf.offset());
    buf.alignTo(8, (byte) 0x90);
    assertEquals(8, buf.offset());
    assertThrows(IllegalArgumentException.class, () -> buf.alignTo(6, (byte) 0));
    assertEquals("0190909090909090", hex(buf.finish()));
  }

  @Test
  void patchesForwardAndBackwardUses() {
    CodeBuffer buf = new CodeBuffer();
    Label top = buf.createLabel();
    Label end = buf.createLabel();
    buf.bind(top);
    buf.put8(0x90);
    buf.put8(0xEB);                // jmp end
    buf.put8(0);
    buf.useLabel(buf.offset() - 1, end, Rel8.INSTANCE);
    buf.put8(0xEB);                // jmp top
    buf.put8(0);
    buf.useLabel(buf.offset() - 1, top, Rel8.INSTANCE);
    buf.bind(end);
    assertEquals(0, buf.labelOffset(top));
    assertEquals(5, buf.labelOffset(end));
    // jmp end: 5 - (2 + 1) = 2; jmp top: 0 - (4 + 1) = -5 = 0xfb.
    assertEquals("90eb02ebfb", hex(buf.finish()));
  }

  @Test
  void reachesExactlyTheEdgesOfTheRange() {
    CodeBuffer buf = new CodeBuffer();
    Label back = buf.createLabel();
    buf.bind(back);
    for (int i = 0; i < 126; i++) {
      buf.put8(0x90);
    }
    buf.put8(0xEB);
    buf.put8(0);
    buf.useLabel(127, back, Rel8.INSTANCE); // distance -127: value -128
    byte[] code = buf.finish().code();
    assertEquals((byte) 0x80, code[127]);
  }

  @Test
  void outOfRangeWithoutVeneerNamesTheOffsets() {
    CodeBuffer buf = new CodeBuffer();
    Label far = buf.createLabel();
    buf.put8(0xEB);
    buf.put8(0);
    buf.useLabel(1, far, Rel8.INSTANCE);
    for (int i = 0; i < 200; i++) {
      buf.put8(0x90);
    }
    buf.bind(far);
    CodeBufferException e = assertThrows(CodeBufferException.class, buf::finish);
    assertTrue(e.getMessage().contains("offset 202"), e.getMessage());
    assertTrue(e.getMessage().contains("offset 1"), e.getMessage());
    assertTrue(e.getMessage().contains("distance 201"), e.getMessage());
  }

  @Test
  void unboundLabelIsReported() {
    CodeBuffer buf = new CodeBuffer();
    Label never = buf.createLabel();
    buf.put8(0);
    buf.useLabel(0, never, Rel8.INSTANCE);
    CodeBufferException e = assertThrows(CodeBufferException.class, buf::finish);
    assertTrue(e.getMessage().contains("never bound"), e.getMessage());
  }

  @Test
  void bindingTwiceFails() {
    CodeBuffer buf = new CodeBuffer();
    Label l = buf.createLabel();
    buf.bind(l);
    buf.put8(0);
    assertThrows(CodeBufferException.class, () -> buf.bind(l));
  }

  @Test
  void foreignLabelIsRejected() {
    CodeBuffer buf = new CodeBuffer();
    assertThrows(IllegalArgumentException.class, () -> buf.bind(new Label(3)));
  }

  @Test
  void useOutsideEmittedBytesIsReported() {
    CodeBuffer buf = new CodeBuffer();
    Label l = buf.createLabel();
    buf.bind(l);
    buf.useLabel(0, l, Rel8.INSTANCE);
    assertThrows(CodeBufferException.class, buf::finish);
  }

  @Test
  void finishedBufferRejectsWrites() {
    CodeBuffer buf = new CodeBuffer();
    buf.finish();
    assertThrows(IllegalStateException.class, () -> buf.put8(0));
    assertThrows(IllegalStateException.class, buf::finish);
  }

  @Test
  void outOfRangeUseGoesThroughOneSharedVeneer() {
    CodeBuffer buf = new CodeBuffer();
    Label target = buf.createLabel();
    buf.bind(target);                            // offset 0
    for (int i = 0; i < 150; i++) {
      buf.put8(0x90);
    }
    buf.put8(0);                                 // use 1 at 150: distance -150, too far
    buf.useLabel(150, target, ShortWithVeneer.SHORT);
    buf.put8(0);                                 // use 2 at 151: also too far
    buf.useLabel(151, target, ShortWithVeneer.SHORT);
    buf.put8(0);                                 // use 3 at 152 to a near label: direct
    Label near = buf.createLabel();
    buf.useLabel(152, near, ShortWithVeneer.SHORT);
    buf.bind(near);                              // offset 153
    byte[] code = buf.finish().code();
    // Veneer aligned to 4 after 153 bytes: at 156, 0xEE then the absolute offset 0.
    assertEquals(161, code.length);
    assertEquals(6, code[150]);                  // 156 - 150
    assertEquals(5, code[151]);                  // 156 - 151
    assertEquals(1, code[152]);                  // 153 - 152
    assertArrayEquals(new byte[] {(byte) 0xEE, 0, 0, 0, 0}, java.util.Arrays.copyOfRange(code, 156, 161));
    assertArrayEquals(new byte[] {0, 0, 0}, java.util.Arrays.copyOfRange(code, 153, 156));
  }

  /**
   * islandNeeded answers most asks from a bound it keeps until the pending uses change (the earliest
   * deadline and every veneer's bytes): a use added after an ask must count at the next one, as must
   * the emitter's pending data for a use without a veneer.
   */
  @Test
  void islandNeededCountsUsesAddedSinceTheLastAsk() {
    CodeBuffer buf = new CodeBuffer();
    assertFalse(buf.islandNeeded(1_000_000, 0)); // nothing pending
    buf.put8(0);
    Label first = buf.createLabel();
    buf.useLabel(0, first, ShortWithVeneer.SHORT); // deadline 100, a veneer of 5 bytes aligned to 4: 8
    assertFalse(buf.islandNeeded(91, 0));         // 1 + 91 + 8 = 100: the deadline itself is reached
    assertTrue(buf.islandNeeded(92, 0));
    buf.bind(first);
    assertFalse(buf.islandNeeded(92, 0));
    buf.put8(0);
    Label second = buf.createLabel();
    buf.useLabel(1, second, Rel8.INSTANCE);       // deadline 129, no veneer: waits for the data too
    assertFalse(buf.islandNeeded(127, 0));
    assertTrue(buf.islandNeeded(127, 1));
    assertTrue(buf.islandNeeded(128, 0));
    buf.bind(second);
    assertFalse(buf.islandNeeded(128, 1));
  }

  /**
   * A field that reaches every offset a buffer can have (x86-64's rel32, the veneer's own use here)
   * is never pending: a forward use of it is not queued, so its label's bind resolves nothing and
   * islandNeeded has no deadline to recompute; finish still patches it.
   */
  @Test
  void aUseThatReachesEveryOffsetIsNeverPending() {
    CodeBuffer buf = new CodeBuffer();
    Label forward = buf.createLabel();
    buf.put32(0);
    buf.useLabel(0, forward, ShortWithVeneer.LONG);
    assertEquals(0, buf.pending.version());
    assertTrue(buf.pending.kinds().isEmpty());
    assertFalse(buf.islandNeeded(Integer.MAX_VALUE, 0));
    buf.put8(0);
    buf.bind(forward);
    assertEquals(0, buf.pending.version());
    assertArrayEquals(new byte[] {5, 0, 0, 0, 0}, buf.finish().code());
  }

  @Test
  void veneerThatCannotBeReachedIsReported() {
    CodeBuffer buf = new CodeBuffer();
    Label target = buf.createLabel();
    buf.bind(target);
    buf.put8(0);
    buf.useLabel(0, target, ShortWithVeneer.SHORT); // fine, distance 0
    buf.put8(0);
    Label far = buf.createLabel();
    buf.useLabel(1, far, ShortWithVeneer.SHORT);
    for (int i = 0; i < 300; i++) {
      buf.put8(0x90);
    }
    buf.bind(far);                               // 302: the veneer at >= 304 is out of reach too
    CodeBufferException e = assertThrows(CodeBufferException.class, buf::finish);
    assertTrue(e.getMessage().contains("cannot reach a veneer"), e.getMessage());
  }

  @Test
  void recordsSortedTrapSitesAndRelocations() {
    CodeBuffer buf = new CodeBuffer();
    buf.put8(0x90);
    buf.addTrap(7);
    buf.put8(0x0F);
    buf.put8(0x0B);
    buf.put8(0xE8);
    buf.addReloc(buf.offset(), RelocKind.X86_CALL_PC_REL4, 0x1_0000_0002L, -4);
    buf.put32(0);
    buf.addTrap(0, 3);
    FinishedCode code = buf.finish();
    assertEquals(List.of(new TrapSite(0, 3), new TrapSite(1, 7)), code.trapSites());
    assertEquals(List.of(new Reloc(4, RelocKind.X86_CALL_PC_REL4, 0x1_0000_0002L, -4)), code.relocs());
    assertEquals(8, code.size());
    assertEquals(4, RelocKind.X86_CALL_PC_REL4.patchSize());
    assertEquals(1, buf.sorts, "the trap sites, recorded out of order");
  }

  /** Sites recorded in order of offset, as the emitter records them, are not sorted again. */
  @Test
  void sitesRecordedInOrderAreNotSorted() {
    CodeBuffer buf = new CodeBuffer();
    for (int i = 0; i < 10; i++) {
      buf.addTrap(7);
      buf.put8(0xE8);
      buf.addReloc(buf.offset(), RelocKind.X86_CALL_PC_REL4, i, -4);
      buf.put32(0);
    }
    FinishedCode code = buf.finish();
    assertEquals(0, buf.sorts);
    assertEquals(10, code.trapSites().size());
    for (int i = 0; i < 10; i++) {
      assertEquals(new TrapSite(5 * i, 7), code.trapSites().get(i));
      assertEquals(new Reloc(5 * i + 1, RelocKind.X86_CALL_PC_REL4, i, -4), code.relocs().get(i));
    }
  }

  @Test
  void patchesAlreadyEmittedBytes() {
    CodeBuffer buf = new CodeBuffer();
    buf.put32(0);
    buf.put8(0);
    buf.patch32(0, 0x11223344);
    buf.patch8(4, 0x55);
    assertEquals(0x44, buf.byteAt(0));
    assertThrows(IndexOutOfBoundsException.class, () -> buf.patch32(2, 0));
    assertEquals("4433221155", hex(buf.finish()));
  }

  /**
   * The finished code keeps the one trimmed array finish made, with no second copy of its own, and
   * {@link CompiledFunction} copies from that array; readers of either still get copies, and the
   * site lists handed over from the buffer are read-only.
   */
  @Test
  void finishedCodeOwnsTheOneCopyOfTheBytes() {
    CodeBuffer buf = new CodeBuffer();
    buf.put8(0x90);
    buf.addTrap(7);
    buf.put8(0xCC);
    FinishedCode done = buf.finish();
    assertSame(done.bytes(), done.bytes());
    byte[] read = done.code();
    assertNotSame(done.bytes(), read);
    read[0] = 0;
    assertEquals("90cc", hex(done));
    assertThrows(UnsupportedOperationException.class, () -> done.trapSites().add(new TrapSite(0, 1)));
    assertThrows(UnsupportedOperationException.class, () -> done.relocs().clear());

    CompiledFunction function = new CompiledFunction(done, List.of(),
        dev.kiln.codegen.regalloc.MoveCounts.NONE, List.of(), List.of(), List.of(), new int[0]);
    assertArrayEquals(new byte[] {(byte) 0x90, (byte) 0xCC}, function.code());
    assertEquals(done.trapSites(), function.trapSites());
    function.copyCodeInto(read, 0);
    assertEquals((byte) 0x90, read[0]);
  }
}
