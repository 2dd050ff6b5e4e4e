package dev.kiln.codegen.regalloc;

import dev.kiln.deadline.CompileDeadline;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Linear scan over the pieces of one register class, after Wimmer and Moessenboeck, "Optimized Interval
 * Splitting in a Linear Scan Register Allocator" (VEE 2005): pieces are taken in order of start; a
 * piece gets the register that stays free longest, is split where its register stops being free, or
 * evicts the pieces needed again last, where a loop around the scan position that uses a value counts
 * as needing it up to the loop's end (section 5.2's loop handling). A piece that loses goes to its
 * vreg's spill slot up to the gap before its next register use, where a new piece starts and is
 * scanned again.
 *
 * <p>Fixed registers (clobbers, FIXED operands) are not pieces: they are blocked ranges per register
 * (FIXED operands) and clobbered positions per class ({@link ClobberPoints}) that no piece may
 * overlap, so a value live across a call ends up in a callee-saved register or is split around the
 * call. A value a landing pad reads has every register blocked for it alone from its call on ({@link
 * LandingPadValues}), so it is split there and goes to its slot.
 */
final class LinearScan {
  /** The class's allocatable registers, read per register at every step: an array (C1 inlines no list call). */
  private final PReg[] regs;
  private final int[][] blockedRanges;
  /**
   * Per register, for each of its blocked ranges (by index), the index of the first range after it
   * of another vreg ({@link #ownRunEnds}): a piece's own vreg's ranges never block it, and {@link
   * #nextBlockedRange} crosses a run of them in one step.
   */
  private final int[][] ownRunEnds;
  private static final int[] NO_RANGES = new int[0];
  /** Where instructions clobber the class's registers, and each register's bit in its masks. */
  private final ClobberPoints clobbers;
  private final long[] encodingBit;
  private final LandingPadValues landingPadValues;
  /**
   * The allocatable registers (bits by index into {@link #regs}) a function may use freely, and those
   * it must save to use: the order {@link #tryAllocateFree} tries them in, caller-saved first.
   */
  private final long[] byPreference = new long[2];
  private final AllocState state;
  /** Scan order: by start, then creation (ids are unique, so the order is total). */
  private static final Comparator<LiveInterval> SCAN_ORDER = (a, b) -> {
    int byStart = Integer.compare(a.start(), b.start());
    return byStart != 0 ? byStart : Integer.compare(a.id, b.id);
  };
  /**
   * The pieces {@link #add}ed before the scan, {@link #initialCount} of them, sorted once when it
   * starts: every vreg's first piece, tens of thousands per function, which a priority queue would
   * sift one by one.
   */
  private LiveInterval[] initial = new LiveInterval[16];
  private int initialCount;
  private int nextInitial;
  /** Pieces made during the scan (split tails, pieces to scan again). */
  private final PriorityQueue<LiveInterval> unhandled = new PriorityQueue<>(SCAN_ORDER);
  /**
   * The active pieces, in the order they became active: an array and a count, not a list (C1 does
   * not inline a list's calls, and the scan reads every active piece at every step). At most one
   * per register, so a removal's shift is short.
   */
  private LiveInterval[] active = new LiveInterval[16];
  /**
   * Per active piece, positions {@code [from, until)} it is known to cover (one of its ranges, from
   * where it was last asked): a step whose position lies inside needs no question to the piece. A
   * piece stays active over many steps, and asking it at every one (its bounds, its ranges) was the
   * scan's costliest per-step work; an active piece is never cut while active (cuts happen to the
   * piece being placed and to pieces taken out of the active and inactive sets), so the range stays true.
   */
  private int[] activeFrom = new int[16];
  private int[] activeUntil = new int[16];
  /** Per active piece, its register (index into {@link #regs}); and all their bits, as one mask. */
  private int[] activeReg = new int[16];
  private long activeRegs;
  private int activeCount;
  private final InactivePieces inactive = new InactivePieces();
  /**
   * Where each register is taken by the pieces given it, as far as the scan may ask: what it asks
   * about inactive pieces. A piece is recorded there when it first becomes inactive, not when it
   * gets its register: a register's active piece is never asked about (a register with one is not
   * free, and the eviction ranks it apart), and most pieces end while active (yosys: 316,000 of the
   * 5,020,000 pieces given a register ever became inactive), so recording every piece filled the
   * store's trees with ranges no question met. A piece that ends while active goes to {@link
   * #endedActive} instead, for the rare step back ({@link #recordEndedAfter}).
   */
  private final RegisterOccupancy occupancy;
  /**
   * The pieces that ended while active and are not in {@link #occupancy}, by end. A step's ended
   * pieces end after the previous step's position, so after every earlier one but its own batch
   * (or a step back's, which takes every later one out): an append, after a few shifts at most.
   */
  private LiveInterval[] endedActive = new LiveInterval[64];
  private int endedActiveCount;
  /**
   * What {@link #allocateBlocked} does with the pieces a register's walk meets, made once per scan
   * (a capturing lambda per walk would be an allocation per register per blocked piece): each
   * occupies its register (again for a piece met twice, which changes nothing), and on the register
   * taken, the inactive ones are gathered (once each, in meeting order) to be evicted.
   */
  private final RegisterOccupancy.MeetingVisitor occupyMet = (r, pos, at, it) -> {
    occupyInactive(r, it, pos);
    return true;
  };
  /**
   * Per register, its active piece during {@link #allocateBlocked}, else null: occupied before the
   * walks, so a walk that meets it (it covers the walk's start, and often more of cur) skips it.
   */
  private final LiveInterval[] activeOn;
  /**
   * {@link AllocState#loopUseFloor} at the position of the current {@link #allocateBlocked}: no loop
   * use bound there is lower, so {@link #occupy} asks for one only when it could lower a rank.
   */
  private int loopUseFloor;
  /**
   * The inactive pieces {@link #allocateBlocked}'s walk meets on the register it takes ({@link
   * #inactiveMetCount} entries, one per meeting, so a piece met twice is there twice), and their
   * {@code seq << 32 | index} keys: sorted, they give the pieces latest inactive first with a piece's
   * repeats side by side. Reused, where a LinkedHashSet, a list copy of it and a comparator sort were
   * made per blocked piece.
   */
  private LiveInterval[] inactiveMet = new LiveInterval[16];
  private long[] inactiveMetBySeq = new long[16];
  private int inactiveMetCount;
  private final RegisterOccupancy.MeetingVisitor collectInactiveMet = (r, pos, at, it) -> {
    if (inactive.contains(it)) {
      if (inactiveMetCount == inactiveMet.length) {
        inactiveMet = java.util.Arrays.copyOf(inactiveMet, 2 * inactiveMetCount);
        inactiveMetBySeq = java.util.Arrays.copyOf(inactiveMetBySeq, 2 * inactiveMetCount);
      }
      inactiveMetBySeq[inactiveMetCount] = inactive.seq(it) << 32 | inactiveMetCount;
      inactiveMet[inactiveMetCount++] = it;
    }
    return true;
  };
  private final int[] indexByEnc;
  private final int[] freeUntil;
  private final int[] nextUse;
  private final int[] evictionRank;
  private final int[] blockPos;
  /** The registers in {@link #allocateBlocked}'s order: by the rank their active pieces leave them. */
  private final int[] byRank;
  /**
   * Per register, where {@link #nextBlocked}'s last search began in its blocked ranges (a range's
   * index), and for which position: the scan's positions only grow (but for a split's re-scan), so
   * the next search goes on from there instead of searching the whole array again.
   */
  private final int[] blockedFrom;
  private final int[] blockedFromPos;
  /**
   * The first clobber at or after position {@link #clobberFromPos} (an entry's index) and its
   * position ({@link Integer#MAX_VALUE} past the last): the same for every register, so at one scan
   * position the registers after the first take it as it is, and a piece that ends before it (most
   * do) is answered without a step.
   */
  private int clobberFrom;
  private int clobberFromPos = Integer.MAX_VALUE;
  private int nextClobberPos;
  /**
   * Active pieces the scan's steps asked whether they still cover its position (at most one per
   * register each step, and only once the position leaves the range a piece was known to cover): for tests.
   */
  long activeVisits;
  /** Blocked ranges {@link #nextBlocked} looked at, and the searches it made: for tests. */
  long blockedSteps;
  /** Where-does-it-stop-being-free questions asked of a register for a piece: for tests. */
  long registerQuestions;
  /**
   * Pieces that found no register free ({@link #allocateBlocked}), the pieces {@link #occupy} ranked
   * for them, and the loop use bounds it searched for: for tests.
   */
  long blockedAllocations;
  long occupied;
  long loopUseQuestions;
  /** Registers whose blocked ranges {@link #allocateBlocked} searched, over all its calls: for tests. */
  long rankedRegisters;
  /** Loop ends looked up for a piece whose hint register is not free for all of it: for tests. */
  long loopEndQuestions;

