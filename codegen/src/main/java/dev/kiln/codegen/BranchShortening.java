package dev.kiln.codegen;

import java.util.List;

/**
 * Which of a function's long branches can take their short form, and where every byte then lies.
 * The emitter writes each branch to a label in its long form, because a forward target's distance is
 * unknown when the branch is written; {@link CodeBuffer#allowShortForm} marks one that has a shorter
 * encoding for near targets (x86-64's {@code jcc rel8}, {@code jmp rel8}: SDM Vol. 2A "Jcc", "JMP").
 * Shortening a branch moves every later byte back, which brings other targets nearer, but can also
 * widen an alignment padding after it (a loop head aligned to 32 bytes, the 16-byte constant pool),
 * which moves a target further. So the choice is a fixed point over the whole layout: starting with
 * every branch long, each round makes short every branch whose short form reaches its target in the
 * current layout, and makes long for good every short one that no longer does; a branch changes at
 * most twice, and the last round, which changes nothing, has checked every short branch against the
 * final layout.
 *
 * <p>The result maps each offset of the code as emitted to its offset in the final code: every
 * offset at or after the end of a shortened branch moves back by the bytes saved, and every offset
 * after a padding moves by how much the padding grew or shrank.
 */
final class BranchShortening {
  /**
   * A long branch {@code [start, end)} that may become {@code shortOpcode} followed by a field of kind
   * {@code shortUse}.
   */
  record Candidate(int start, int end, byte[] shortOpcode, LabelUse shortUse) {
    int shortLength() {
      return shortOpcode.length + shortUse.patchSize();
    }

    /** Where the short form's field starts, for a short form starting at {@code at}. */
    int shortField(int at) {
      return at + shortOpcode.length;
    }
  }

  /** Padding {@code [start, start + length)} that keeps the next byte aligned to {@code alignment}. */
  record Padding(int start, int length, int alignment) {}

  private final List<Candidate> candidates;
  private final List<Padding> paddings;
  private final int[] labelTargets;
  /** The end of every candidate and padding, in order (the offsets from which a change applies). */
  private final int[] eventEnds;
  /** Per event in {@link #eventEnds}' order: index in candidates (>= 0) or -1 - index in paddings. */
  private final int[] eventOwner;
  /** Per event: the total change of offsets at or after its end. */
  private final int[] cumulative;
  /** Per padding: its length in the final code. */
  private final int[] paddingLengths;
  /**
   * Per candidate, how many events end at or before its start and at or before its target: found
   * once, as the emitted offsets never move, so each round's reach check is two lookups instead of
   * two binary searches over the events.
   */
  private final int[] eventsBeforeStart;
  private final int[] eventsBeforeTarget;
  /** {@link #eventsAtOrBefore}'s last answer, where its next search starts. */
  private int lastEventCount;
  /** How many times {@link #eventsAtOrBefore} searched the events (for tests). */
  int searches;
  /** Whether the last {@link #layOut} moved any offset: {@link #changesLayout}. */
  private boolean moves;
  final boolean[] isShort;

  /**
   * @param labelTargets per candidate, the emitted offset of the label it branches to
   */
  private BranchShortening(List<Candidate> candidates, List<Padding> paddings, int[] labelTargets) {
    this.candidates = candidates;
    this.paddings = paddings;
    this.labelTargets = labelTargets;
    int n = candidates.size() + paddings.size();
    eventEnds = new int[n];
    eventOwner = new int[n];
    cumulative = new int[n];
    paddingLengths = new int[paddings.size()];
    isShort = new boolean[candidates.size()];
    eventsBeforeStart = new int[candidates.size()];
    eventsBeforeTarget = new int[candidates.size()];
    int c = 0;
    int p = 0;
    for (int e = 0; e < n; e++) {
      boolean candidateNext = p == paddings.size()
          || (c < candidates.size() && candidates.get(c).start() < paddings.get(p).start());
      if (candidateNext) {
        // The events before a candidate in this order are those that end at or before its start,
        // as none overlaps another: its own index is what a search for its start would find.
        eventsBeforeStart[c] = e;
        eventEnds[e] = candidates.get(c).end();
        eventOwner[e] = c++;
      } else {
        Padding pad = paddings.get(p);
        eventEnds[e] = pad.start() + pad.length();
        eventOwner[e] = -1 - p++;
      }
    }
    for (int k = 0; k < candidates.size(); k++) {
      // The search gallops from the branch itself, as it did after a search for its start: a
      // target is mostly near its branch, and further from the target of the branch before.
      lastEventCount = eventsBeforeStart[k];
      eventsBeforeTarget[k] = eventsAtOrBefore(labelTargets[k]);
    }
  }

  /**
   * Chooses the short branches.
   *
   * @param candidates in order of offset, none overlapping a padding or another
   * @param paddings in order of offset
   * @param labelTargets per candidate, the emitted offset of its target
   */
  static BranchShortening choose(List<Candidate> candidates, List<Padding> paddings, int[] labelTargets) {
    BranchShortening s = new BranchShortening(candidates, paddings, labelTargets);
    boolean[] keptLong = new boolean[candidates.size()];
    boolean changed = true;
    while (changed) {
      s.layOut();
      changed = false;
      for (int k = 0; k < candidates.size(); k++) {
        boolean reaches = s.shortFormReaches(k);
        if (s.isShort[k] && !reaches) {
          s.isShort[k] = false;
          keptLong[k] = true;
          changed = true;
        } else if (!s.isShort[k] && !keptLong[k] && reaches) {
          s.isShort[k] = true;
          changed = true;
        }
      }
    }
    return s;
  }

