package dev.kiln.codegen;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The label uses of a {@link CodeBuffer} that cannot be patched yet with their target in reach: the
 * label is not bound yet (a forward branch), or it is bound beyond the field's reach (a backward
 * branch over more than it can span). Each has a deadline, the last offset its field can reach
 * forward ({@code use + maxPositiveRange()}): a veneer, or the label itself, must be placed at or
 * before it. The buffer asks {@link #firstMissedDeadline} whether an island is due and which uses
 * it must serve.
 *
 * <p>Uses are kept per kind, in a queue ordered by deadline: every use of one kind has the same
 * reach, and uses are recorded at growing offsets, so the order of arrival is the order of
 * deadlines. A use resolved by the binding of its label is only marked and skipped when it reaches
 * the head of its queue, so binding costs the label's own pending uses, not a search.
 */
final class PendingUses {
  /** The pending uses of one kind, oldest (earliest deadline) first. */
  static final class OfKind {
    final LabelUse use;
    final ArrayDeque<Integer> queue = new ArrayDeque<>();
    int live;

    OfKind(LabelUse use) {
      this.use = use;
    }

    /** Bytes an island holding a veneer for each live use of this kind needs, alignment included. */
    long veneerBytes() {
      return use.supportsVeneer() ? (long) live * (use.veneerSize() + use.veneerAlignment() - 1) : 0;
    }
  }

  /** Kinds seen so far, shortest forward reach first: the order an island places their veneers in. */
  private final List<OfKind> kinds = new ArrayList<>();
  /** Counts the changes to which uses are pending (adds and completions), for {@link #version}. */
  private int version;
  /** Per fixup index: pending (not yet resolved), and the next pending fixup of the same label. */
  private boolean[] pending = new boolean[64];
  private int[] nextOfLabel = new int[64];
  /** Per label id: the most recent pending fixup of that label, or -1. */
  private int[] headOfLabel = new int[64];

  PendingUses() {
    Arrays.fill(headOfLabel, -1);
  }

  /** Records fixup {@code index}, a use of {@code label} of kind {@code use}, as pending. */
  void add(int index, Label label, LabelUse use) {
    if (index >= pending.length) {
      int length = Math.max(pending.length * 2, index + 1);
      pending = Arrays.copyOf(pending, length);
      nextOfLabel = Arrays.copyOf(nextOfLabel, length);
    }
    if (label.id() >= headOfLabel.length) {
      int old = headOfLabel.length;
      headOfLabel = Arrays.copyOf(headOfLabel, Math.max(old * 2, label.id() + 1));
      Arrays.fill(headOfLabel, old, headOfLabel.length, -1);
    }
    pending[index] = true;
    nextOfLabel[index] = headOfLabel[label.id()];
    headOfLabel[label.id()] = index;
    OfKind kind = kind(use);
    kind.queue.addLast(index);
    kind.live++;
    version++;
  }

  /**
   * Calls {@code resolver} for each pending use of {@code label}; those it returns true for are no
   * longer pending (the label was bound in their reach).
   */
  void resolve(Label label, java.util.function.IntPredicate resolver, java.util.function.IntFunction<LabelUse> kindOf) {
    if (label.id() >= headOfLabel.length) {
      return;
    }
    int keep = -1;
    for (int i = headOfLabel[label.id()]; i >= 0; ) {
      int next = nextOfLabel[i];
      if (pending[i] && resolver.test(i)) {
        markDone(i, kindOf.apply(i));
      } else if (pending[i]) {
        nextOfLabel[i] = keep;
        keep = i;
      }
      i = next;
    }
    headOfLabel[label.id()] = keep;
  }

  /** Marks fixup {@code index} (of kind {@code use}) as served: patched directly, or via a veneer. */
  void markDone(int index, LabelUse use) {
    if (pending[index]) {
      pending[index] = false;
      kind(use).live--;
      version++;
    }
  }

  boolean isPending(int index) {
    return index < pending.length && pending[index];
  }

  /**
   * Changes whenever a use becomes pending or stops being pending: what the buffer's bound on its
   * deadlines ({@link CodeBuffer#islandNeeded}) is computed from.
   */
  int version() {
    return version;
  }

  /** The kinds in island order (shortest reach first). */
  List<OfKind> kinds() {
    return kinds;
  }

  /** The earliest pending use of {@code kind}, or -1; resolved uses at the head are dropped. */
  int head(OfKind kind) {
    while (!kind.queue.isEmpty() && !pending[kind.queue.peekFirst()]) {
      kind.queue.pollFirst();
    }
    return kind.queue.isEmpty() ? -1 : kind.queue.peekFirst();
  }

  private OfKind kind(LabelUse use) {
    // Indexed, not a for-each: an iterator per branch recorded was 0.5% of an AArch64 compile's
    // allocation, which the JIT did not remove.
    for (int i = 0; i < kinds.size(); i++) {
      OfKind k = kinds.get(i);
      if (k.use == use) {
        return k;
      }
    }
    OfKind k = new OfKind(use);
    kinds.add(k);
    kinds.sort(Comparator.comparingLong(o -> o.use.maxPositiveRange()));
    return k;
  }
}