  LinearScan(RegClass c, MachineEnv env, IntervalBuilder ib, LandingPadValues landingPadValues, AllocState state) {
    this.regs = env.allocatable(c).toArray(PReg[]::new);
    this.landingPadValues = landingPadValues;
    for (int r = 0; r < regs.length; r++) {
      byPreference[env.calleeSaved().contains(regs[r]) ? 1 : 0] |= 1L << r;
    }
    this.state = state;
    this.blockedRanges = new int[regs.length][];
    this.ownRunEnds = new int[regs.length][];
    this.clobbers = ib.clobbers(c);
    this.encodingBit = new long[regs.length];
    for (int r = 0; r < regs.length; r++) {
      blockedRanges[r] = ib.blocked(regs[r]);
      ownRunEnds[r] = ownRunEnds(blockedRanges[r]);
      encodingBit[r] = 1L << regs[r].hwEnc();
    }
    indexByEnc = new int[PReg.MAX_PER_CLASS];
    java.util.Arrays.fill(indexByEnc, -1);
    for (int r = 0; r < regs.length; r++) {
      indexByEnc[regs[r].hwEnc()] = r;
    }
    occupancy = new RegisterOccupancy(regs.length);
    freeUntil = new int[regs.length];
    nextUse = new int[regs.length];
    evictionRank = new int[regs.length];
    blockPos = new int[regs.length];
    byRank = new int[regs.length];
    blockedFrom = new int[regs.length];
    blockedFromPos = new int[regs.length];
    activeOn = new LiveInterval[regs.length];
    java.util.Arrays.fill(blockedFromPos, Integer.MAX_VALUE);
  }

