package dev.kiln.compiler.translate;

import dev.kiln.ir.Type;
import dev.kiln.ir.builder.FunctionBuilder;
import dev.kiln.wasm.types.ValueType;
import java.util.List;

/**
 * One entry of the translator's control stack (spec 3.3.1 "labels"): a function, block, loop, if or
 * else, with the IR blocks its branches go to, the operand stack height it started at, and the
 * exception handler in scope in its body ({@link ExceptionHandlers}). Its own class because the
 * control-flow code and the exception handlers both read and update it: plain mutable data, filled in
 * as the construct is translated.
 */
final class ControlFrame {
  /** What kind of construct a control frame is. */
  enum Kind {
    FUNCTION,
    BLOCK,
    LOOP,
    IF,
    ELSE
  }

  Kind kind;
  final List<Type> params;
  final List<Type> results;
  /** Operand stack height below the construct's parameters. */
  final int height;
  /** Block/if/function: where the construct continues, with one parameter per result. */
  int merge = -1;
  int[] mergeParams;
  /** Loop: the header, with one parameter per loop parameter. */
  int header = -1;
  /** If: the else branch, and the parameter values it starts with. */
  int elseBlock = -1;
  int[] ifParams;
  boolean branchedTo;
  /** Block, if, loop: the region the construct is to the SSA builder (FunctionBuilder.Region). */
  FunctionBuilder.Region region;
  /**
   * The handler the calls directly in this construct's body unwind to, while {@link
   * #pushesHandler}: a {@code try_table}'s or a legacy {@code try}'s own (in scope until its {@code
   * end}, or the {@code try}'s first {@code catch}), or the one a {@code try ... delegate l} hands
   * its exceptions to (null: to the caller).
   */
  ExceptionHandlers.Handler handler;
  /** Whether {@link #handler} is on the handler stack for this construct's body. */
  boolean pushesHandler;
  /** Whether this construct builds {@link #handler}'s dispatch (not so for a delegate's target). */
  boolean ownsHandler;
  /** How many handlers were on the stack when the construct began: those in scope around it. */
  int handlersBelow;
  /** A legacy {@code try}: how many of its clauses began; null for other constructs. */
  LegacyTries.Clauses legacy;
  int clausesBegun;
  /**
   * A legacy {@code try} once a clause began: the builder variable holding the exception the clause
   * caught ({@code rethrow}), a GC reference the frame's safepoints spill ({@code
   * SafepointSpills#holdCaught}); -1 before.
   */
  int caughtVar = -1;
  /** The construct's wasm parameter and result types, which say which values are GC references. */
  List<ValueType> wasmParams = List.of();
  List<ValueType> wasmResults = List.of();

ControlFrame(Kind kind, List<Type> params, List<Type> results, int height) {
    this.kind = kind;
    this.params = params;
    this.results = results;
    this.height = height;
  }
}
