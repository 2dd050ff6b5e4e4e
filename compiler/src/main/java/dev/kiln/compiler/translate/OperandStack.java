package dev.kiln.compiler.translate;

import java.util.Arrays;

/**
 * The wasm operand stack of the function being translated, as SSA values (spec 4.2.13 "stack"; the
 * validator has proven every pop finds its value, so nothing here checks). Its own class because the
 * control frames, the operators and the GC spills around calls all read it: a frame remembers its
 * height, a safepoint spills the GC references below a call's operands by position.
 */
final class OperandStack {
  private int[] values = new int[16];
  private int sp;

  void push(int value) {
    if (sp == values.length) {
      values = Arrays.copyOf(values, sp * 2);
    }
    values[sp++] = value;
  }

  void pushAll(int[] pushed) {
    for (int v : pushed) {
      push(v);
    }
  }

  int pop() {
    return values[--sp];
  }

  int peek() {
    return values[sp - 1];
  }

  int[] popN(int n) {
    sp -= n;
    return Arrays.copyOfRange(values, sp, sp + n);
  }

  int[] peekN(int n) {
    return Arrays.copyOfRange(values, sp - n, sp);
  }

  /** How many values the stack holds. */
  int height() {
    return sp;
  }

  /** Drops every value above {@code height} (a construct's end or else: its frame's base). */
  void truncate(int height) {
    sp = height;
  }

  /** The value at {@code position}, counted from the bottom. */
  int get(int position) {
    return values[position];
  }

  /** Replaces the value at {@code position} (a GC reference reloaded after a safepoint). */
  void set(int position, int value) {
    values[position] = value;
  }
}
