package dev.kiln.wasm.code;

import dev.kiln.wasm.MalformedException;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What a module's function bodies together tell the stages after them, gathered while their
 * instructions are read: which tables code writes, where code first names a data segment, and where
 * it first uses exception handling. Whoever reads every body's instructions anyway gathers them:
 * the decoder's scan ({@code dev.kiln.wasm.decode}), or, when the decoder leaves the bodies to it,
 * validation ({@code Validator.validateUnscanned}), on one thread or several, each with its
 * own instance {@link #merge}d at the end. So which instructions count is decided here once.
 *
 * <p>Not thread-safe: one instance per reading thread.
 */
public final class BodyFacts {
  private final Set<Integer> tablesWritten = new HashSet<>();
  private int firstDataIndexUse = -1;
  private int firstExceptionUse = -1;

  /** Nothing seen yet. */
  public BodyFacts() {}

  /** Notes the instruction {@code reader} has just read, {@code op}, of a function body. */
  public void note(Opcode op, InstructionReader reader) {
    switch (op) {
      case MEMORY_INIT, DATA_DROP -> firstDataIndexUse = earlier(firstDataIndexUse, reader.instructionStart());
      // table.copy's first index is its destination; table.init names the segment first
      case TABLE_SET, TABLE_FILL, TABLE_GROW, TABLE_COPY -> tablesWritten.add(reader.index());
      case TABLE_INIT -> tablesWritten.add(reader.secondIndex());
      default -> {}
    }
    if (op.isException()) {
      firstExceptionUse = earlier(firstExceptionUse, reader.instructionStart());
    }
  }

  /** Adds what {@code other} saw, as if this instance had read its bodies too. */
  public void merge(BodyFacts other) {
    tablesWritten.addAll(other.tablesWritten);
    firstDataIndexUse = earlier(firstDataIndexUse, other.firstDataIndexUse);
    firstExceptionUse = earlier(firstExceptionUse, other.firstExceptionUse);
  }

  /** The tables (index space, imports first) some body names as the destination of a write. */
  public Set<Integer> tablesWritten() {
    return Set.copyOf(tablesWritten);
  }

  /** The module offset of the first {@code memory.init} or {@code data.drop}, or -1. */
  public int firstDataIndexUse() {
    return firstDataIndexUse;
  }

  /** The module offset of the first exception handling instruction, or -1. */
  public int firstExceptionUse() {
    return firstExceptionUse;
  }

  /**
   * Spec 5.5.14: code that names a data segment ({@code memory.init}, {@code data.drop}) needs the
   * data count section, so that a single pass can validate code before the data section arrives.
   * Without any data segment the module is invalid anyway (the index names no segment); that is left
   * to validation, which is what the suite expects of text modules converted by wast2json, since wabt
   * omits the data count section when there is no data.
   *
   * @param dataCount the module's data count section, if it has one
   * @param dataSegments the segments of its data section
   * @throws MalformedException at the first such instruction if the module breaks the rule
   */
  public void requireDataCount(OptionalInt dataCount, int dataSegments) {
    if (dataCount.isEmpty() && firstDataIndexUse >= 0 && dataSegments > 0) {
      throw new MalformedException("data count section required", firstDataIndexUse);
    }
  }

  /** The lower of two offsets where -1 means "none". */
  private static int earlier(int a, int b) {
    return a < 0 ? b : b < 0 ? a : Math.min(a, b);
  }
}
