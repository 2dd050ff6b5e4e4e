package dev.kiln.codegen;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * A growable little-endian byte buffer for one function's machine code, with labels, label uses
 * (fix-ups), trap sites and relocations. See the package documentation for the flow.
 *
 * <p>Invariants (checked, with the offending offsets in the message):
 *
 * <ul>
 *   <li>A label is bound at most once, to the offset current at the time of {@link #bind}.
 *   <li>A label use's field lies entirely inside the bytes emitted so far ({@link #useLabel} is called
 *       after the placeholder bytes are written, or at least before {@link #finish}).
 *   <li>After {@link #finish()}, every use points at its label or at a veneer that does; the buffer is
 *       then closed and rejects further writes.
 * </ul>
 *
 * <p>Islands. A use whose label is not bound yet, or bound beyond the field's reach, is pending
 * ({@link PendingUses}) with a deadline: the last offset its field reaches forward. The emitter asks
 * {@link #islandNeeded} at points where code may be interrupted (between instructions) and, when
 * it says so, jumps over an island in which {@link #emitDueVeneers} places a veneer (a longer-reach
 * jump, {@link LabelUse#generateVeneer}) for the uses about to run out of reach, and the emitter
 * places its own pending data (constants, jump tables) that fields without veneers read. So a short
 * branch reaches its target in a function of any size: the island comes before the branch's reach
 * ends, whatever lies between. A function whose uses never come near their deadlines gets no island,
 * and its code is what it would be without them. {@link #finish()} still appends veneers after the
 * last byte for uses left (a backward branch beyond reach near the end); a veneer is shared by every
 * use of the same label and kind in one island.
 */
public final class CodeBuffer {
  private byte[] data;
  private int size;
  /**
   * Per label (by id), its offset or {@link #UNBOUND}; the first {@link #labelCount}. An int array,
   * not a list of boxed offsets: every bind, label use and fix-up reads or writes one.
   */
  private int[] labelOffsets = new int[16];
  private int labelCount;
  private final List<Fixup> fixups = new ArrayList<>();
  private final List<TrapSite> trapSites = new ArrayList<>();
  private final List<Reloc> relocs = new ArrayList<>();
  /** How many lists of sites {@link #finish} had to sort (for tests). */
  int sorts;
  /** The uses waiting for their label or a veneer; package-private for the tests that count them. */
  final PendingUses pending = new PendingUses();
  /**
   * {@link #bind}'s questions to {@link PendingUses#resolve} about a fixup (by index): whether the
   * offset being bound ({@link #size} when asked) is in its reach, and its kind. Made once: a
   * lambda per bind is an allocation per label, and the launcher's lean C2 does not inline the
   * capture (JFR, yosys: a slow-path {@code Unsafe.allocateInstance} per call).
   */
  private final java.util.function.IntPredicate fixupReachesSize =
      i -> inRange(fixups.get(i).use(), fixups.get(i).offset(), size);
  private final java.util.function.IntFunction<LabelUse> fixupUse = i -> fixups.get(i).use();
  /**
   * {@link #islandNeeded}'s quick answer, kept for one {@link PendingUses#version()}: the earliest
   * deadline of a pending use ({@code Long.MAX_VALUE} when none) and the veneer bytes of every pending
   * use. The emitter asks at every instruction, and the pending uses change only at a branch or a
   * label, so most asks compare against these instead of walking the kinds.
   */
  private int boundVersion = -1;
  private long earliestDeadline;
  private long allVeneerBytes;
  /** Branches {@link #allowShortForm} marked, in order of offset, with the index of their fix-up. */
  private final List<BranchShortening.Candidate> shortenable = new ArrayList<>();
  /** Per branch of {@link #shortenable}, its fix-up's index: ints, not a boxed index per branch. */
  private int[] shortenableFixups = new int[16];
  /** Every alignment padding, in order of offset, with what writes it again at another length. */
  private final List<BranchShortening.Padding> paddings = new ArrayList<>();
  private final List<PaddingFill> paddingFills = new ArrayList<>();
  /** Whether {@link #allowShortForm} takes effect (otherwise every instruction keeps its encoding). */
  private boolean shortensBranches;
  /** The layout {@link #finish} chose, null when no branch could shorten. */
  private BranchShortening shortening;
  private boolean finished;

  private static final int UNBOUND = -1;

  private record Fixup(int offset, Label label, LabelUse use) {}

  public CodeBuffer() {
    this(256);
  }

  /** A buffer with room for {@code initialCapacity} bytes before it first grows. */
  public CodeBuffer(int initialCapacity) {
    if (initialCapacity < 0) {
      throw new IllegalArgumentException("negative capacity " + initialCapacity);
    }
    data = new byte[Math.max(16, initialCapacity)];
  }

  /**
   * A buffer whose {@link #finish} replaces long branches by short ones where they reach ({@link
   * #allowShortForm}), for a function body; a buffer made otherwise keeps every encoding as written
   * (encoder tests, stubs whose layout is fixed).
   */
  public static CodeBuffer shorteningBranches() {
    CodeBuffer buf = new CodeBuffer();
    buf.shortensBranches = true;
    return buf;
  }

  /** Offset at which the next byte will be written, which is also the number of bytes so far. */
  public int offset() {
    return size;
  }

  public void put8(int value) {
    ensureOpen();
    reserve(1);
    data[size++] = (byte) value;
  }

  // Little-endian, each width checked and grown once rather than per byte: a 32-bit field is most
  // instructions' displacement or immediate, and every AArch64 instruction.
  public void put16(int value) {
    ensureOpen();
    reserve(2);
    data[size] = (byte) value;
    data[size + 1] = (byte) (value >>> 8);
    size += 2;
  }

  public void put32(int value) {
    ensureOpen();
    reserve(4);
    data[size] = (byte) value;
    data[size + 1] = (byte) (value >>> 8);
    data[size + 2] = (byte) (value >>> 16);
    data[size + 3] = (byte) (value >>> 24);
    size += 4;
  }

  public void put64(long value) {
    put32((int) value);
    put32((int) (value >>> 32));
  }

  /** Appends {@code bytes} as they are (already in memory order). */
  public void putBytes(byte[] bytes) {
    ensureOpen();
    reserve(bytes.length);
    System.arraycopy(bytes, 0, data, size, bytes.length);
    size += bytes.length;
  }

  /** Appends {@code fill} bytes until {@link #offset()} is a multiple of {@code alignment} (a power of two). */
  public void alignTo(int alignment, byte fill) {
    alignCode(alignment, (into, length) -> {
      for (int i = 0; i < length; i++) {
        into.put8(fill);
      }
    });
  }

  /** Writes {@code length} bytes of padding into a buffer. */
  @FunctionalInterface
  public interface PaddingFill {
    void fill(CodeBuffer into, int length);
  }

  /**
   * Pads with {@code fill} until {@link #offset()} is a multiple of {@code alignment} (a power of
   * two), for code (no-operation instructions) or data. {@link #finish} keeps the alignment when it
   * shortens branches before the padding, writing it again with {@code fill} at its new length.
   */
  public void alignCode(int alignment, PaddingFill fill) {
    if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
      throw new IllegalArgumentException("alignment must be a power of two: " + alignment);
    }
    int start = size;
    int length = -start & (alignment - 1);
    fill.fill(this, length);
    if (size != start + length) {
      throw new IllegalStateException("padding of " + length + " bytes wrote " + (size - start));
    }
    if (length > 0 || alignment > 1) {
      paddings.add(new BranchShortening.Padding(start, length, alignment));
      paddingFills.add(fill);
    }
  }

  /** The byte at {@code offset}, for encoders that peek at what they wrote (and for tests). */
  public int byteAt(int offset) {
    Objects.checkIndex(offset, size);
    return data[offset] & 0xFF;
  }

  /** Overwrites one byte already emitted. */
  public void patch8(int offset, int value) {
    ensureOpen();
    Objects.checkIndex(offset, size);
    data[offset] = (byte) value;
  }

  /** Overwrites four bytes already emitted, little-endian. */
  public void patch32(int offset, int value) {
    ensureOpen();
    Objects.checkFromIndexSize(offset, 4, size);
    for (int i = 0; i < 4; i++) {
      data[offset + i] = (byte) (value >>> (8 * i));
    }
  }

  // ---- labels ----

  /** A new, unbound label. */
  public Label createLabel() {
    ensureOpen();
    if (labelCount == labelOffsets.length) {
      labelOffsets = Arrays.copyOf(labelOffsets, 2 * labelCount);
    }
    labelOffsets[labelCount] = UNBOUND;
    return new Label(labelCount++);
  }

  /** Binds {@code label} to the current offset. */
  public void bind(Label label) {
    ensureOpen();
    checkOwn(label);
    int previous = labelOffsets[label.id()];
    if (previous != UNBOUND) {
      throw new CodeBufferException(label + " is already bound at offset " + previous
          + "; cannot bind it again at " + size);
    }
    labelOffsets[label.id()] = size;
    pending.resolve(label, fixupReachesSize, fixupUse);
  }

  /** True once {@code label} has been bound. */
  public boolean isBound(Label label) {
    checkOwn(label);
    return labelOffsets[label.id()] != UNBOUND;
  }

  /**
   * The offset {@code label} is bound to.
   *
   * @throws CodeBufferException if it is not bound yet
   */
  public int labelOffset(Label label) {
    checkOwn(label);
    int offset = labelOffsets[label.id()];
    if (offset == UNBOUND) {
      throw new CodeBufferException(label + " is not bound");
    }
    return offset;
  }

  /**
   * Records that the field of kind {@code use} at {@code offset} refers to {@code label}; it is patched by
   * {@link #finish()}. The field's placeholder bytes must have been emitted by then.
   */
  public void useLabel(int offset, Label label, LabelUse use) {
    ensureOpen();
    checkOwn(label);
    Objects.requireNonNull(use, "use");
    if (offset < 0) {
      throw new IllegalArgumentException("negative label use offset " + offset);
    }
    fixups.add(new Fixup(offset, label, use));
    if (reachesEveryOffset(use)) {
      return;
    }
    int target = labelOffsets[label.id()];
    if (target == UNBOUND || !inRange(use, offset, target)) {
      pending.add(fixups.size() - 1, label, use);
    }
  }

  /**
   * Whether a field of kind {@code use} reaches every label of any buffer, whose offsets are ints
   * from 0: x86-64's rel32 (SDM Vol. 2A section 2.2.1.6), which every x86-64 branch to a label is
   * emitted as. Such a use never has a deadline, so it is never {@link PendingUses pending}: no
   * queueing at the use, no resolving at the bind, no deadline for {@link #islandNeeded} to recompute
   * after every branch. {@link #finish} patches it like any other.
   */
  private static boolean reachesEveryOffset(LabelUse use) {
    return use.maxPositiveRange() >= Integer.MAX_VALUE && use.maxNegativeRange() >= Integer.MAX_VALUE;
  }

  /**
   * Marks the branch just emitted, {@code [start, offset())}, whose label use was the last one
   * recorded and ends the branch, as one that may instead be {@code shortOpcode} followed by a field of
   * kind {@code shortUse} when its target turns out near enough ({@link BranchShortening}). Nothing
   * in a buffer not made by {@link #shorteningBranches}. The buffer keeps {@code shortOpcode} as it
   * is, not a copy: the caller hands over an array nothing changes (an encoder's constant per
   * opcode), as a copy per branch of every function was work for nothing.
   */
  public void allowShortForm(int start, byte[] shortOpcode, LabelUse shortUse) {
    ensureOpen();
    if (!shortensBranches) {
      return;
    }
    int index = fixups.size() - 1;
    Fixup fixup = index < 0 ? null : fixups.get(index);
    if (fixup == null || fixup.offset() + fixup.use().patchSize() != size || start >= fixup.offset()) {
      throw new IllegalStateException("no label use ends the branch at " + start + ".." + size);
    }
    if (!shortenable.isEmpty() && shortenable.getLast().end() > start) {
      throw new IllegalStateException("branch at " + start + " overlaps the one before it");
    }
    shortenable.add(new BranchShortening.Candidate(start, size, shortOpcode, shortUse));
    if (shortenable.size() > shortenableFixups.length) {
      shortenableFixups = Arrays.copyOf(shortenableFixups, 2 * shortenableFixups.length);
    }
    shortenableFixups[shortenable.size() - 1] = index;
  }

  // ---- islands ----

  /**
   * Whether an island must be placed now: whether, after {@code upcomingBytes} more bytes of code
   * and an island holding a veneer for every pending use that has one (shortest reach first) and
   * then {@code dataBytes} of the emitter's pending data, some pending use would be past its
   * deadline. The emitter calls this where an island may go and passes as {@code upcomingBytes}
   * the most it emits before it asks again, plus the jump over the island.
   */
  public boolean islandNeeded(int upcomingBytes, long dataBytes) {
    long before = (long) size + upcomingBytes;
    if (boundVersion != pending.version()) {
      boundDeadlines();
    }
    // Each test below adds some of the veneer bytes (and perhaps the data) to before and compares
    // the sum with one pending use's deadline: none can pass while even all of them reach no
    // deadline.
    if (before + allVeneerBytes + Math.max(dataBytes, 0) <= earliestDeadline) {
      return false;
    }
    long veneers = 0;
    // Index loops: the emitter asks this at every instruction, and the launcher's C1-only JIT
    // allocates every iterator (no escape analysis).
    List<PendingUses.OfKind> kinds = pending.kinds();
    for (int k = 0; k < kinds.size(); k++) {
      PendingUses.OfKind kind = kinds.get(k);
      if (kind.use.supportsVeneer()) {
        veneers += kind.veneerBytes();
        int head = pending.head(kind);
        if (head >= 0 && before + veneers > deadline(head)) {
          return true;
        }
      }
    }
    // A kind without veneers waits for data the emitter places after every veneer.
    for (int k = 0; k < kinds.size(); k++) {
      PendingUses.OfKind kind = kinds.get(k);
      int head = pending.head(kind);
      if (!kind.use.supportsVeneer() && head >= 0 && before + veneers + dataBytes > deadline(head)) {
        return true;
      }
    }
    return false;
  }

  /** Works out {@link #earliestDeadline} and {@link #allVeneerBytes} for the current pending uses. */
  private void boundDeadlines() {
    long earliest = Long.MAX_VALUE;
    long veneers = 0;
    List<PendingUses.OfKind> kinds = pending.kinds();
    for (int k = 0; k < kinds.size(); k++) {
      PendingUses.OfKind kind = kinds.get(k);
      veneers += kind.veneerBytes();
      int head = pending.head(kind);
      if (head >= 0) {
        earliest = Math.min(earliest, deadline(head));
      }
    }
    earliestDeadline = earliest;
    allVeneerBytes = veneers;
    boundVersion = pending.version();
  }

  /**
   * Places, at the current offset (inside an island the emitter jumps over), veneers for the
   * pending uses of every kind whose earliest deadline is near: within half the kind's reach, plus
   * {@code marginBytes} and the veneers placed before them, of here. Every use of such a kind is
   * served, so the kind that made {@link #islandNeeded} true is done with; a kind with plenty of
   * reach left waits for a later island.
   */
  public void emitDueVeneers(int marginBytes) {
    emitVeneers(false, marginBytes);
  }

  /**
   * Places veneers for every pending use that has one, at the current offset: for the end of a
   * function, before data that could otherwise push them out of reach.
   */
  public void emitAllVeneers() {
    emitVeneers(true, 0);
  }

  private void emitVeneers(boolean all, int marginBytes) {
    ensureOpen();
    Map<VeneerKey, Label> here = new HashMap<>();
    long veneers = 0;
    for (PendingUses.OfKind kind : List.copyOf(pending.kinds())) {
      if (!kind.use.supportsVeneer()) {
        continue;
      }
      veneers += kind.veneerBytes();
      int head = pending.head(kind);
      if (head < 0 || !all && (long) size + marginBytes + veneers + kind.use.maxPositiveRange() / 2 <= deadline(head)) {
        continue;
      }
      for (int index : List.copyOf(kind.queue)) {
        if (pending.isPending(index)) {
          redirectToVeneer(index, here);
        }
      }
    }
  }

  /** Points fixup {@code index} at a veneer here (made now, or shared) that goes on to its label. */
  private void redirectToVeneer(int index, Map<VeneerKey, Label> here) {
    Fixup fixup = fixups.get(index);
    LabelUse use = fixup.use();
    VeneerKey key = new VeneerKey(fixup.label(), use);
    Label veneer = here.get(key);
    if (veneer == null) {
      alignTo(Math.max(1, use.veneerAlignment()), (byte) 0);
      veneer = createLabel();
      bind(veneer);
      int veneerOffset = size;
      reserve(use.veneerSize());
      size += use.veneerSize();
      LabelUse.VeneerUse onward = use.generateVeneer(data, veneerOffset);
      useLabel(onward.offset(), fixup.label(), onward.use());
      here.put(key, veneer);
    }
    if (!inRange(use, fixup.offset(), labelOffsets[veneer.id()])) {
      throw outOfRange(fixup, labelOffsets[veneer.id()], "and the island came too late for it");
    }
    fixups.set(index, new Fixup(fixup.offset(), veneer, use));
    pending.markDone(index, use);
  }

  private long deadline(int fixupIndex) {
    Fixup fixup = fixups.get(fixupIndex);
    return fixup.offset() + fixup.use().maxPositiveRange();
  }

  // ---- trap sites and relocations ----

  /**
   * Records a trap with {@code trapCode} whose pc is {@code offset}: the return address of a call
   * toward the trap stub, the pc the stub records and the loader looks up.
   */
  public void addTrap(int offset, int trapCode) {
    ensureOpen();
    trapSites.add(new TrapSite(offset, trapCode));
  }

  /** Records a trap site at the current offset (call before emitting the trapping instruction). */
  public void addTrap(int trapCode) {
    addTrap(size, trapCode);
  }

  /** Records a relocation whose field starts at {@code offset}. */
  public void addReloc(int offset, RelocKind kind, long targetKey, long addend) {
    ensureOpen();
    relocs.add(new Reloc(offset, kind, targetKey, addend));
  }

  // ---- finishing ----

  /**
   * Patches every label use, appending veneers where a use cannot reach its label, and returns the
   * code with its relocations and trap sites. The buffer is closed afterwards.
   *
   * @throws CodeBufferException for an unbound label, a field outside the emitted bytes, or a target
   *     out of reach that no veneer can bridge
   */
  public FinishedCode finish() {
    ensureOpen();
    if (!shortenable.isEmpty()) {
      shortenBranches();
    }
    Deque<Fixup> work = new ArrayDeque<>(fixups);
    Map<VeneerKey, Integer> veneers = new HashMap<>();
    while (!work.isEmpty()) {
      Fixup fixup = work.removeFirst();
      int target = labelOffsets[fixup.label().id()];
      if (target == UNBOUND) {
        throw new CodeBufferException(fixup.label() + " is used at offset " + fixup.offset()
            + " (" + fixup.use() + ") but never bound");
      }
      if (fixup.offset() + fixup.use().patchSize() > size) {
        throw new CodeBufferException("label use at offset " + fixup.offset() + " (" + fixup.use()
            + ", " + fixup.use().patchSize() + " bytes) lies outside the " + size + " bytes emitted");
      }
      if (inRange(fixup.use(), fixup.offset(), target)) {
        fixup.use().patch(data, fixup.offset(), target);
        continue;
      }
      if (!fixup.use().supportsVeneer()) {
        throw outOfRange(fixup, target, "and it has no veneer");
      }
      VeneerKey key = new VeneerKey(fixup.label(), fixup.use());
      Integer veneerOffset = veneers.get(key);
      if (veneerOffset == null) {
        veneerOffset = appendVeneer(fixup, work);
        veneers.put(key, veneerOffset);
      }
      if (!inRange(fixup.use(), fixup.offset(), veneerOffset)) {
        throw outOfRange(fixup, target, "and cannot reach a veneer at offset " + veneerOffset);
      }
      fixup.use().patch(data, fixup.offset(), veneerOffset);
    }
    finished = true;
    return new FinishedCode(Arrays.copyOf(data, size), byOffset(relocs, Reloc::offset),
        byOffset(trapSites, TrapSite::offset));
  }

  /**
   * {@code list} in order of {@code offset}: itself when it is in that order already, as the emitter
   * records sites as it goes (and branch shortening keeps their order), else a sorted copy. One pass
   * of int compares, where a sort of the sorted list made a pass of comparator calls and a copy.
   * {@link FinishedCode} keeps the list it is given: the finished buffer writes no more sites.
   */
  private <T> List<T> byOffset(List<T> list, ToIntFunction<T> offset) {
    for (int i = 1; i < list.size(); i++) {
      if (offset.applyAsInt(list.get(i - 1)) > offset.applyAsInt(list.get(i))) {
        sorts++;
        List<T> sorted = new ArrayList<>(list);
        sorted.sort(Comparator.comparingInt(offset));
        return sorted;
      }
    }
    return list;
  }

  /**
   * Where the byte emitted at {@code offset} lies in the finished code, which is different only after
   * {@link #finish} shortened branches before it; for offsets an emitter recorded itself (source
   * mappings, call return addresses). Labels, label uses, trap sites and relocations are moved by
   * {@code finish}.
   */
  public int finalOffset(int offset) {
    if (!finished) {
      throw new IllegalStateException("final offsets are known once the buffer is finished");
    }
    return shortening == null ? offset : shortening.finalOffset(offset);
  }

  /**
   * Replaces each of the first {@code count} of {@code offsets}, offsets an emitter recorded itself
   * in the order it emitted them, with {@link #finalOffset} of it, in one walk ({@link
   * BranchShortening#toFinalOffsets}) rather than a search per offset.
   */
  public void toFinalOffsets(int[] offsets, int count) {
    if (!finished) {
      throw new IllegalStateException("final offsets are known once the buffer is finished");
    }
    if (shortening != null) {
      shortening.toFinalOffsets(offsets, count);
    }
  }

  /** How many times the branch shortening of the finished buffer searched its events (for tests). */
  int shorteningSearches() {
    return shortening == null ? 0 : shortening.searches;
  }

  /**
   * Replaces the marked long branches whose short forms reach their targets, moving every later byte,
   * label, label use, trap site and relocation back ({@link BranchShortening}). Runs before any
   * label use is patched, so every field still holds what the encoder left there.
   */
  private void shortenBranches() {
    int[] targets = new int[shortenable.size()];
    for (int k = 0; k < targets.length; k++) {
      Fixup fixup = fixups.get(shortenableFixups[k]);
      targets[k] = labelOffsets[fixup.label().id()];
      if (targets[k] == UNBOUND) {
        throw new CodeBufferException(fixup.label() + " is used at offset " + fixup.offset()
            + " (" + fixup.use() + ") but never bound");
      }
    }
    BranchShortening s = BranchShortening.choose(shortenable, paddings, targets);
    if (!s.changesLayout()) {
      return;
    }
    // One scratch buffer for every padding, emptied before each fill (which writes its bytes from
    // offset 0, as into a new buffer): a buffer per padding was over a dozen objects each.
    CodeBuffer scratch = new CodeBuffer(16);
    data = s.rewrite(data, size, (index, out, at, length) -> {
      scratch.size = 0;
      paddingFills.get(index).fill(scratch, length);
      System.arraycopy(scratch.data, 0, out, at, length);
    });
    size = data.length;
    for (int i = 0; i < labelCount; i++) {
      int offset = labelOffsets[i];
      if (offset != UNBOUND) {
        labelOffsets[i] = s.finalOffset(offset);
      }
    }
    // A branch's own label use moves with the branch, whose place among the events the choice knows
    // (BranchShortening#candidateShift): only the other uses are searched for, and a shortened
    // branch's use is moved once, into its short form, not moved long and then replaced. The
    // candidates' uses come in the order of the uses, as both are recorded as the code is emitted.
    int k = 0;
    int nextCandidateFixup = shortenableFixups[0];
    for (int i = 0; i < fixups.size(); i++) {
      Fixup f = fixups.get(i);
      if (i != nextCandidateFixup) {
        fixups.set(i, new Fixup(s.finalOffset(f.offset()), f.label(), f.use()));
        continue;
      }
      BranchShortening.Candidate c = shortenable.get(k);
      int shift = s.candidateShift(k);
      fixups.set(i, s.isShort[k] ? new Fixup(c.shortField(c.start() + shift), f.label(), c.shortUse())
          : new Fixup(f.offset() + shift, f.label(), f.use()));
      k++;
      nextCandidateFixup = k < shortenable.size() ? shortenableFixups[k] : -1;
    }
    // Loops, not replaceAll: its operator is a call from the JDK's one shared, megamorphic site per
    // element, and each a capture per function.
    for (int i = 0; i < trapSites.size(); i++) {
      TrapSite t = trapSites.get(i);
      trapSites.set(i, new TrapSite(s.finalOffset(t.offset()), t.trapCode()));
    }
    for (int i = 0; i < relocs.size(); i++) {
      Reloc r = relocs.get(i);
      relocs.set(i, new Reloc(s.finalOffset(r.offset()), r.kind(), r.targetKey(), r.addend()));
    }
    shortening = s;
  }

  private record VeneerKey(Label label, LabelUse use) {}

  private int appendVeneer(Fixup fixup, Deque<Fixup> work) {
    LabelUse use = fixup.use();
    alignTo(Math.max(1, use.veneerAlignment()), (byte) 0);
    int veneerOffset = size;
    reserve(use.veneerSize());
    size += use.veneerSize();
    LabelUse.VeneerUse veneerUse = use.generateVeneer(data, veneerOffset);
    work.addLast(new Fixup(veneerUse.offset(), fixup.label(), veneerUse.use()));
    return veneerOffset;
  }

  static boolean inRange(LabelUse use, int useOffset, int labelOffset) {
    long delta = (long) labelOffset - useOffset;
    return delta <= use.maxPositiveRange() && -delta <= use.maxNegativeRange();
  }

  private static CodeBufferException outOfRange(Fixup fixup, int target, String why) {
    long delta = (long) target - fixup.offset();
    return new CodeBufferException(fixup.label() + " at offset " + target + " is out of range of the "
        + fixup.use() + " use at offset " + fixup.offset() + " (distance " + delta + ", reach -"
        + fixup.use().maxNegativeRange() + "..+" + fixup.use().maxPositiveRange() + ") " + why);
  }

  private void reserve(int more) {
    if (size + more > data.length) {
      data = Arrays.copyOf(data, Math.max(data.length * 2, size + more));
    }
  }

  private void ensureOpen() {
    if (finished) {
      throw new IllegalStateException("code buffer is finished");
    }
  }

  private void checkOwn(Label label) {
    Objects.requireNonNull(label, "label");
    if (label.id() >= labelCount) {
      throw new IllegalArgumentException(label + " was not created by this buffer");
    }
  }
}
