package dev.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link CompiledFunction} keeps its relocations, trap sites and address map packed ({@link
 * PackedSites}, {@link PackedSourceMap}): each must give back exactly the entries it was given,
 * whatever their values (the linker rejects a map out of code offset order or a negative offset,
 * so those must survive packing to be rejected there), in order and by index.
 */
class CompiledFunctionPackingTest {
  @Test
  void anAddressMapOfAnyValuesReadsBackEntryForEntryInOrderAndByIndex() {
    Random random = new Random(40);
    List<SourceMapping> map = new ArrayList<>();
    int[] extremes = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7F, 0x80, 0x3FFF, 0x4000};
    for (int a : extremes) {
      for (int b : extremes) {
        map.add(new SourceMapping(a, b, random.nextInt(3) - 1));
      }
    }
    int code = 0;
    for (int i = 0; i < 1000; i++) {
      code += random.nextInt(40);
      map.add(new SourceMapping(code, random.nextInt(1 << 25), random.nextInt(5) - 1));
    }
    CompiledFunction f = new CompiledFunction(new byte[1], List.of(), List.of(), map);
    assertEquals(map, new ArrayList<>(f.sourceMap()), "in order");
    for (int i = 0; i < map.size(); i++) {
      assertEquals(map.get(i), f.sourceMap().get(i), "entry " + i);
    }
    assertThrows(IndexOutOfBoundsException.class, () -> f.sourceMap().get(map.size()));
  }

  /**
   * A finished buffer whose code branch shortening moved: 40 branches, each to the label after it,
   * shortened from 6 bytes to 2.
   */
  private static CodeBuffer shortenedBuffer() {
    CodeBuffer buf = CodeBuffer.shorteningBranches();
    for (int j = 0; j < 40; j++) {
      Label next = buf.createLabel();
      int start = buf.offset();
      buf.put8(0x0F);
      buf.put8(0x84);
      buf.put32(0);
      buf.useLabel(start + 2, next, BranchShorteningTest.Rel32.INSTANCE);
      buf.allowShortForm(start, new byte[] {0x74}, CodeBufferTest.Rel8.INSTANCE);
      buf.bind(next);
    }
    buf.finish();
    return buf;
  }

  /**
   * The builder's code offsets, recorded ascending as code is emitted, move to their final places in
   * one walk beside the shortened branches, with no search per entry, to where {@link
   * CodeBuffer#finalOffset}'s search puts each.
   */
  @Test
  void aMapBuiltAsIntsPacksItsEntriesWithTheirFinalCodeOffsetsAndACursorReadsThemInOrder() {
    Random random = new Random(41);
    CodeBuffer buf = shortenedBuffer();
    PackedSourceMap.Builder builder = new PackedSourceMap.Builder();
    List<SourceMapping> expected = new ArrayList<>();
    int code = 0;
    for (int i = 0; i < 100; i++) { // past the builder's first room and several checkpoints
      code += random.nextInt(3);
      int wasm = random.nextInt(1 << 25);
      int site = random.nextInt(5) - 1;
      builder.add(code, wasm, site);
      assertEquals(wasm, builder.wasmOffset(i));
      assertEquals(site, builder.inlineSite(i));
      expected.add(new SourceMapping(buf.finalOffset(code), wasm, site));
    }
    assertEquals(100, builder.size());
    assertTrue(expected.getLast().codeOffset() < code, "the entries moved");
    int searchesBefore = buf.shorteningSearches();
    PackedSourceMap packed = builder.pack(buf);
    assertEquals(searchesBefore, buf.shorteningSearches(), "searches while packing");
    assertEquals(expected, new ArrayList<>(packed));
    CompiledFunction f = new CompiledFunction(new byte[1], List.of(), List.of(), packed);
    assertSame(packed, f.sourceMap(), "a packed map is kept as it is");
    PackedSourceMap.Cursor cursor = f.sourceMapCursor();
    for (SourceMapping m : expected) {
      assertTrue(cursor.hasNext());
      cursor.advance();
      assertEquals(m, new SourceMapping(cursor.codeOffset(), cursor.wasmOffset(), cursor.inlineSite()));
    }
    assertFalse(cursor.hasNext());
    assertThrows(IndexOutOfBoundsException.class, cursor::advance);
    assertTrue(new PackedSourceMap.Builder().pack(buf).isEmpty());
  }

  /** Offsets asked out of order still move where a search for each puts them. */
  @Test
  void offsetsOutOfOrderMoveToTheirFinalPlacesToo() {
    CodeBuffer buf = shortenedBuffer();
    int[] offsets = {200, 13, 0, 240, 6, 6, 239, 100};
    int[] expected = new int[offsets.length];
    for (int i = 0; i < offsets.length; i++) {
      expected[i] = buf.finalOffset(offsets[i]);
    }
    buf.toFinalOffsets(offsets, offsets.length);
    assertArrayEquals(expected, offsets);
  }

  @Test
  void calleeKeysAreTheRelocationTargetsEachOnceInOrder() {
    byte[] code = new byte[40];
    List<Reloc> relocs = new ArrayList<>();
    long[] targets = {5, 3, 5, 9, 3, -1, 9};
    for (int i = 0; i < targets.length; i++) {
      relocs.add(new Reloc(5 * i, RelocKind.X86_CALL_PC_REL4, targets[i], -4));
    }
    CompiledFunction f = new CompiledFunction(code, relocs, List.of(), List.of());
    assertArrayEquals(new long[] {-1, 3, 5, 9}, f.calleeKeys());
    assertArrayEquals(new long[0], new CompiledFunction(code, List.of(), List.of(), List.of()).calleeKeys());
  }

  @Test
  void relocationsAndTrapSitesReadBackAsGiven() {
    List<Reloc> relocs = List.of(new Reloc(0, RelocKind.X86_CALL_PC_REL4, -1L, Long.MIN_VALUE),
        new Reloc(Integer.MAX_VALUE, RelocKind.AARCH64_CALL26, 0x1_0000_0002L, -4),
        new Reloc(7, RelocKind.ABS8, 0, Long.MAX_VALUE));
    List<TrapSite> traps = List.of(new TrapSite(9, 3), new TrapSite(2, -1), new TrapSite(Integer.MAX_VALUE, 255));
    CompiledFunction f = new CompiledFunction(new byte[1], relocs, traps, List.of());
    assertEquals(relocs, f.relocs());
    for (int i = 0; i < relocs.size(); i++) {
      assertEquals(relocs.get(i).targetKey(), f.relocTargetKey(i), "read without building the record");
    }
    assertThrows(IndexOutOfBoundsException.class, () -> f.relocTargetKey(relocs.size()));
    assertEquals(traps, f.trapSites());
    assertEquals(List.of(), f.sourceMap());
  }
}