  /** Adds a piece to scan; the pieces come in the order they were made (by {@code id}). */
  void add(LiveInterval piece) {
    if (initialCount > 0 && initial[initialCount - 1].id >= piece.id) {
      throw new IllegalArgumentException("piece " + piece.id + " added after piece "
          + initial[initialCount - 1].id);
    }
    if (initialCount == initial.length) {
      initial = java.util.Arrays.copyOf(initial, 2 * initialCount);
    }
    initial[initialCount++] = piece;
  }

  /**
   * Puts the initial pieces in {@link #SCAN_ORDER}: they came in id order, so a piece's index breaks
   * ties between starts as its id does, and one sort of {@code start << 32 | index} keys orders them,
   * where a sort by the comparator called it (two field loads from two pieces) per comparison.
   */
  private void sortInitial() {
    long[] keys = new long[initialCount];
    for (int k = 0; k < initialCount; k++) {
      keys[k] = (long) initial[k].start() << 32 | k;
    }
    SmallSorts.sort(keys, 0, initialCount);
    LiveInterval[] sorted = new LiveInterval[initialCount];
    for (int k = 0; k < initialCount; k++) {
      sorted[k] = initial[(int) keys[k]];
    }
    initial = sorted;
  }

  /** The next piece in {@link #SCAN_ORDER} of the initial ones and those made since, or null. */
  private LiveInterval nextUnhandled() {
    LiveInterval made = unhandled.peek();
    if (nextInitial < initialCount) {
      LiveInterval fromInitial = initial[nextInitial];
      if (made == null || SCAN_ORDER.compare(fromInitial, made) < 0) {
        nextInitial++;
        return fromInitial;
      }
    }
    return made == null ? null : unhandled.poll();
  }

  void run() {
    sortInitial();
    int lastPos = Integer.MIN_VALUE;
    long budget = 64L * (initialCount + 16) * (regs.length + 4) + 1_000_000L;
    for (LiveInterval cur = nextUnhandled(); cur != null; cur = nextUnhandled()) {
      if (--budget < 0) {
        throw new IllegalStateException("linear scan does not converge");
      }
      if ((budget & 0xFF) == 0) {
        CompileDeadline.poll();
      }
      int pos = cur.start();
      if (pos < lastPos) {
        recordEndedAfter(pos);
      }
      lastPos = pos;
      for (int k = activeCount - 1; k >= 0; k--) {
        if (activeFrom[k] <= pos && pos < activeUntil[k]) {
          continue;
        }
        LiveInterval it = active[k];
        activeVisits++;
        if (it.end() <= pos) {
          removeActive(k);
          if (!it.inOccupancy) {
            addEndedActive(it);
          }
          continue;
        }
        int until = it.coveredUntil(pos);
        if (until == pos) {
          removeActive(k);
          inactive.add(it, pos);
          if (!it.inOccupancy) {
            occupancy.add(regIndex(it.location), it);
          }
        } else {
          activeFrom[k] = pos;
          activeUntil[k] = until;
        }
      }
      List<LiveInterval> resumed = inactive.takeResumedBy(pos);
      for (int k = 0; k < resumed.size(); k++) {
        addActive(resumed.get(k), pos);
      }
      if (regs.length == 0) {
        spillCurrent(cur, pos);
        continue;
      }
      if (!tryAllocateFree(cur, pos)) {
        allocateBlocked(cur, pos);
      }
      if (cur.location instanceof PReg) {
        addActive(cur, pos);
      }
    }
  }

