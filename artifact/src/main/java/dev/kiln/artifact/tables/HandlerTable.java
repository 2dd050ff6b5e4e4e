package dev.kiln.artifact.tables;

import dev.kiln.artifact.internal.SectionReader;
import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * {@code .kiln.handlers} read in place: where a frame resumes when an exception unwinds through one
 * of its calls (WebAssembly 3.0 exception handling). The entries are {@link TextBlocks} blocks keyed
 * by a call's return address, each payload the landing pad's distance from it and the frame's depth
 * below its frame pointer in 16-byte units:
 *
 * <ul>
 *   <li>a block's first entry: {@code zigzag32 landing - return}, {@code varint frame / 16};
 *   <li>every later entry: {@code varint distance} from the previous return address, then {@code
 *       zigzag32 landing - return}, {@code varint frame / 16}.
 * </ul>
 *
 * The frame depth is where the landing pad's stack pointer goes: every wasm body runs with its stack
 * pointer {@code frame} bytes below its frame pointer (callee-pops: a caller reserves its outgoing
 * stack arguments again after each call), and a frame above the thrower is resumed at the pad
 * without running that instruction.
 *
 * Only calls inside a {@code try_table} (or a legacy {@code try}) have an entry; the catch clauses
 * are code at the landing pad, which compares the exception's tag with its instance's tags (so one
 * table serves every instance of the module). A landing offset is checked to lie inside {@code
 * .text} when it is decoded.
 */
public final class HandlerTable {
  static final String SECTION = ".kiln.handlers";
  /** The unit frame depths are stored in: both targets keep 16-byte aligned frames (SysV psABI 3.2.2, AAPCS64 6.4.5.1). */
  public static final int FRAME_ALIGNMENT = 16;
  /**
   * The deepest frame an entry may give (1 GiB): more than any wasm stack limit, small enough that
   * {@code fp - frame} cannot wrap; a larger value is a corrupt artifact.
   */
  public static final long MAX_FRAME_BELOW_FP = 1L << 30;

  /**
   * Where a frame resumes: its landing pad's text offset and its stack pointer's distance below its
   * frame pointer.
   */
  public record Landing(int landingOffset, int frameBelowFp) {}

  private final TextBlocks blocks;
  private final long textSize;
  /** An entry's form: after a later entry's distance, the landing pad's distance and the frame depth. */
  private final TextBlocks.EntryDecoder<Landing> entries = new TextBlocks.DistanceThenPayload<>("handler entry") {
    @Override
    public Landing first(TextBlocks.Walk walk) {
      return landing(walk);
    }
  };

  private HandlerTable(TextBlocks blocks, long textSize) {
    this.blocks = blocks;
    this.textSize = textSize;
  }

  /**
   * Opens the handler table in {@code section} for a {@code .text} of {@code textSize} bytes,
   * validating its block index; each block is validated when it is decoded.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException naming the first violation
   */
  public static HandlerTable open(MemorySegment section, long textSize) {
    return new HandlerTable(TextBlocks.open(new SectionReader(section, SECTION), SECTION, 0, textSize), textSize);
  }

  /** Where the call whose return address is exactly {@code returnOffset} lands, if it has an entry. */
  public Optional<Landing> lookup(int returnOffset) {
    return Optional.ofNullable(blocks.lookup(returnOffset, entries));
  }

  /**
   * Every site of the table decoded into arrays ({@link TextSites}), for a runtime that looks
   * landings up on each throw; decodes the whole table. Twelve bytes and a landing a site.
   */
  public TextSites<Landing> sites() {
    return TextSites.decode(blocks, entries, Landing[]::new);
  }

  /** Every handler site in text order, with its landing; decodes the whole table. */
  public void forEach(BiConsumer<Integer, Landing> consumer) {
    blocks.forEachEntry(entries, (walk, at, landing) -> consumer.accept(walk.textOffset(), landing));
  }

  /**
   * Decodes every entry and checks it against its function ({@link FunctionFrames}: the return
   * address follows a call of a function, the landing pad is in that function's body, one frame
   * depth per function). The load runs this, so a damaged entry refuses the artifact before any code
   * runs rather than when an exception first unwinds through it.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException naming the first damaged entry
   */
  public void checkFrames(FunctionFrames frames) {
    blocks.forEachEntry(entries, (walk, at, landing) ->
        frames.check(walk.in, at, "handler entry", walk.textOffset(), landing.frameBelowFp(), landing.landingOffset()));
  }

  private Landing landing(TextBlocks.Walk walk) {
    long at = walk.in.position();
    long landing = walk.textOffset() + (long) walk.in.zigzag32("landing pad distance");
    if (landing < 0 || landing >= textSize) {
      throw walk.in.corruptAt(at, "landing pad at text offset " + landing + ", outside .text (" + textSize + " bytes)");
    }
    at = walk.in.position();
    long units = walk.in.varint63("handler frame depth");
    if (units > MAX_FRAME_BELOW_FP / FRAME_ALIGNMENT) {
      throw walk.in.corruptAt(at, "handler frame depth of " + units + " x " + FRAME_ALIGNMENT
          + " bytes, more than " + MAX_FRAME_BELOW_FP);
    }
    return new Landing((int) landing, (int) units * FRAME_ALIGNMENT);
  }
}
