package dev.kiln.artifact.tables;

import dev.kiln.artifact.internal.SectionReader;
import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * {@code .kiln.stackmaps} read in place: where a frame keeps its GC references while one of its
 * safepoint calls is under way (a call to a wasm function, or to the GC heap's slow path). The
 * entries are {@link TextBlocks} blocks keyed by the call's return address, each payload the frame's
 * depth below its frame pointer and the slots:
 *
 * <ul>
 *   <li>a block's first entry: {@code varint frame / 16}, {@code varint n}, n x {@code varint slot / 8};
 *   <li>every later entry: {@code varint distance} from the previous return address, then the same.
 * </ul>
 *
 * A slot is the offset of an 8-byte word above the frame's stack pointer, which lies {@code frame}
 * bytes below its frame pointer; the collector reads and rewrites exactly those words. The walker
 * trusts nothing else from an entry, and decoding checks what it relies on: the frame depth is at
 * most {@link HandlerTable#MAX_FRAME_BELOW_FP}, and every slot word lies inside the frame ({@code
 * slot + 8 <= frame}, so between the stack pointer and the frame pointer, below the frame record),
 * which bounds the count too. A damaged table therefore cannot make the walker read or write outside
 * the frame it describes, nor allocate more than the section's size; which frames exist is the frame-pointer chain's business (the walker's).
 *
 * <p>A call across which its frame holds no GC reference has no entry (the compiler spills nothing
 * there: compiler translate.GcSafepoints), so code of a module without GC references has none.
 */
public final class StackMapTable {
  static final String SECTION = ".kiln.stackmaps";

  /** A safepoint's frame: its depth below the frame pointer and its slots' offsets above the stack pointer. */
  public record StackMap(int frameBelowFp, int[] slotOffsets) {
    @Override
    public int[] slotOffsets() {
      return slotOffsets.clone();
    }

    /** How many slots. */
    public int count() {
      return slotOffsets.length;
    }

    /** Slot {@code i}'s offset above the stack pointer, without the copy {@link #slotOffsets()} makes. */
    public int slotOffset(int i) {
      return slotOffsets[i];
    }
  }

  private final TextBlocks blocks;

  private StackMapTable(TextBlocks blocks) {
    this.blocks = blocks;
  }

  /**
   * Opens the table in {@code section} for a {@code .text} of {@code textSize} bytes, validating its
   * block index; each block is validated when it is decoded.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException naming the first violation
   */
  public static StackMapTable open(MemorySegment section, long textSize) {
    return new StackMapTable(TextBlocks.open(new SectionReader(section, SECTION), SECTION, 0, textSize));
  }

  /** The stack map of the call whose return address is exactly {@code returnOffset}, if it has one. */
  public Optional<StackMap> lookup(int returnOffset) {
    return Optional.ofNullable(blocks.lookup(returnOffset, ENTRIES));
  }

  /**
   * Every safepoint of the table decoded into arrays ({@link TextSites}), for the collector's frame
   * walk, which looks a map up for each frame of each walk; decodes (so validates) the whole table.
   */
  public TextSites<StackMap> sites() {
    return TextSites.decode(blocks, ENTRIES, StackMap[]::new);
  }

  /** Every safepoint in text order, with its stack map; decodes the whole table. */
  public void forEach(BiConsumer<Integer, StackMap> consumer) {
    blocks.forEachEntry(ENTRIES, (walk, at, map) -> consumer.accept(walk.textOffset(), map));
  }

  /**
   * Decodes every entry and checks it against its function ({@link FunctionFrames}: the return
   * address follows a call of a function, one frame depth per function, the same as the function's
   * handler entries give). The load runs this, so a damaged entry refuses the artifact before any
   * code runs rather than when a collection first walks the frame.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException naming the first damaged entry
   */
  public void checkFrames(FunctionFrames frames) {
    blocks.forEachEntry(ENTRIES, (walk, at, map) ->
        frames.check(walk.in, at, "stack map entry", walk.textOffset(), map.frameBelowFp(), -1));
  }

  /** An entry's form: after a later entry's distance, the frame depth and the slots. */
  private static final TextBlocks.EntryDecoder<StackMap> ENTRIES = new TextBlocks.DistanceThenPayload<>("stack map entry") {
    @Override
    public StackMap first(TextBlocks.Walk walk) {
      return stackMap(walk);
    }
  };

  private static StackMap stackMap(TextBlocks.Walk walk) {
    long at = walk.in.position();
    long units = walk.in.varint63("stack map frame depth");
    if (units > HandlerTable.MAX_FRAME_BELOW_FP / HandlerTable.FRAME_ALIGNMENT) {
      throw walk.in.corruptAt(at, "stack map frame depth of " + units + " x " + HandlerTable.FRAME_ALIGNMENT
          + " bytes, more than " + HandlerTable.MAX_FRAME_BELOW_FP);
    }
    int frame = (int) units * HandlerTable.FRAME_ALIGNMENT;
    at = walk.in.position();
    long count = walk.in.varint63("stack map slot count");
    if (count > frame / 8) {
      throw walk.in.corruptAt(at, count + " stack map slots in a frame of " + frame + " bytes");
    }
    // Each slot takes at least one byte: a count the block's bytes cannot hold is refused before the
    // array is made, so a damaged count costs no more memory than the section's own size.
    if (count > walk.in.remaining()) {
      throw walk.in.corruptAt(at, count + " stack map slots but only " + walk.in.remaining() + " bytes left");
    }
    int[] slots = new int[(int) count];
    for (int i = 0; i < slots.length; i++) {
      at = walk.in.position();
      long words = walk.in.varint63("stack map slot");
      if (words > (frame - 8) / 8) {
        throw walk.in.corruptAt(at, "stack map slot at sp+" + words + "*8, outside its frame of " + frame + " bytes");
      }
      slots[i] = (int) words * 8;
    }
    return new StackMap(frame, slots);
  }
}