  /** Logs {@code piece}, which just ended while active, in {@link #endedActive}, keeping it by end. */
  private void addEndedActive(LiveInterval piece) {
    if (endedActiveCount == endedActive.length) {
      endedActive = java.util.Arrays.copyOf(endedActive, 2 * endedActiveCount);
    }
    int k = endedActiveCount++;
    for (; k > 0 && endedActive[k - 1].end() > piece.end(); k--) {
      endedActive[k] = endedActive[k - 1];
    }
    endedActive[k] = piece;
  }

  /**
   * The scan stepped back to {@code pos} (a piece evicted to its slot at a loop's top that needs a
   * register again before the scan position, when the loop's header is laid out before the block
   * that enters it): the pieces that ended while active after pos are asked about again, so they go
   * to {@link #occupancy}, as if every piece were recorded there when it got its register.
   */
  private void recordEndedAfter(int pos) {
    while (endedActiveCount > 0 && endedActive[endedActiveCount - 1].end() > pos) {
      LiveInterval it = endedActive[--endedActiveCount];
      endedActive[endedActiveCount] = null;
      occupancy.add(regIndex(it.location), it);
    }
  }

  /** Makes {@code piece}, which covers the scan position {@code pos}, active. */
  private void addActive(LiveInterval piece, int pos) {
    if (activeCount == active.length) {
      active = java.util.Arrays.copyOf(active, 2 * activeCount);
      activeFrom = java.util.Arrays.copyOf(activeFrom, 2 * activeCount);
      activeUntil = java.util.Arrays.copyOf(activeUntil, 2 * activeCount);
      activeReg = java.util.Arrays.copyOf(activeReg, 2 * activeCount);
    }
    int r = regIndex(piece.location);
    activeReg[activeCount] = r;
    activeRegs |= 1L << r;
    activeFrom[activeCount] = pos;
    activeUntil[activeCount] = piece.coveredUntil(pos);
    active[activeCount++] = piece;
  }

  /** Removes the {@code k}-th active piece, keeping the others' order. */
  private void removeActive(int k) {
    int after = activeCount - k - 1;
    activeRegs &= ~(1L << activeReg[k]);
    System.arraycopy(activeReg, k + 1, activeReg, k, after);
    System.arraycopy(active, k + 1, active, k, after);
    System.arraycopy(activeFrom, k + 1, activeFrom, k, after);
    System.arraycopy(activeUntil, k + 1, activeUntil, k, after);
    active[--activeCount] = null;
  }

  /** The active and inactive pieces this scan's steps looked at. */
  long visits() {
    return activeVisits + inactive.visits;
  }

  /** Times the scan's inactive pieces were searched for the one resuming first: for tests. */
  long inactiveFirstLookups() {
    return inactive.firstLookups;
  }

  /** Ranges the scan recorded in its occupancy store: for tests. */
  long recordedRanges() {
    return occupancy.recorded;
  }

  /** The steps this scan's questions about where pieces meet took. */
  long intersectionSteps() {
    return occupancy.steps;
  }

  private int regIndex(Allocation a) {
    return a instanceof PReg p ? indexByEnc[p.hwEnc()] : -1;
  }

  /**
   * The first position at or after {@code pos} where register {@code r} is blocked (for anyone but
   * the piece's own vreg) or clobbered while {@code cur} is live: the earlier of its blocked ranges'
   * answer and its clobbers', which are only searched up to that one.
   */
  private int nextBlocked(int r, LiveInterval cur, int pos, int first) {
    int blocked = nextBlockedRange(r, cur, pos, first);
    return clobbers.mayClobber(encodingBit[r]) ? firstClobbered(r, cur, pos, first, blocked) : blocked;
  }

