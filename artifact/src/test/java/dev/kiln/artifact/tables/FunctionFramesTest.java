package dev.kiln.artifact.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.index.FunctionIndex;
import dev.kiln.artifact.index.FunctionIndexBuilder;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.CompileTimeoutException;
import dev.kiln.deadline.Phase;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The whole-table checks a load runs on {@code .kiln.handlers} and {@code .kiln.stackmaps}, written
 * as whoever crafts an artifact would: entries that a lookup alone accepts (inside {@code .text},
 * sorted, a bounded depth) but that point outside their function or disagree on its frame.
 */
class FunctionFramesTest {
  /** Two functions: [0x00, 0x40) and [0x40, 0x80), in a text of 0x80 bytes. */
  private static final int TEXT = 0x80;
  private static final int[] STARTS = {0, 0x40};

  private static FunctionIndex functions() {
    return FunctionIndex.open(MemorySegment.ofArray(new FunctionIndexBuilder()
        .add(FuncKey.definedWasmFunction(0, 0), 0, 0x40)
        .add(FuncKey.definedWasmFunction(0, 1), 0x40, 0x40).build()), TEXT);
  }

  private static HandlerTable handlers(HandlerTableBuilder builder) {
    return HandlerTable.open(MemorySegment.ofArray(builder.build(STARTS)), TEXT);
  }

  private static StackMapTable stackMaps(StackMapTableBuilder builder) {
    return StackMapTable.open(MemorySegment.ofArray(builder.build(STARTS)), TEXT);
  }

  private static String refusal(Runnable check) {
    return assertThrows(CorruptArtifactException.class, check::run).getMessage();
  }

  /** Why the load refuses the stack map table {@code builder} makes, checked alone against {@link #functions}. */
  private static String stackMapRefusal(StackMapTableBuilder builder) {
    return refusal(() -> stackMaps(builder).checkFrames(new FunctionFrames(functions())));
  }

  @Test
  void soundTablesPass() {
    FunctionFrames frames = new FunctionFrames(functions());
    handlers(new HandlerTableBuilder().add(0x10, 0x30, 32).add(0x18, 0x30, 32).add(0x50, 0x70, 0)).checkFrames(frames);
    stackMaps(new StackMapTableBuilder().add(0x10, 32, new int[] {0}).add(0x58, 0, new int[0])).checkFrames(frames);
  }

  @Test
  void aLandingPadInAnotherFunctionIsRefused() {
    String message = refusal(() -> handlers(new HandlerTableBuilder().add(0x10, 0x50, 0))
        .checkFrames(new FunctionFrames(functions())));
    assertTrue(message.contains("handler entry at text offset 16 lands at text offset 80, outside the body of its"
        + " function"), message);
  }

  @Test
  void aLandingPadAtItsFunctionsEntryIsRefused() {
    String message = refusal(() -> handlers(new HandlerTableBuilder().add(0x50, 0x40, 0))
        .checkFrames(new FunctionFrames(functions())));
    assertTrue(message.contains("outside the body of its function"), message);
  }

  @Test
  void anEntryAtAFunctionsFirstByteFollowsNoCall() {
    String handler = refusal(() -> handlers(new HandlerTableBuilder().add(0x40, 0x50, 0))
        .checkFrames(new FunctionFrames(functions())));
    assertTrue(handler.contains("handler entry at text offset 64 follows no call of a function"), handler);
    String stackMap = refusal(() -> stackMaps(new StackMapTableBuilder().add(0, 0, new int[0]))
        .checkFrames(new FunctionFrames(functions())));
    assertTrue(stackMap.contains("stack map entry at text offset 0 follows no call of a function"), stackMap);
  }

  @Test
  void anEntryPastTheLastFunctionFollowsNoCall() {
    FunctionIndex shorter = FunctionIndex.open(MemorySegment.ofArray(new FunctionIndexBuilder()
        .add(FuncKey.definedWasmFunction(0, 0), 0, 0x40).build()), TEXT);
    String message = refusal(() -> handlers(new HandlerTableBuilder().add(0x50, 0x60, 0))
        .checkFrames(new FunctionFrames(shorter)));
    assertTrue(message.contains("follows no call of a function"), message);
  }

