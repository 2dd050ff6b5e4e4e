package dev.kiln.artifact.tables;

import dev.kiln.artifact.internal.ByteCursor;
import dev.kiln.artifact.internal.SectionReader;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * {@code .kiln.stackmaps} read in place: where a frame keeps its GC references while one of its
 * safepoint calls is under way (a call to a wasm function, or to the GC heap's slow path). The
 * section starts with the resident slot sets ({@link ResidentSlotSets}: per function that keeps
 * references in fixed frame slots for its whole run, its frame depth and those slots, once), then
 * the entries: {@link TextBlocks} blocks keyed by the call's return address, each payload
 *
 * <ul>
 *   <li>a block's first entry: {@code varint h = n << 1 | s}; when {@code s} is 0 {@code varint
 *       frame / 16}, when it is 1 {@code varint r}, the resident set whose slots the map names too and
 *       whose frame depth it has; then n x {@code varint slot / 8}, the call's own slots;
 *   <li>every later entry: {@code varint distance} from the previous return address, then the same.
 * </ul>
 *
 * So a function with K resident slots and M safepoints costs K + M entries' worth of bytes, where
 * naming every resident slot in every map cost K x M (issue 39). A slot is the offset of an 8-byte
 * word above the frame's stack pointer, which lies {@code frame} bytes below its frame pointer; the
 * collector reads and rewrites exactly those words, the set's and the entry's. The walker trusts
 * nothing else from an entry, and decoding checks what it relies on: the frame depth is at most
 * {@link HandlerTable#MAX_FRAME_BELOW_FP}, the set named exists, and every slot word, the set's and
 * the entry's, lies inside the frame ({@code slot + 8 <= frame}, so between the stack pointer and
 * the frame pointer, below the frame record), which bounds the count too. A damaged table therefore
 * cannot make the walker read or write outside the frame it describes, nor allocate more than the
 * section's size; which frames exist is the frame-pointer chain's business (the walker's).
 *
 * <p>A call across which its frame holds no GC reference has no entry (the compiler spills nothing
 * there: compiler translate.GcSafepoints), so code of a module without GC references has none.
 */
public final class StackMapTable {
  static final String SECTION = ".kiln.stackmaps";
  private static final int[] NO_SLOTS = new int[0];

  /**
   * A safepoint's frame: its depth below the frame pointer and its slots' offsets above the stack
   * pointer, the function's resident ones (the same array for every map of the function, not a copy
   * per map) and then the call's own.
   */
  public record StackMap(int frameBelowFp, int[] residentSlotOffsets, int[] ownSlotOffsets) {
    public StackMap {
      Objects.requireNonNull(residentSlotOffsets, "residentSlotOffsets");
      Objects.requireNonNull(ownSlotOffsets, "ownSlotOffsets");
    }

    /** A map of {@code slotOffsets} only, without resident slots. */
    public StackMap(int frameBelowFp, int[] slotOffsets) {
      this(frameBelowFp, NO_SLOTS, slotOffsets.clone());
    }

    /** Every slot, the resident ones first: a copy. */
    public int[] slotOffsets() {
      int[] all = new int[count()];
      System.arraycopy(residentSlotOffsets, 0, all, 0, residentSlotOffsets.length);
      System.arraycopy(ownSlotOffsets, 0, all, residentSlotOffsets.length, ownSlotOffsets.length);
      return all;
    }

    @Override
    public int[] residentSlotOffsets() {
      return residentSlotOffsets.clone();
    }

    @Override
    public int[] ownSlotOffsets() {
      return ownSlotOffsets.clone();
    }

    /** How many slots, resident and own. */
    public int count() {
      return residentSlotOffsets.length + ownSlotOffsets.length;
    }

    /** Slot {@code i} of {@link #slotOffsets()}, without the copy that makes. */
    public int slotOffset(int i) {
      return i < residentSlotOffsets.length ? residentSlotOffsets[i] : ownSlotOffsets[i - residentSlotOffsets.length];
    }
  }

  private final ResidentSlotSets sets;
  private final TextBlocks blocks;

  private StackMapTable(ResidentSlotSets sets, TextBlocks blocks) {
    this.sets = sets;
    this.blocks = blocks;
  }

  /**
   * Opens the table in {@code section} for a {@code .text} of {@code textSize} bytes, validating the
   * resident sets' index and the block index; each set and block is validated when it is decoded.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException naming the first violation
   */
  public static StackMapTable open(MemorySegment section, long textSize) {
    SectionReader in = new SectionReader(section, SECTION);
    ResidentSlotSets sets = ResidentSlotSets.open(in, SECTION);
    return new StackMapTable(sets, TextBlocks.open(in, SECTION, sets.end(), textSize));
  }

  /**
   * The stack map of the call whose return address is exactly {@code returnOffset}, if it has one:
   * one block decoded up to it, and the resident set it names; nothing else of the table.
   */
  public Optional<StackMap> lookup(int returnOffset) {
    return Optional.ofNullable(blocks.lookup(returnOffset, new Entries(false)));
  }

  /**
   * Every safepoint of the table decoded into arrays ({@link TextSites}), for the collector's frame
   * walk, which looks a map up for each frame of each walk; decodes (so validates) the whole table,
   * each resident set once, shared by the maps that name it.
   */
  public TextSites<StackMap> sites() {
    return TextSites.decode(blocks, new Entries(true), StackMap[]::new);
  }

  /** Every safepoint in text order, with its stack map; decodes the whole table. */
  public void forEach(BiConsumer<Integer, StackMap> consumer) {
    blocks.forEachEntry(new Entries(true), (walk, at, map) -> consumer.accept(walk.textOffset(), map));
  }

  /**
   * Decodes every resident set and entry and checks each entry against its function ({@link
   * FunctionFrames}: the return address follows a call of a function, one frame depth per function,
   * the same as the function's handler entries give; an entry naming a resident set has that set's
   * depth; every entry of a function names the same set or none, and no other function's entries
   * name it). The load runs this, so a damaged set or entry refuses the artifact before any code
   * runs rather than when a collection first walks the frame.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException naming the first damaged set or entry
   */
  public void checkFrames(FunctionFrames frames) {
    sets.checkAll();
    Entries entries = new Entries(true);
    blocks.forEachEntry(entries, (walk, at, map) -> {
      frames.check(walk.in, at, "stack map entry", walk.textOffset(), map.frameBelowFp(), -1);
      frames.checkResidentSet(walk.in, at, walk.textOffset(), entries.lastSet);
    });
  }

  /**
   * An entry's form: after a later entry's distance, the head, the frame depth or resident set, the
   * own slots. A decoder that walks the whole table keeps each resident set it decoded, so a set
   * named by M entries is decoded once and its slots array shared by their maps.
   */
  private final class Entries extends TextBlocks.DistanceThenPayload<StackMap> {
    /** Each set decoded so far, by index; null for a single lookup, which decodes its one set. */
    private final ResidentSlotSets.Set[] decoded;
    /** The resident set the entry decoded last names, -1 if none: {@link #checkFrames} checks whose it is. */
    int lastSet = -1;

    Entries(boolean keepSets) {
      super("stack map entry");
      this.decoded = keepSets ? new ResidentSlotSets.Set[sets.count()] : null;
    }

    @Override
    public StackMap first(TextBlocks.Walk walk) {
      long at = walk.in.position();
      long head = walk.in.varint63("stack map entry head");
      if ((head & 1) == 0) {
        lastSet = -1;
        int frame = frameDepth(walk.in);
        return new StackMap(frame, NO_SLOTS, slots(walk.in, head >>> 1, at, frame, 0));
      }
      long setAt = walk.in.position();
      long index = walk.in.varint63("resident set index");
      if (index >= sets.count()) {
        throw walk.in.corruptAt(setAt, "stack map entry names resident set " + index + " of " + sets.count());
      }
      lastSet = (int) index;
      ResidentSlotSets.Set set = set((int) index);
      int[] resident = set.slotOffsets();
      return new StackMap(set.frameBelowFp(), resident,
          slots(walk.in, head >>> 1, at, set.frameBelowFp(), resident.length));
    }

    private ResidentSlotSets.Set set(int index) {
      if (decoded == null) {
        return sets.decode(index);
      }
      if (decoded[index] == null) {
        decoded[index] = sets.decode(index);
      }
      return decoded[index];
    }
  }

  /** A frame depth ({@code varint frame / 16}), at most {@link HandlerTable#MAX_FRAME_BELOW_FP}. */
  static int frameDepth(ByteCursor in) {
    long at = in.position();
    long units = in.varint63("stack map frame depth");
    if (units > HandlerTable.MAX_FRAME_BELOW_FP / HandlerTable.FRAME_ALIGNMENT) {
      throw in.corruptAt(at, "stack map frame depth of " + units + " x " + HandlerTable.FRAME_ALIGNMENT
          + " bytes, more than " + HandlerTable.MAX_FRAME_BELOW_FP);
    }
    return (int) units * HandlerTable.FRAME_ALIGNMENT;
  }

  /**
   * {@code count} slots ({@code varint slot / 8} each; the count read at {@code countAt}) of a frame
   * of {@code frame} bytes that already has {@code named} slots named: refused when the frame has
   * fewer words than that, when the bytes left cannot hold them, or when a slot's word is not inside
   * the frame.
   */
  static int[] slots(ByteCursor in, long count, long countAt, int frame, int named) {
    if (count > frame / 8 - named) {
      throw in.corruptAt(countAt, count + " stack map slots" + (named == 0 ? "" : " besides " + named + " resident ones")
          + " in a frame of " + frame + " bytes");
    }
    // Each slot takes at least one byte: a count the bytes left cannot hold is refused before the
    // array is made, so a damaged count costs no more memory than the section's own size.
    if (count > in.remaining()) {
      throw in.corruptAt(countAt, count + " stack map slots but only " + in.remaining() + " bytes left");
    }
    int[] slots = count == 0 ? NO_SLOTS : new int[(int) count];
    for (int i = 0; i < slots.length; i++) {
      long at = in.position();
      long words = in.varint63("stack map slot");
      if (words > (frame - 8) / 8) {
        throw in.corruptAt(at, "stack map slot at sp+" + words + "*8, outside its frame of " + frame + " bytes");
      }
      slots[i] = (int) words * 8;
    }
    return slots;
  }
}