  /**
   * The first position at or after {@code pos} where a blocked range of register {@code r} (but
   * the piece's own vreg's) meets {@code cur}. Blocked ranges are at most two positions long and
   * sorted by start. The walk alternates between cur's ranges and the register's: inside each range of
   * cur it looks at the blocked ranges that start there, and over each of cur's holes it jumps, by a
   * search on either side, to where the other continues. A piece live at its site and again in a slow
   * path laid out at the function's end (a lazy table slot's initialisation) has a hole over the rest
   * of the function, where every later call blocks the register; walking those ranges one by one cost
   * each such piece the function's length (red team 27 F1: n {@code call_indirect}s or {@code
   * table.get}s in one function, quadratic). {@code first} is {@link RegisterOccupancy#firstRange}{@code
   * (cur, pos)}, found once for all registers; the first search in the register's ranges starts from
   * the last one's result: the scan's positions only grow (but for a split's re-scan).
   */
  private int nextBlockedRange(int r, LiveInterval cur, int pos, int first) {
    int[] b = blockedRanges[r];
    if (b.length == 0) {
      return Integer.MAX_VALUE; // most caller-saved registers: clobbered, never FIXED
    }
    // j indexes b's ranges, three ints each. A range starting before x - 2 ends before x: every
    // range before j has ended by the position searched for.
    int j = firstAtOrAfter(b, 3, b.length, pos >= blockedFromPos[r] ? blockedFrom[r] : 0, pos - 2);
    blockedFrom[r] = j;
    blockedFromPos[r] = pos;
    int ranges = b.length / 3;
    int[] runEnds = ownRunEnds[r];
    int count = cur.rangeCount();
    for (int i = first; i < count && j < ranges; ) {
      int at = Math.max(cur.rangeFrom(i), pos);
      int to = cur.rangeTo(i);
      while (j < ranges && b[3 * j] < to) {
        blockedSteps++;
        if (b[3 * j + 2] == cur.vreg) {
          // cur's own vreg's ranges never block it, and a value passed in this register to each of
          // many calls has one range at each, in a row: crossed in one step. Walked one by one, the
          // vmctx, cut at each call's unwind edge inside a try_table, walked all its ranges from
          // each of its pieces (red team 9 F2 and 32 F3's shapes: n calls, n^2 steps)
          j = runEnds[j];
        } else if (b[3 * j + 1] > at) {
          return Math.max(b[3 * j], at);
        } else {
          j++;
        }
      }
      if (j == ranges) {
        break;
      }
      // The register's next range starts at or after this range of cur ends: on to cur's range that
      // ends after it, and to the register's ranges that can reach into that one.
      i = cur.firstEndingAfter(b[3 * j]);
      if (i < count) {
        j = firstAtOrAfter(b, 3, b.length, j, cur.rangeFrom(i) - 2);
      }
    }
    return Integer.MAX_VALUE;
  }

  /**
   * For each of the blocked ranges {@code b} (three ints each, the third the vreg whose range it is),
   * the index of the first range after it of another vreg, or the range count.
   */
  static int[] ownRunEnds(int[] b) {
    int ranges = b.length / 3;
    if (ranges == 0) {
      return NO_RANGES; // most registers, for every function
    }
    int[] ends = new int[ranges];
    for (int j = ranges - 1; j >= 0; j--) {
      ends[j] = j + 1 < ranges && b[3 * j + 5] == b[3 * j + 2] ? ends[j + 1] : j + 1;
    }
    return ends;
  }

  /**
   * The first position in {@code [pos, limit)} where an instruction clobbers register {@code r} while
   * {@code cur} is live, or {@code limit}. A clobber blocks the one position of its LATE point, for
   * any vreg. Like {@link #nextBlockedRange}, the walk jumps over cur's holes by a search on either
   * side (red team 27 F1: calls in a piece's hole cost it no step each).
   */
  private int firstClobbered(int r, LiveInterval cur, int pos, int first, int limit) {
    int[] at = clobbers.positions();
    int n = clobbers.count();
    if (pos != clobberFromPos) {
      clobberFrom = firstAtOrAfter(at, 1, n, pos > clobberFromPos ? clobberFrom : 0, pos);
      clobberFromPos = pos;
      nextClobberPos = clobberFrom < n ? at[clobberFrom] : Integer.MAX_VALUE;
    }
    // No clobber at or past cur's end meets it: most pieces end before the next call, and that test
    // spares the search of their ranges for one reaching past it.
    int stop = Math.min(limit, cur.end());
    if (nextClobberPos >= stop) {
      return limit;
    }
    int k = clobberFrom;
    long bit = encodingBit[r];
    int count = cur.rangeCount();
    for (int i = first; i < count && k < n && at[k] < stop; ) {
      blockedSteps++;
      int p = at[k];
      if (cur.rangeTo(i) <= p) {
        i = cur.firstEndingAfter(p); // cur's range that reaches past this clobber
      } else if (cur.rangeFrom(i) > p) {
        k = firstAtOrAfter(at, 1, n, k, cur.rangeFrom(i)); // the clobbers from that range's start
      } else if ((clobbers.mask(k) & bit) != 0) {
        return p;
      } else {
        k++;
      }
    }
    return limit;
  }

