package dev.kiln.compiler.translate;

import java.util.Arrays;

/**
 * The wasm operand stack of the function being translated, as SSA values (spec 4.2.13 "stack"; the
 * validator has proven every pop finds its value, so nothing here checks). Its own class because the
 * control frames, the operators and the GC spills around calls all read it: a frame remembers its
 * height, a safepoint spills the GC references below a call's operands by position.
 *
 * <p>A position may be <em>resident</em> ({@link #makeResident}): its GC reference lives in a frame
 * slot the collector rewrites ({@link SafepointSpills}' frame-resident form), and the SSA value kept
 * for it is the one from before, which says only its type. Taking a resident value off the stack
 * ({@link #pop}, {@link #peek} and the rest) loads it from its slot where it is taken, so no
 * address from before a safepoint is used after it.
 */
final class OperandStack {
  /** Loads the reference resident at a position from its slot, as a new SSA value. */
  interface SlotLoads {
    /** The value of resident {@code position}, which held {@code before} when it was stored. */
    int load(int position, int before);
  }

  private int[] values = new int[16];
  private boolean[] resident = new boolean[16];
  private int sp;
  /** No position below this has been popped or replaced since {@link #markExamined}. */
  private int unchangedBelow;
  private SlotLoads slotLoads;

  /** Where resident positions are loaded from: set before any position is made resident. */
  void loadResidentFrom(SlotLoads loads) {
    this.slotLoads = loads;
  }

  void push(int value) {
    if (sp == values.length) {
      values = Arrays.copyOf(values, sp * 2);
      resident = Arrays.copyOf(resident, sp * 2);
    }
    resident[sp] = false;
    values[sp++] = value;
  }

  void pushAll(int[] pushed) {
    for (int v : pushed) {
      push(v);
    }
  }

  int pop() {
    truncate(sp - 1);
    return take(sp);
  }

  /** Pops the top value without using it ({@code drop}): a resident one is not loaded. */
  void drop() {
    truncate(sp - 1);
  }

  int peek() {
    return take(sp - 1);
  }

  int[] popN(int n) {
    int[] taken = peekN(n);
    truncate(sp - n);
    return taken;
  }

  int[] peekN(int n) {
    int[] taken = new int[n];
    for (int i = 0; i < n; i++) {
      taken[i] = take(sp - n + i);
    }
    return taken;
  }

  /** The value at {@code position}, loaded from its slot when it is resident. */
  private int take(int position) {
    return resident[position] ? slotLoads.load(position, values[position]) : values[position];
  }

  /** How many values the stack holds. */
  int height() {
    return sp;
  }

  /** Drops every value above {@code height} (a construct's end or else: its frame's base). */
  void truncate(int height) {
    sp = height;
    unchangedBelow = Math.min(unchangedBelow, height);
  }

  /**
   * The value at {@code position}, counted from the bottom, as kept: for a resident position the
   * value it held when it was stored, which only its type and GC mark may be read from.
   */
  int get(int position) {
    return values[position];
  }

  /** Replaces the value at {@code position} (a GC reference reloaded after a safepoint). */
  void set(int position, int value) {
    values[position] = value;
    resident[position] = false;
    unchangedBelow = Math.min(unchangedBelow, position);
  }

  /** Whether {@code position}'s value lives in a frame slot ({@link #makeResident}). */
  boolean isResident(int position) {
    return resident[position];
  }

  /** From now on {@code position}'s value is the one in its slot, loaded where it is taken. */
  void makeResident(int position) {
    resident[position] = true;
  }

  /**
   * The height below which every position is as it was when last {@link #markExamined examined}:
   * not popped, replaced or pushed since.
   */
  int unchangedBelow() {
    return unchangedBelow;
  }

  /** The positions below {@code height} were examined: {@link #unchangedBelow} is at least that. */
  void markExamined(int height) {
    unchangedBelow = Math.max(unchangedBelow, height);
  }
}
