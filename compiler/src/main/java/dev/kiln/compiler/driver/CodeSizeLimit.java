package dev.kiln.compiler.driver;

import dev.kiln.artifact.Target;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.compiler.translate.IrSizeLimit;
import dev.kiln.compiler.translate.ModuleBudget;

/**
 * Kiln's implementation limit on the machine code a module compiles into: the bytes every defined
 * function, every entry trampoline and every import trampoline emits, together at most the larger
 * of {@link #MIN_LIMIT} and {@link #PER_BODY_BYTE} per byte of the module's function bodies plus
 * {@link #PER_FUNCTION} per defined function and entry trampoline ({@link ModuleBudget}: charged as
 * each is emitted, the function that passes it refused in one line naming it and its body's offset
 * as the module's other implementation limits are, spec Appendix A.1, and every later one refused
 * at its start). Decided here, above the backends, so both targets have the same bound.
 *
 * <p>Why a bound on the code as well as on the IR ({@link IrSizeLimit}): the IR budget counts
 * units, and what a unit becomes is the backend's. A one-byte operator that a lowering expands into
 * a fixed sequence of 16 to 30 instructions makes 20 to 45 bytes of code a unit where real code
 * makes about 1, at a tenth of the IR a byte the IR budget allows (red team 33 F1: {@code
 * f64.convert_i64_u; i64.trunc_f64_u} chained is 128 bytes of x86-64 per 2 bytes of wasm, and an 8
 * MB module made a 551 MB artifact in 102 s of CPU and filled a 2 GB heap, 33 times yosys's
 * artifact per byte). Charging the code itself bounds every such expansion on both targets,
 * including those not found yet, which a table of costs per operator and target would have to
 * be kept in step with two backends to do.
 *
 * <p>Measured as code bytes per byte of body (defined functions and entry trampolines; x86-64 with
 * the host's and the baseline's features and AArch64, each with and without fuel and epoch checks,
 * and x86-64 with explicit bounds checks too for sightglass): yosys 1.7 to 2.8; sightglass's
 * programs at most 3.9 (5.3 for the smallest, noop, 2.5 KB of body); the spec and wasm3 suites'
 * modules at most 7.8 over 2 KB of body. Code per byte is highest in a module of many tiny exported
 * functions, each a prologue and an entry trampoline (the spec suite's names.wast, 1.9 KB of body,
 * makes 35 to 62 a byte), and the floor is for those: 2^24 is 140 times the most code of any
 * spec-suite module (117 KB) and 10 times sightglass's largest program's (1.6 MB). 16 a byte is
 * four times the most a real
 * program makes; red team 33's longest lowerings make 28 to 93 ({@code f64.convert_i64_u;
 * i64.trunc_f64_u}: 64 on x86-64, 28 on AArch64; {@code i8x16.popcnt} 29 on x86-64; {@code
 * i64.popcnt} and {@code f64.nearest} 93 and 90 on an x86-64 without POPCNT and SSE4.1).
 *
 * <p>{@link #PER_FUNCTION} is what a function costs whatever its body: its frame's entry and exit,
 * the fuel and epoch checks, and, exported, its entry trampoline, 80 to 112 bytes for a function of
 * one {@code i32.const} with both checks, before the linker pads each to the function alignment
 * (red team 35 F3: 100,000 such exports, the JS API's limit and a valid 1.86 MB module, passed 16 a
 * byte of body and were refused on AArch64). Each function and trampoline is charged at least that
 * much ({@link #charge}), and its code rounded up to the function alignment, so the room an empty
 * function brings is spent on it, never lent to another, and its size does not matter to what a
 * module can make: only the 16 a byte of body are shared (red team 36 F1: 200,000 declared empty
 * functions, 126 bytes of code each against 272 brought, paid for 0.58 MB of an operator making 64
 * bytes a byte elsewhere: a 1.96 MB module, a 101.6 MB artifact).
 *
 * <p>Beside it, the code as placed is held to what the target can link ({@link
 * Target#maxTextBytes}): past that a module would be compiled whole and then refused by the linker
 * (red team 36 F1: 2,000,000 empty functions passed AArch64's 128 MiB of BL reach in 49 s of CPU).
 *
 * <p>Import trampolines are charged against the same limit, as the functions' are, though no body
 * pays for them: one per imported function type, they are bounded by the floor (red team 35 F1:
 * 1,000 types of 1,000 {@code v128} parameters and results, imported once each and no body, 2 MB,
 * made 59.8 MB of x86-64 code uncounted).
 */
public final class CodeSizeLimit {
  /** The most code a module may compile into, however few bytes its bodies have: 16 MiB. */
  public static final long MIN_LIMIT = 1L << 24;
  /** Code per byte of body a module past {@link #MIN_LIMIT} may make: four times real programs' most. */
  public static final long PER_BODY_BYTE = 16;
  /** Code each defined function and each entry trampoline may make besides its body's share. */
  public static final long PER_FUNCTION = 256;

  private final Target target;
  /** The code per byte of body and per function: what each function is {@linkplain #charge charged}. */
  private final ModuleBudget allowed;
  /** The code as the linker places it, against what the target's direct calls reach. */
  private final ModuleBudget reach;

  private CodeSizeLimit(Target target, ModuleBudget allowed, ModuleBudget reach) {
    this.target = target;
    this.allowed = allowed;
    this.reach = reach;
  }

  /**
   * The code limits of a module of {@code target} whose function bodies have {@code bodyBytes}
   * bytes, compiled as {@code functions} defined functions and entry trampolines, with {@code floor}
   * in place of {@link #MIN_LIMIT} (lower only in tests).
   */
  static CodeSizeLimit forModule(Target target, long bodyBytes, int functions, long floor) {
    return new CodeSizeLimit(target,
        new ModuleBudget("bytes of machine code in the module's functions",
            Math.max(floor, PER_BODY_BYTE * bodyBytes + PER_FUNCTION * functions)),
        new ModuleBudget("bytes of machine code in the module's text, past what " + target.displayName()
            + "'s direct calls reach", target.maxTextBytes()));
  }

  /** Refuses function {@code functionIndex}, whose body starts at {@code offset}, once either limit is passed. */
  void requireRoom(int functionIndex, int offset) {
    allowed.requireRoom(functionIndex, offset);
    reach.requireRoom(functionIndex, offset);
  }

  /**
   * Charges {@code compiled}, one function or trampoline, for function {@code functionIndex}, whose
   * body starts at {@code offset}: its code as placed against the reach, and {@link #charge} against
   * the allowance (the reach sees real bytes, so many small functions never pass it on their
   * floors: red team 37 F1, 263,000 three-instruction functions, 59 MB of AArch64 code, were
   * refused at 2^27 charged).
   */
  void charge(CompiledFunction compiled, int functionIndex, int offset) {
    allowed.charge(charge(target, compiled), functionIndex, offset);
    reach.charge(placed(target, compiled), functionIndex, offset);
  }

  /**
   * What {@code compiled}, one function or trampoline of {@code target}, is charged of the
   * allowance: its code as placed, and never less than {@link #PER_FUNCTION}.
   */
  static long charge(Target target, CompiledFunction compiled) {
    return Math.max(PER_FUNCTION, placed(target, compiled));
  }

  /**
   * {@code compiled}'s code as the linker places it: rounded up to {@link Target#codeAlignment}. Its
   * size, not {@code code().length}: that copies the code, twice a function (1.1% of yosys's
   * compile's allocated bytes).
   */
  static long placed(Target target, CompiledFunction compiled) {
    int alignment = target.codeAlignment();
    return (compiled.size() + alignment - 1L) / alignment * alignment;
  }
}