  /** Whether any branch became short or any padding changed length: whether the code moves at all. */
  boolean changesLayout() {
    return moves;
  }

  /** Each event's {@link #cumulative} change in the current choice, and whether any is not zero. */
  private void layOut() {
    int running = 0;
    boolean moved = false;
    for (int e = 0; e < eventEnds.length; e++) {
      int owner = eventOwner[e];
      if (owner >= 0) {
        Candidate c = candidates.get(owner);
        running -= isShort[owner] ? c.end() - c.start() - c.shortLength() : 0;
      } else {
        Padding pad = paddings.get(-1 - owner);
        int start = pad.start() + running;
        int length = -start & (pad.alignment() - 1);
        paddingLengths[-1 - owner] = length;
        running += length - pad.length();
      }
      cumulative[e] = running;
      moved |= running != 0;
    }
    moves = moved;
  }

  private boolean shortFormReaches(int k) {
    Candidate c = candidates.get(k);
    int start = c.start() + shift(eventsBeforeStart[k]);
    int target = labelTargets[k] + shift(eventsBeforeTarget[k]);
    return CodeBuffer.inRange(c.shortUse(), c.shortField(start), target);
  }

  /**
   * Replaces each of the first {@code count} of {@code offsets} with where its byte lies in the final
   * code, in one walk along the events beside them: for an address map's offsets, which ascend as the
   * code was emitted, each costs the events it passes, where {@link #finalOffset} per offset was a
   * search (a call and a few probes each) for every one of a module's five million entries. Right in
   * any order; an offset below the one before it walks back.
   */
  void toFinalOffsets(int[] offsets, int count) {
    int n = eventEnds.length;
    int events = 0;
    for (int i = 0; i < count; i++) {
      int offset = offsets[i];
      while (events > 0 && eventEnds[events - 1] > offset) {
        events--;
      }
      while (events < n && eventEnds[events] <= offset) {
        events++;
      }
      offsets[i] = offset + shift(events);
    }
  }

  /** Where the byte emitted at {@code offset} lies in the final code. */
  int finalOffset(int offset) {
    return offset + shift(eventsAtOrBefore(offset));
  }

  /**
   * How far candidate {@code k} moves, and every byte of it with it (its label use's field): the
   * events before it are those {@link #eventsBeforeStart} counted, as no event ends inside it, so
   * this needs no search.
   */
  int candidateShift(int k) {
    return shift(eventsBeforeStart[k]);
  }

  /** How far the first {@code events} events move the bytes after them. */
  private int shift(int events) {
    return events == 0 ? 0 : cumulative[events - 1];
  }

  /**
   * How many events end at or before {@code offset}. The callers ask mostly in ascending order (the
   * label uses, trap sites, relocations and source positions of a function, each in the order it was
   * emitted), so the search gallops forward from the last answer (doubling steps, then a binary
   * search in the last step): a run of ascending questions costs about one step each instead of a
   * binary search over every event each, and a question out of order still costs a logarithm.
   */
  private int eventsAtOrBefore(int offset) {
    searches++;
    int n = eventEnds.length;
    int from = lastEventCount;
    int lo;
    int hi;
    if (from > 0 && eventEnds[from - 1] > offset) {
      lo = 0;
      hi = from - 1;
    } else {
      lo = from;
      int probe = from;
      for (int step = 1; probe < n && eventEnds[probe] <= offset; step <<= 1) {
        lo = probe + 1;
        probe = from + step;
      }
      hi = Math.min(probe, n);
    }
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (eventEnds[mid] <= offset) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    lastEventCount = lo;
    return lo;
  }

  /**
   * The final code: {@code code}'s first {@code size} bytes with each short branch as its opcode and a
   * zero field (patched with the other label uses) and each padding at its final length by {@code fill}.
   */
  byte[] rewrite(byte[] code, int size, PaddingWriter fill) {
    byte[] out = new byte[finalOffset(size)];
    int from = 0;
    int to = 0;
    for (int e = 0; e < eventEnds.length; e++) {
      int owner = eventOwner[e];
      int start = owner >= 0 ? candidates.get(owner).start() : paddings.get(-1 - owner).start();
      System.arraycopy(code, from, out, to, start - from);
      to += start - from;
      if (owner >= 0 && isShort[owner]) {
        Candidate c = candidates.get(owner);
        System.arraycopy(c.shortOpcode(), 0, out, to, c.shortOpcode().length);
        to += c.shortLength();
      } else if (owner >= 0) {
        Candidate c = candidates.get(owner);
        System.arraycopy(code, c.start(), out, to, c.end() - c.start());
        to += c.end() - c.start();
      } else {
        int length = paddingLengths[-1 - owner];
        fill.write(-1 - owner, out, to, length);
        to += length;
      }
      from = eventEnds[e];
    }
    System.arraycopy(code, from, out, to, size - from);
    return out;
  }

  /** Writes {@code length} bytes of padding {@code index} at {@code out[at]}. */
  interface PaddingWriter {
    void write(int index, byte[] out, int at, int length);
  }
}
