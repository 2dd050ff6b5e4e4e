package dev.kiln.artifact.tables;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.TextRange;
import dev.kiln.artifact.index.FunctionIndex;
import dev.kiln.artifact.internal.ByteCursor;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The whole-table check of the two tables an unwinder or collector trusts about a frame ({@code
 * .kiln.handlers} and {@code .kiln.stackmaps}), run once at load so that a damaged entry refuses the
 * artifact there, not when an exception first unwinds through it or a collection first walks it (a
 * damaged handler entry used to surface at run time as an uncaught exception). What a lookup checks
 * (offsets sorted, inside {@code .text}, a bounded depth, slots inside their frame) it checks again;
 * what only the whole table shows is checked here:
 *
 * <ul>
 *   <li>every entry's return address lies inside a function and after its first byte (it follows a
 *       call in that function's body);
 *   <li>a handler's landing pad lies inside the same function, after its first byte (a landing pad
 *       is a block of the body, never its entry: WebAssembly 3.0 section 4.4.8 resumes the frame that
 *       caught, and only that one);
 *   <li>all entries of one function, in both tables, give the same frame depth: the code generator
 *       keeps a body's stack pointer at one depth below its frame pointer for the whole body
 *       (callee-pops), so two depths in one function are damage;
 *   <li>all stack map entries of one function name the same resident set, or none, and no two
 *       functions' entries name one set: a set is one function's frame-resident slots ({@link
 *       StackMapTable}), which the compiler writes once per function and names from each of its
 *       safepoints.
 * </ul>
 *
 * One instance serves both tables of one artifact, so the second table is held to the depths the
 * first gave.
 */
public final class FunctionFrames {
  private final FunctionIndex functions;
  /** Each function's frame depth, by its first text offset, as its first entry in either table gave it. */
  private final Map<Integer, Integer> depthByStart = new HashMap<>();
  /** Each function's resident set (-1: none), by its first text offset, as its first stack map entry named it. */
  private final Map<Integer, Integer> residentSetByStart = new HashMap<>();
  /** The first text offset of the function whose stack map entries name each resident set, by the set's index. */
  private final Map<Integer, Integer> startByResidentSet = new HashMap<>();
  /** The function of the last entry checked: entries come in text order, so one lookup serves a function's run. */
  private TextRange current;

  /** Checks entries against the functions of {@code functions}. */
  public FunctionFrames(FunctionIndex functions) {
    this.functions = functions;
  }

  /**
   * Checks one entry: the call returning to {@code returnOffset} runs with its frame {@code
   * frameBelowFp} bytes below its frame pointer and, for a handler, lands at {@code landingOffset}
   * (-1 for a stack map). {@code entryAt} is where the entry starts in {@code in}'s section.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException naming the entry and the violation
   */
  void check(ByteCursor in, long entryAt, String entry, int returnOffset, int frameBelowFp, int landingOffset) {
    TextRange function = functionOf(returnOffset);
    if (function == null || returnOffset <= function.start()) {
      throw in.corruptAt(entryAt, entry + " at text offset " + returnOffset + " follows no call of a function");
    }
    if (landingOffset >= 0 && (landingOffset <= function.start() || landingOffset >= function.end())) {
      throw in.corruptAt(entryAt, entry + " at text offset " + returnOffset + " lands at text offset " + landingOffset
          + ", outside the body of its function (text offsets " + function.start() + " to " + function.end() + ")");
    }
    Integer depth = depthByStart.putIfAbsent(function.start(), frameBelowFp);
    if (depth != null && depth != frameBelowFp) {
      throw in.corruptAt(entryAt, entry + " at text offset " + returnOffset + " gives a frame depth of "
          + frameBelowFp + " bytes where its function's other entries give " + depth);
    }
  }

  /**
   * Checks the resident set a stack map entry names ({@code residentSet}, -1 for none), once {@link
   * #check} has accepted the entry: the same set as every other entry of its function, and a set no
   * other function's entries name. A set is one function's frame-resident slots, named by each of
   * its safepoints ({@link StackMapTable}); named from another function's entry whose frame is as
   * deep (the depth check passes), it would have the collector read and rewrite words of that frame
   * that hold no reference of its own.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException naming the entry and the set
   */
  void checkResidentSet(ByteCursor in, long entryAt, int returnOffset, int residentSet) {
    int start = functionOf(returnOffset).start();
    Integer named = residentSetByStart.putIfAbsent(start, residentSet);
    if (named != null && named != residentSet) {
      throw in.corruptAt(entryAt, "stack map entry at text offset " + returnOffset + " names " + setName(residentSet)
          + " where its function's other entries name " + setName(named));
    }
    if (residentSet >= 0) {
      Integer owner = startByResidentSet.putIfAbsent(residentSet, start);
      if (owner != null && owner != start) {
        throw in.corruptAt(entryAt, "stack map entry at text offset " + returnOffset + " names resident set "
            + residentSet + ", which the entries of the function at text offset " + owner + " name");
      }
    }
  }

  private static String setName(int residentSet) {
    return residentSet < 0 ? "no resident set" : "resident set " + residentSet;
  }

  private TextRange functionOf(int textOffset) {
    if (current != null && current.contains(textOffset)) {
      return current;
    }
    Optional<FuncKey> key = functions.keyAt(textOffset);
    current = key.flatMap(functions::lookup).filter(range -> range.contains(textOffset)).orElse(null);
    return current;
  }
}