  /**
   * The first of the entries of {@code b} (by index, {@code stride} ints an entry, the first of them
   * its start; {@code length} ints in use) from entry {@code from} on that starts at or after {@code
   * key}, or the entry count: a galloping search (entries from, from + 1, from + 3, from + 7..., then
   * a binary search between the last two), so a short way costs a few steps and a long one its log.
   * No division by the stride (C1 divides with idiv).
   */
  private int firstAtOrAfter(int[] b, int stride, int length, int from, int key) {
    int lo = from;
    int probe = from;
    for (int step = 1; stride * probe < length && b[stride * probe] < key; step <<= 1) {
      blockedSteps++;
      lo = probe + 1;
      probe += step;
    }
    // Every entry before lo starts before key; probe is past the end or starts at or after key.
    int hi = probe;
    while (lo < hi) {
      blockedSteps++;
      int mid = (lo + hi) >>> 1;
      if (stride * mid < length && b[stride * mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * Gives {@code cur} a register free for all of it, or for a prefix of it (then split there), and
   * says whether it did. How long a register stays free ({@link #askFreeUntil}) is asked lazily, in
   * the order the choices are tried (the hint, then caller-saved, then callee-saved registers), up to
   * the first register that fits the whole piece: the register that stays free longest, which needs
   * every register's answer, is only wanted when none fits. Each answer depends on its register
   * alone, so the choice is the same as with every register asked first; but most pieces fit their
   * hint or one of the first registers tried, and asking a register (a search of its blocked ranges
   * and of its pieces ahead) is most of a piece's cost in the scan.
   */
  private boolean tryAllocateFree(LiveInterval cur, int pos) {
    int registerless = landingPadValues.nextRegisterless(cur, pos);
    int first = RegisterOccupancy.firstRange(cur, pos);
    // The registers asked below, by bit: their freeUntil holds the answer. A register with an active
    // piece is free nowhere from pos on; it is not asked, and counts as free until 0.
    long asked = 0;
    int end = cur.end();
    int hint = regIndex(state.hint(cur));
    if (hint >= 0) {
      freeUntil[hint] = askFreeUntil(hint, cur, pos, first, registerless);
      asked |= 1L << hint;
      if (freeUntil[hint] >= end) {
        assign(cur, hint);
        return true;
      }
    }
    // A loop-carried value whose header register is free to the loop's end but not to the value's
    // (a call after the loop clobbers it): that register for the loop, a copy once at the exit,
    // instead of a copy into the header's register on every back edge.
    // Only a hint register free past pos can take the loop (most often it is taken where it was
    // asked: an active piece holds it), and the loop's end is not looked up then.
    int loopEnd = -1;
    if (hint >= 0 && freeUntil[hint] > pos) {
      loopEndQuestions++;
      loopEnd = state.carriedLoopEnd(cur, pos);
    }
    if (loopEnd > pos && loopEnd < end && freeUntil[hint] >= loopEnd) {
      int split = Positions.evenFloor(loopEnd);
      if (split > pos) {
        assign(cur, hint);
        unhandled.add(state.split(cur, split));
        return true;
      }
    }
    // Whole fits: caller-saved first (free to use), then callee-saved (costs a save in the prologue),
    // each by index. The hint (did not fit) and the registers held by active pieces are left out.
    for (int pass = 0; pass < 2; pass++) {
      for (long candidates = byPreference[pass] & ~asked & ~activeRegs; candidates != 0;
          candidates &= candidates - 1) {
        int r = Long.numberOfTrailingZeros(candidates);
        freeUntil[r] = askFreeUntil(r, cur, pos, first, registerless);
        asked |= 1L << r;
        if (freeUntil[r] >= end) {
          assign(cur, r);
          return true;
        }
      }
    }
    // The register free longest, the lowest index of those: an unasked one (free until 0) never
    // gives a split after pos.
    int best = -1;
    for (long candidates = asked; candidates != 0; candidates &= candidates - 1) {
      int r = Long.numberOfTrailingZeros(candidates);
      if (best < 0 || freeUntil[r] > freeUntil[best]) {
        best = r;
      }
    }
    int split = best < 0 ? pos : Positions.evenFloor(freeUntil[best]);
    if (split <= pos) {
      return false;
    }
    assign(cur, best);
    unhandled.add(state.split(cur, split));
    return true;
  }

  /**
   * The first position at or after {@code pos} where register {@code r} stops being free for {@code
   * cur}: 0 when an active piece holds it, else where a blocked range of the register, a position
   * where cur may have no register ({@code registerless}) or a piece ahead on the register (asked
   * of a register without an active piece, whose ranges from pos on are those of its inactive pieces,
   * all in {@link #occupancy}) first meets cur.
   */
  private int askFreeUntil(int r, LiveInterval cur, int pos, int first, int registerless) {
    registerQuestions++;
    if ((activeRegs & (1L << r)) != 0) {
      return 0;
    }
    int until = Math.min(nextBlocked(r, cur, pos, first), registerless);
    return until > pos ? Math.min(until, occupancy.firstMeeting(r, cur, pos, first, until)) : until;
  }

  /**
   * No register is free for all of {@code cur}: the register whose pieces are needed again last is
   * taken from them (or {@code cur} goes to its slot when it is needed later still). "Needed again"
   * is the next register use, and for a value that a loop around {@code pos} uses anywhere, at most
   * just before that loop's end ({@link AllocState#loopUseBound}): a loop-carried value used only at the loop's
   * top looks unused for the rest of the body in linear order, but is needed on every iteration.
   */
  private void allocateBlocked(LiveInterval cur, int pos) {
    int registerless = landingPadValues.nextRegisterless(cur, pos);
    int first = RegisterOccupancy.firstRange(cur, pos);
    blockedAllocations++;
    loopUseFloor = state.loopUseFloor(pos);
    java.util.Arrays.fill(nextUse, Integer.MAX_VALUE);
    java.util.Arrays.fill(evictionRank, Integer.MAX_VALUE);
    java.util.Arrays.fill(activeOn, null);
    // The active pieces' ranks first, without their loop use bounds: asked once the register's
    // blocked ranges are known, they are asked where they were (where those leave the rank above
    // the floor), and only of the registers ranked in full.
    for (int k = 0; k < activeCount; k++) {
      LiveInterval it = active[k];
      int r = activeReg[k];
      activeOn[r] = it;
      rankByNextUse(r, it, pos);
    }
    // What a register's blocked ranges, its active piece's loop use bound and its inactive pieces
    // add can only lower the rank its active piece leaves it (each is a minimum): taken in the
    // order of those ranks, best first, the registers after one that cannot outrank the best found
    // so far cannot either, and one whose blocked ranges already put it below needs no walk of its
    // inactive pieces. The register chosen is the one ranking every register gave. In yosys's compile,
    // 3.1 million registers' blocked ranges searched where 4.9 million were, and the occupancy
    // walks' steps (with the free registers' questions) 1.5 million where 3.4.
    for (int r = 0; r < regs.length; r++) {
      int j = r;
      for (; j > 0 && outranks(r, byRank[j - 1]); j--) {
        byRank[j] = byRank[j - 1];
      }
      byRank[j] = r;
    }
    int best = -1;
    for (int j = 0; j < regs.length && (best < 0 || outranks(byRank[j], best)); j++) {
      int r = byRank[j];
      registerQuestions++;
      rankedRegisters++;
      blockPos[r] = Math.min(nextBlocked(r, cur, pos, first), registerless);
      int blocked = Positions.evenFloor(blockPos[r]);
      nextUse[r] = Math.min(nextUse[r], blocked);
      evictionRank[r] = Math.min(evictionRank[r], blocked);
      if (activeOn[r] != null) {
        boundByLoopUse(r, activeOn[r], pos);
      }
      if (best >= 0 && !outranks(r, best)) {
        continue;
      }
      // An inactive piece matters only where it meets cur before cur's register is blocked anyway (cur
      // is cut there when it takes that register).
      occupancy.walk(r, cur, pos, first, blockPos[r], occupyMet);
      if (best < 0 || outranks(r, best)) {
        best = r;
      }
    }
    int firstRegUse = cur.firstRegUseAtOrAfter(pos);
    boolean canSpillCur = Positions.evenFloor(firstRegUse) > pos;
    int rank = evictionRank[best];
    if (canSpillCur && rank < firstRegUse
        && (rank < loopUseFloor || rank < state.loopUseBound(cur.vreg, pos))) {
      spillCurrent(cur, pos);
      return;
    }
    if (nextUse[best] <= pos) {
      throw new RegAllocException(Positions.inst(pos), "no " + cur.regClass + " register left for v"
          + cur.vreg + ": more values need a register here than there are registers");
    }
    assign(cur, best);
    int blockedAt = Positions.evenFloor(blockPos[best]);
    if (blockedAt < cur.end()) {
      unhandled.add(state.split(cur, blockedAt));
    }
    for (int k = activeCount - 1; k >= 0; k--) {
      LiveInterval it = active[k];
      if (it != cur && activeReg[k] == best) {
        removeActive(k);
        evict(it, pos);
      }
    }
    // The active pieces on register best are gone from it: what cur still meets there is inactive.
    // Latest inactive first, as the scan has always taken them: the split pieces' ids break ties in
    // the scan order.
    inactiveMetCount = 0;
    occupancy.walk(best, cur, pos, RegisterOccupancy.firstRange(cur, pos), cur.end(), collectInactiveMet);
    int count = inactiveMetCount;
    SmallSorts.sort(inactiveMetBySeq, 0, count);
    for (int k = count - 1; k >= 0; k--) {
      if (k + 1 < count && inactiveMetBySeq[k] >>> 32 == inactiveMetBySeq[k + 1] >>> 32) {
        continue; // a piece met again: evicted already
      }
      LiveInterval it = inactiveMet[(int) inactiveMetBySeq[k]];
      inactive.remove(it);
      evict(it, pos);
    }
  }

  /**
   * Whether register {@code r} ranks above register {@code s} for {@link #allocateBlocked}: its pieces
   * are needed again later ({@link #evictionRank}), or as late and next used later, or both alike
   * and r comes first.
   */
  private boolean outranks(int r, int s) {
    if (evictionRank[r] != evictionRank[s]) {
      return evictionRank[r] > evictionRank[s];
    }
    return nextUse[r] != nextUse[s] ? nextUse[r] > nextUse[s] : r < s;
  }

  /** {@link #occupy}, unless {@code it} is register {@code r}'s active piece, which is occupied already. */
  private void occupyInactive(int r, LiveInterval it, int pos) {
    if (it != activeOn[r]) {
      occupy(r, it, pos);
    }
  }

  private void occupy(int r, LiveInterval it, int pos) {
    rankByNextUse(r, it, pos);
    boundByLoopUse(r, it, pos);
  }

  /** Lowers register {@code r}'s next use and rank to where {@code it} can give up the register. */
  private void rankByNextUse(int r, LiveInterval it, int pos) {
    occupied++;
    int until = evictableUntil(it, pos);
    nextUse[r] = Math.min(nextUse[r], until);
    evictionRank[r] = Math.min(evictionRank[r], until);
  }

  /**
   * Lowers register {@code r}'s rank to {@code it}'s loop use bound, which is asked for only where it
   * could lower the rank: above the {@link #loopUseFloor}, below which no bound lies.
   */
  private void boundByLoopUse(int r, LiveInterval it, int pos) {
    if (evictionRank[r] > loopUseFloor) {
      loopUseQuestions++;
      evictionRank[r] = Math.min(evictionRank[r], state.loopUseBound(it.vreg, pos));
    }
  }

  /**
   * The position up to which {@code it} can give up its register from {@code pos} on: the gap before
   * its next register use. A piece may not be cut at the LATE point of the instruction that writes it
   * at the EARLY point (the store to the slot would run before the value exists); such a piece can
   * only move to the slot as a whole, from its definition on.
   */
  private int evictableUntil(LiveInterval it, int pos) {
    if (wholeOnly(it, pos)) {
      int until = Positions.evenFloor(it.firstRegUseAtOrAfter(it.start()));
      return it.start() == state.defPosition(it.vreg) && until > pos ? until : pos;
    }
    return Positions.evenFloor(it.firstRegUseAtOrAfter(pos));
  }

  private boolean wholeOnly(LiveInterval it, int pos) {
    return (pos & 1) == 1 && it.start() < pos && state.definedAtEarlyOf(it.vreg, Positions.inst(pos));
  }

  /**
   * Takes {@code it}'s register from {@code pos} on; the value moves to its slot there, or earlier at
   * the top of a loop that does not use it ({@link AllocState#spillPosition}). Freeing the register
   * earlier than the scan position is safe: every piece scanned since then saw it taken.
   */
  private void evict(LiveInterval it, int pos) {
    int r = regIndex(it.location);
    LiveInterval tail;
    if (it.start() >= pos || wholeOnly(it, pos)) {
      occupancy.remove(r, it);
      tail = it;
      tail.location = null;
    } else {
      tail = state.split(it, state.spillPosition(it, pos));
      occupancy.cut(r, it, tail);
    }
    spillUntilNextRegUse(tail, pos);
  }

  private void spillCurrent(LiveInterval cur, int pos) {
    int firstRegUse = cur.firstRegUseAtOrAfter(pos);
    if (firstRegUse != Integer.MAX_VALUE && Positions.evenFloor(firstRegUse) <= pos) {
      throw new RegAllocException(Positions.inst(pos), "no " + cur.regClass + " register for v" + cur.vreg);
    }
    spillUntilNextRegUse(cur, pos);
  }

  /**
   * Puts {@code piece} in its vreg's slot up to the gap before its next register use, which lies
   * after the scan position {@code pos} (the reload is never placed before it).
   */
  private void spillUntilNextRegUse(LiveInterval piece, int pos) {
    int use = piece.firstRegUseAtOrAfter(piece.start());
    if (use == Integer.MAX_VALUE) {
      state.spill(piece);
      return;
    }
    int split = Positions.evenFloor(use);
    if (split > piece.start()) {
      split = state.reloadPosition(Math.max(piece.start(), pos), split);
    }
    if (split <= piece.start()) {
      piece.location = null;
      unhandled.add(piece);
      return;
    }
    LiveInterval rest = state.split(piece, split);
    state.spill(piece);
    unhandled.add(rest);
  }

  private void assign(LiveInterval cur, int r) {
    cur.location = regs[r];
  }
}
