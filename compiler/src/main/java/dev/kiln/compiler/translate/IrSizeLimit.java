package dev.kiln.compiler.translate;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Signature;
import dev.kiln.wasm.ImplementationLimitException;

/**
 * Kiln's implementation limit on the IR one function translates into ({@link DataFlowGraph#size()}:
 * values, instructions, blocks and operand slots), checked after every operator, so what a compile
 * allocates for one function, and every later phase's work on it, is bounded however few bytes
 * made it. A function past the limit is refused as the module's implementation limits are (spec
 * Appendix A.1), in one line naming the function and the operator's offset.
 *
 * <p>Why a bound on the IR and not on the bytes: the IR a byte of code makes is up to a few
 * thousand times what real code makes. A two-byte {@code call} of a function of 1,000 results (the
 * JS API's limit, {@link ImplementationLimitException#MAX_FUNCTION_RESULTS}) defines 1,000 values
 * and passes 1,000 operands; a function of 1,000 such calls (5 KB) was 3 million and took 2.1 GB and
 * 56 s of CPU to compile (red team 27 F2, where 65,535 results made 6.2 GB of 80 KB). Real code makes about
 * 3 to 8 per byte of body (measured: sightglass's nine programs, at most 7.7 per byte in a function
 * over 200 bytes; yosys, 61 million for 27.8 MB of bodies).
 *
 * <p>The limit is the larger of 2^21 = 2,097,152 and 32 per byte of the function's body. 2^21 is
 * 4.7 times yosys's largest function (446,962 at 228 KB of body, the largest in the corpus;
 * sightglass's largest is 59,967, bz2's); a function at it needs about two thirds of that (1.4 GB,
 * 40 s) in the worst shape. Past it, 32 per byte, four times the most real code makes, lets a real
 * function of any size through (a generated function of megabytes is valid wasm that Kiln must
 * compile) while a hostile one still makes no more IR than its bytes allow: what one function costs
 * grows with what the module's author paid for in bytes, not with what a byte can be made to mean.
 *
 * <p>The same limit holds for the whole module ({@link #moduleBudget}): the functions' IR together,
 * at most the larger of 2^21 and 32 per byte of all bodies. The floor is per function, so without a
 * bound on the sum every small function could make 2^21 (red team 31 F1: 20 functions of 1,040
 * seven-byte calls of a 1,000-result function, a 149 KB module, made a 165 MB artifact, 32 s of
 * CPU and 6.2 GB, and ran out of a 1 GB heap).
 */
public final class IrSizeLimit {
  /** The largest {@link DataFlowGraph#size()} any function may translate into. */
  public static final long MIN_LIMIT = 1L << 21;
  /** IR per byte of body a function past {@link #MIN_LIMIT} may make: four times real code's most. */
  public static final long PER_BODY_BYTE = 32;
  /**
   * IR each defined function may make besides its body's share, whatever its body: its entry, the
   * fuel and epoch checks, its return (red team 36 F2: with fuel, 200,000 declared empty functions,
   * one byte of body and 32 units each, a valid module, were refused).
   */
  public static final long PER_FUNCTION = 128;

  /**
   * What an entry trampoline (the host's way into a defined function) is charged of the module's
   * budget per parameter and result it moves: a load or store, its value and its operands, about
   * what translated code makes per value it moves.
   */
  public static final long TRAMPOLINE_UNITS_PER_VALUE = 4;

  private IrSizeLimit() {}

  /**
   * The units an entry or import trampoline of {@code signature} is charged: {@link
   * #TRAMPOLINE_UNITS_PER_VALUE} a value it moves, and never less than {@link #PER_FUNCTION}, the
   * share each escaping function's trampoline brings ({@link #moduleBudget}; red team 37 F3).
   */
  public static long trampolineCharge(Signature signature) {
    long values = signature.params().size() + signature.results().size();
    return Math.max(PER_FUNCTION, TRAMPOLINE_UNITS_PER_VALUE * values);
  }

  /**
   * What the module's budget ({@link #moduleBudget}) gives one function whose body has {@code
   * bodyBytes} bytes: {@link #PER_BODY_BYTE} a byte and {@link #PER_FUNCTION}.
   */
  public static long moduleShare(long bodyBytes) {
    return PER_BODY_BYTE * bodyBytes + PER_FUNCTION;
  }

  /** The limit for a function whose body has {@code bodyBytes} bytes. */
  public static long limitFor(long bodyBytes) {
    return Math.max(MIN_LIMIT, PER_BODY_BYTE * bodyBytes);
  }

  /**
   * The IR a module's {@code functions} defined functions and escaping functions' trampolines may
   * make together, whose bodies have {@code bodyBytes} bytes: the larger of {@link #MIN_LIMIT} and
   * {@link #PER_BODY_BYTE} a byte plus {@link #PER_FUNCTION} a function and trampoline. Charged each
   * function's IR ({@link #functionCharge}) as its translation ends, what the inliner adds to it and
   * each trampoline ({@link #trampolineCharge}; the last two were not charged before red team 32's
   * F1 and F2: docs/SECURITY.md section 2).
   */
  public static ModuleBudget moduleBudget(long bodyBytes, int functions) {
    return new ModuleBudget("IR values, instructions and operands in the module's functions",
        Math.max(MIN_LIMIT, PER_BODY_BYTE * bodyBytes + PER_FUNCTION * functions));
  }

  /**
   * What a function whose translation made {@code units} is charged: never less than {@link
   * #PER_FUNCTION}, so the room an empty function brings is spent on it and never lent to another.
   */
  public static long functionCharge(long units) {
    return Math.max(PER_FUNCTION, units);
  }

  /**
   * Refuses function {@code functionIndex} when {@code dfg} has grown past {@code limit} ({@link
   * #limitFor}), at the operator at {@code offset} that took it there.
   */
  static void check(DataFlowGraph dfg, long limit, int functionIndex, int offset) {
    long size = dfg.size();
    if (size > limit) {
      throw new ImplementationLimitException("IR values, instructions and operands in one function", size,
          limit, offset, functionIndex);
    }
  }
}