  @Test
  void oneFunctionHasOneFrameDepthInBothTables() {
    String handlers = refusal(() -> handlers(new HandlerTableBuilder().add(0x10, 0x30, 32).add(0x18, 0x30, 48))
        .checkFrames(new FunctionFrames(functions())));
    assertTrue(handlers.contains("handler entry at text offset 24 gives a frame depth of 48 bytes where its"
        + " function's other entries give 32"), handlers);
    FunctionFrames frames = new FunctionFrames(functions());
    handlers(new HandlerTableBuilder().add(0x10, 0x30, 32)).checkFrames(frames);
    String stackMaps = refusal(() -> stackMaps(new StackMapTableBuilder().add(0x20, 64, new int[] {8}))
        .checkFrames(frames));
    assertTrue(stackMaps.contains("stack map entry at text offset 32 gives a frame depth of 64 bytes"), stackMaps);
  }

  /** An entry naming a resident set has the set's frame depth, held to its function's as any entry's. */
  @Test
  void anEntryNamingAResidentSetHasTheSetsFrameDepth() {
    FunctionFrames frames = new FunctionFrames(functions());
    handlers(new HandlerTableBuilder().add(0x10, 0x30, 32)).checkFrames(frames);
    StackMapTableBuilder builder = new StackMapTableBuilder();
    int set = builder.residentSet(64, new int[] {8});
    String message = refusal(() -> stackMaps(builder.add(0x20, 64, set, new int[0])).checkFrames(frames));
    assertTrue(message.contains("stack map entry at text offset 32 gives a frame depth of 64 bytes"), message);
  }

  /**
   * A resident set is one function's: an entry of another function naming it, with a frame as deep
   * (so the depth check passes), is refused, as is every entry of that function naming it.
   */
  @Test
  void anEntryNamingAnotherFunctionsResidentSetIsRefused() {
    StackMapTableBuilder one = new StackMapTableBuilder();
    int first = one.residentSet(32, new int[] {8});
    int second = one.residentSet(32, new int[] {16});
    one.add(0x10, 32, first, new int[0]).add(0x50, 32, second, new int[0]).add(0x58, 32, first, new int[0]);
    String message = stackMapRefusal(one);
    assertTrue(message.contains("stack map entry at text offset 88 names resident set 0 where its function's other"
        + " entries name resident set 1"), message);
    StackMapTableBuilder every = new StackMapTableBuilder();
    int only = every.residentSet(32, new int[] {8});
    every.add(0x10, 32, only, new int[0]).add(0x50, 32, only, new int[0]).add(0x58, 32, only, new int[0]);
    String shared = stackMapRefusal(every);
    assertTrue(shared.contains("stack map entry at text offset 80 names resident set 0, which the entries of the"
        + " function at text offset 0 name"), shared);
  }

  /** Every safepoint of a function with a resident set names it: one entry without it is damage. */
  @Test
  void oneFunctionsEntriesNameOneResidentSetOrNone() {
    StackMapTableBuilder builder = new StackMapTableBuilder();
    int set = builder.residentSet(32, new int[] {8});
    builder.add(0x10, 32, set, new int[0]).add(0x18, 32, new int[] {0});
    String message = stackMapRefusal(builder);
    assertTrue(message.contains("stack map entry at text offset 24 names no resident set where its function's other"
        + " entries name resident set 0"), message);
  }

  /** A damaged resident set is refused at load even when no entry names it: the load decodes every set. */
  @Test
  void aDamagedSetNoEntryNamesIsRefused() {
    StackMapTableBuilder builder = new StackMapTableBuilder();
    builder.residentSet(32, new int[] {8});
    byte[] bytes = builder.add(0x10, 32, new int[] {0}).build(STARTS);
    bytes[10] = 0x04; // the set's slot 4 * 8 = 32: the word at the frame pointer
    StackMapTable table = StackMapTable.open(MemorySegment.ofArray(bytes), TEXT);
    table.lookup(0x10).orElseThrow(); // a lookup of an entry that names no set decodes none
    String message = refusal(() -> table.checkFrames(new FunctionFrames(functions())));
    assertTrue(message.contains("outside its frame"), message);
  }

  /** A table as long as its artifact allows is walked whole at load: the walk polls the load's budget. */
  @Test
  void theWholeTableWalkPollsTheLoadsBudget() {
    HandlerTableBuilder builder = new HandlerTableBuilder();
    for (int i = 1; i < 0x40; i++) {
      builder.add(i, 0x30, 0);
    }
    HandlerTable table = handlers(builder);
    CompileTimeoutException e = assertThrows(CompileTimeoutException.class, () -> CompileDeadline.after(Duration.ZERO)
        .call(() -> {
          table.checkFrames(new FunctionFrames(functions()));
          return null;
        }));
    assertEquals(Phase.LOAD, e.phase());
  }
}
