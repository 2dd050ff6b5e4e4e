package dev.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.regalloc.MoveCounts;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.InlineSite;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link CompiledFunctionBytes}: a compile's finished functions wait in a file as these bytes
 * ({@code FunctionSpill}), so a function read back must be the function written, field for field,
 * and a form that is not whole must be refused, never read past or half-built.
 */
class CompiledFunctionBytesTest {
  /** A function with something in every field: two address-map checkpoints, both callee forms, every site kind. */
  static CompiledFunction everyField() {
    byte[] code = new byte[300];
    new Random(7).nextBytes(code);
    List<SourceMapping> map = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      map.add(new SourceMapping(7 * i, 1000 + 3 * i - (i % 5 == 0 ? 200 : 0), i % 3 - 1));
    }
    return new CompiledFunction(code,
        List.of(new Reloc(10, RelocKind.X86_CALL_PC_REL4, 0x1_0000_0005L, -4),
            new Reloc(90, RelocKind.AARCH64_CALL26, 0xFFFF_FFFF_0000_0001L, 0)),
        List.of(new TrapSite(4, 1), new TrapSite(200, 9)), map, new MoveCounts(1, 2, 3, 4, 5, 6),
        List.of(new InlineSite(new ExternalName.User(1, 12), 55, InlineSite.NONE),
            new InlineSite(new ExternalName.Named("callee_2"), 60, 0)),
        List.of(new HandlerSite(20, 250, 48), new HandlerSite(120, 260, 48)),
        List.of(new StackMapSite(30, 64, new int[] {0, 16}), new StackMapSite(130, 64, new int[] {})),
        new int[] {8, 24});
  }

  @Test
  void aFunctionReadBackIsTheFunctionWrittenFieldForField() {
    for (CompiledFunction f : List.of(everyField(), new CompiledFunction(new byte[] {(byte) 0xC3}, List.of(),
        List.of(), List.of()))) {
      CompiledFunction back = CompiledFunctionBytes.decode(CompiledFunctionBytes.encode(f));
      assertArrayEquals(f.code(), back.code());
      assertEquals(f.relocs(), back.relocs());
      assertEquals(f.trapSites(), back.trapSites());
      assertEquals(f.sourceMap(), back.sourceMap());
      for (int i = 0; i < f.sourceMap().size(); i++) {
        assertEquals(f.sourceMap().get(i), back.sourceMap().get(i), "entry " + i + " by index, from its checkpoint");
      }
      assertEquals(f.moveCounts(), back.moveCounts());
      assertEquals(f.inlineSites(), back.inlineSites());
      assertEquals(f.handlerSites(), back.handlerSites());
      assertEquals(f.stackMapSites(), back.stackMapSites());
      assertArrayEquals(f.residentSlotOffsets(), back.residentSlotOffsets());
    }
  }

  @Test
  void everyShortenedOrLengthenedFormIsRefused() {
    byte[] form = CompiledFunctionBytes.encode(everyField());
    for (int length = 0; length < form.length; length++) {
      byte[] cut = Arrays.copyOf(form, length);
      assertThrows(IllegalArgumentException.class, () -> CompiledFunctionBytes.decode(cut), "cut to " + length);
    }
    byte[] longer = Arrays.copyOf(form, form.length + 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CompiledFunctionBytes.decode(longer));
    assertTrue(e.getMessage().contains("1 bytes after"), e.getMessage());
  }

  @Test
  void aCountLargerThanWhatFollowsIsRefusedBeforeAnArrayOfItsSizeIsMade() {
    byte[] form = CompiledFunctionBytes.encode(everyField());
    form[0] = 0x7F; // the code length, now about 2 GB
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CompiledFunctionBytes.decode(form));
    assertTrue(e.getMessage().contains("is more than the"), e.getMessage());
  }

  @Test
  void aRelocationOfNoKnownKindIsRefused() {
    CompiledFunction f = new CompiledFunction(new byte[16], List.of(new Reloc(4, RelocKind.X86_CALL_PC_REL4, 3, -4)),
        List.of(), List.of());
    byte[] form = CompiledFunctionBytes.encode(f);
    // code length and code (4 + 16), the word count (4), then the first word: offset << 32 | kind
    form[4 + 16 + 4 + 7] = (byte) RelocKind.values().length;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CompiledFunctionBytes.decode(form));
    assertTrue(e.getMessage().contains("kind " + RelocKind.values().length), e.getMessage());
  }

  /** Any byte of the form changed: read back as some function, or refused as damaged; nothing else escapes. */
  @Test
  void anAddressMapWhoseCheckpointsLieOutsideItsBytesOrOutOfOrderIsRefused() {
    PackedSourceMap map = PackedSourceMap.of(everyField().sourceMap());
    byte[] deltas = map.deltas();
    int[] checkpoints = map.checkpoints();
    assertEquals(3, checkpoints.length / 4, "40 entries: checkpoints at entries 0, 16 and 32");
    PackedSourceMap.ofPacked(deltas, checkpoints, map.size()); // as packed: accepted
    for (int[] damage : new int[][] {{0, 1}, {4, deltas.length}, {8, -1}, {8, checkpoints[4]}, {4, 47}}) {
      int[] damaged = checkpoints.clone();
      damaged[damage[0]] = damage[1];
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> PackedSourceMap.ofPacked(deltas, damaged, map.size()),
          "checkpoint word " + damage[0] + " set to " + damage[1] + " would be read past or before its entry");
      assertTrue(e.getMessage().startsWith("checkpoint " + damage[0] / 4 + " at byte "), e.getMessage());
    }
  }

  @Test
  void aDamagedFormIsReadOrRefusedNeverAnythingElse() {
    byte[] form = CompiledFunctionBytes.encode(everyField());
    Random random = new Random(40);
    int refused = 0;
    for (int trial = 0; trial < 3000; trial++) {
      byte[] damaged = form.clone();
      for (int n = 1 + random.nextInt(3); n > 0; n--) {
        damaged[random.nextInt(damaged.length)] ^= (byte) (1 << random.nextInt(8));
      }
      try {
        CompiledFunctionBytes.decode(damaged);
      } catch (IllegalArgumentException e) {
        refused++;
      }
    }
    assertTrue(refused > 0, "no damage was noticed");
  }
}
