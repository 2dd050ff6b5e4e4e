package dev.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class BranchShorteningTest {

  /** A 4-byte field holding {@code label - (use + 4)}, like x86's rel32. */
  enum Rel32 implements LabelUse {
    INSTANCE;

    @Override public long maxPositiveRange() { return Integer.MAX_VALUE; }
    @Override public long maxNegativeRange() { return Integer.MAX_VALUE; }
    @Override public int patchSize() { return 4; }

    @Override
    public void patch(byte[] code, int useOffset, int labelOffset) {
      int value = labelOffset - (useOffset + 4);
      for (int i = 0; i < 4; i++) {
        code[useOffset + i] = (byte) (value >>> (8 * i));
      }
    }
  }

  /** A long branch in x86's shape, 0F 84 rel32, that may become 74 rel8. */
  private static void branch(CodeBuffer buf, Label to) {
    int start = buf.offset();
    buf.put8(0x0F);
    buf.put8(0x84);
    int field = buf.offset();
    buf.put32(0);
    buf.useLabel(field, to, Rel32.INSTANCE);
    buf.allowShortForm(start, new byte[] {0x74}, CodeBufferTest.Rel8.INSTANCE);
  }

  private static String hex(FinishedCode code) {
    return HexFormat.of().formatHex(code.code());
  }

  @Test
  void aNearTargetTakesTheShortFormAndEverythingAfterMovesBackWithTheAlignmentKept() {
    CodeBuffer buf = CodeBuffer.shorteningBranches();
    Label after = buf.createLabel();
    buf.put8(0xAA);
    branch(buf, after);                       // 1..7, short: 1..3
    buf.put8(0xE8);                           // a call whose field is relocated
    buf.addReloc(buf.offset(), RelocKind.X86_CALL_PC_REL4, 5, -4);
    buf.put32(0);
    buf.addTrap(0x77);                        // at 12, then 8
    buf.alignTo(8, (byte) 0x90);              // 12..16, then 8..8
    buf.bind(after);                          // 16, then 8
    buf.put8(0xC3);
    FinishedCode done = buf.finish();
    assertEquals("aa7405e800000000c3", hex(done));
    assertEquals(List.of(new Reloc(4, RelocKind.X86_CALL_PC_REL4, 5, -4)), done.relocs());
    assertEquals(List.of(new TrapSite(8, 0x77)), done.trapSites());
    assertEquals(8, buf.labelOffset(after));
    assertEquals(1, buf.finalOffset(1));
    assertEquals(3, buf.finalOffset(7));
  }

  @Test
  void aFarTargetKeepsTheLongForm() {
    CodeBuffer buf = CodeBuffer.shorteningBranches();
    Label after = buf.createLabel();
    branch(buf, after);
    for (int i = 0; i < 200; i++) {
      buf.put8(0x90);
    }
    buf.bind(after);
    FinishedCode done = buf.finish();
    assertEquals("0f84c8000000", hex(done).substring(0, 12));
    assertEquals(206, done.code().length);
  }

  @Test
  void aBackwardBranchJustInReachShortens() {
    CodeBuffer buf = CodeBuffer.shorteningBranches();
    Label top = buf.createLabel();
    buf.bind(top);
    for (int i = 0; i < 126; i++) {
      buf.put8(0x90);
    }
    branch(buf, top);                         // short: 126..128, displacement -128
    assertEquals("7480", hex(buf.finish()).substring(252));
  }

  /**
   * Shortening the first branch moves the 16-aligned label back by a whole padding, but the second
   * branch's target after that padding stays where it was: the fixed point keeps the second long
   * when its short form would then no longer reach.
   */
  @Test
  void aPaddingThatGrowsKeepsTheBranchWhoseTargetItPushesAwayLong() {
    CodeBuffer buf = CodeBuffer.shorteningBranches();
    Label near = buf.createLabel();
    Label far = buf.createLabel();
    branch(buf, near);                        // 0..6
    buf.bind(near);
    branch(buf, far);                         // 6..12
    for (int i = 0; i < 124; i++) {
      buf.put8(0x90);                         // 12..136
    }
    buf.alignCode(16, (into, length) -> {
      for (int i = 0; i < length; i++) {
        into.put8(0x90);
      }
    });
    buf.bind(far);
    buf.put8(0xC3);
    FinishedCode done = buf.finish();
    byte[] code = done.code();
    assertEquals(0, buf.labelOffset(far) % 16);
    // whatever the choice, every branch reaches its label
    int at = 0;
    for (Label l : List.of(near, far)) {
      int target;
      if ((code[at] & 0xFF) == 0x74) {
        target = at + 2 + code[at + 1];
        at += 2;
      } else {
        target = at + 6 + ((code[at + 2] & 0xFF) | (code[at + 3] & 0xFF) << 8);
        at += 6;
      }
      assertEquals(buf.labelOffset(l), target);
    }
  }

  /**
   * Paddings after a shortened branch are written again at their new lengths, each from the start of
   * one scratch buffer that {@link CodeBuffer#finish} makes once, not one per padding.
   */
  @Test
  void everyPaddingIsWrittenAgainIntoOneScratchBuffer() {
    CodeBuffer buf = CodeBuffer.shorteningBranches();
    Label end = buf.createLabel();
    List<CodeBuffer> rewrittenInto = new ArrayList<>();
    CodeBuffer.PaddingFill nops = (into, length) -> {
      if (into != buf) {
        rewrittenInto.add(into);
        assertEquals(0, into.offset(), "each padding written from the scratch buffer's start");
      }
      for (int i = 0; i < length; i++) {
        into.put8(0x90);
      }
    };
    branch(buf, end);                         // 0..6, short: 0..2
    buf.put8(0xAA);                           // 6, then 2
    buf.alignCode(8, nops);                   // 7..8, then 3..8
    buf.put8(0xBB);                           // 8
    buf.alignCode(4, nops);                   // 9..12
    buf.put8(0xCC);                           // 12
    buf.alignCode(16, nops);                  // 13..16
    buf.bind(end);
    buf.put8(0xC3);
    FinishedCode done = buf.finish();
    assertEquals("740eaa9090909090bb909090cc909090c3", hex(done));
    assertEquals(3, rewrittenInto.size());
    assertTrue(rewrittenInto.stream().allMatch(b -> b == rewrittenInto.getFirst()),
        "one scratch buffer for every padding: " + rewrittenInto);
  }

  @Test
  void finalOffsetsAreTheSameAskedInAnyOrder() {
    // 40 branches, each to the label right after it, all shortened from 6 bytes to 2: the byte
    // emitted at 6 * j ends up at 2 * j. The lookup searches on from its last answer, so ask
    // ascending, descending and jumping between both ends.
    int branches = 40;
    CodeBuffer buf = CodeBuffer.shorteningBranches();
    for (int j = 0; j < branches; j++) {
      Label next = buf.createLabel();
      branch(buf, next);
      buf.bind(next);
    }
    buf.finish();
    List<Integer> order = new ArrayList<>();
    for (int j = 0; j <= branches; j++) {
      order.add(j);
    }
    for (int j = branches; j >= 0; j--) {
      order.add(j);
    }
    for (int j = 0; j <= branches; j++) {
      order.add(j % 2 == 0 ? j / 2 : branches - j / 2);
    }
    for (int j : order) {
      assertEquals(2 * j, buf.finalOffset(6 * j), "offset " + 6 * j);
    }
  }

  /**
   * Where a candidate's start lies among the events is its own place in their order, not a search:
   * the choice searches once per candidate, for its target, and finds what two searches found.
   */
  @Test
  void theChoiceSearchesOnlyForTheTargets() {
    int branches = 40;
    List<BranchShortening.Candidate> candidates = new ArrayList<>();
    int[] targets = new int[branches];
    for (int j = 0; j < branches; j++) {
      candidates.add(new BranchShortening.Candidate(6 * j, 6 * j + 6, new byte[] {0x74}, CodeBufferTest.Rel8.INSTANCE));
      targets[j] = j % 2 == 0 ? 6 * j + 6 : 0; // the next branch, or back to the start
    }
    List<BranchShortening.Padding> paddings = List.of(new BranchShortening.Padding(6 * branches, 0, 16));
    BranchShortening s = BranchShortening.choose(candidates, paddings, targets);
    assertEquals(branches, s.searches);
    assertTrue(s.changesLayout());
    for (int j = 0; j < branches; j++) {
      // every branch reaches its target short: within 6 * 40 bytes emitted, 2 * 40 laid out
      assertTrue(s.isShort[j], "branch " + j);
      assertEquals(2 * j, s.finalOffset(6 * j));
    }
    assertEquals(2 * branches, s.finalOffset(6 * branches));
  }

  /**
   * A branch's own label use moves with the branch, by the shift the choice found for it: finishing
   * searches the events for the choice's targets, the code's new size, the labels and the other
   * label uses, not for the branches' uses (one search each) and again for the short ones' starts.
   */
  @Test
  void finishingSearchesForNoBranchsOwnLabelUse() {
    int shortBranches = 40;
    CodeBuffer buf = CodeBuffer.shorteningBranches();
    Label end = buf.createLabel();
    for (int j = 0; j < shortBranches; j++) {
      Label next = buf.createLabel();
      branch(buf, next);
      buf.bind(next);
    }
    branch(buf, end);                         // 240..246, then 80..86: long, 200 bytes to go
    for (int j = 0; j < 196; j++) {
      buf.put8(0x90);
    }
    int field = buf.offset();                 // 442, then 282: a use that is no branch
    buf.put32(0);
    buf.useLabel(field, end, Rel32.INSTANCE);
    buf.bind(end);                            // 446, then 286
    buf.put8(0xC3);
    FinishedCode done = buf.finish();
    int branches = shortBranches + 1;
    int labels = shortBranches + 1;
    assertEquals(branches + 1 + labels + 1, buf.shorteningSearches());
    String code = hex(done);
    assertEquals("7400".repeat(shortBranches) + "0f84" + "c8000000" + "90".repeat(196) + "00000000c3", code);
    assertEquals(287, done.code().length);
  }

  @Test
  void aBufferNotMadeToShortenKeepsEveryEncoding() {
    CodeBuffer buf = new CodeBuffer();
    Label after = buf.createLabel();
    branch(buf, after);
    buf.bind(after);
    assertEquals("0f8400000000", hex(buf.finish()));
  }
}
