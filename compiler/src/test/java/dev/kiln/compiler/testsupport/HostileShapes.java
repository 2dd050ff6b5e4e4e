package dev.kiln.compiler.testsupport;

import dev.kiln.wat.binary.ModuleWriter;
import dev.kiln.wat.binary.WasmWriter;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Valid modules of one function {@code (i32) -> i32} whose body has a shape an attacker chooses to
 * make a compiler do the most work per byte: a {@code br_table} with {@code n} targets, {@code n}
 * nested blocks, loops or ifs, {@code n} values live across {@code n} blocks, {@code n} calls of a
 * small function the module adds (function 1, of the same type), and so on. The size
 * parameter {@code n} grows the module linearly, so a compile time or a work count measured at
 * {@code n} and {@code 4n} shows whether the compiler is linear in that shape.
 *
 * <p>Written in the binary format directly (spec 5.5: type, function, export and code sections;
 * 5.4 instructions) with the text reader's encoder ({@link ModuleWriter}), because the shapes are too large for a text file and a generator states the
 * shape in a few lines.
 */
public enum HostileShapes {
  /** {@code n + 1} nested blocks and one {@code br_table} whose {@code n} targets are all distinct. */
  BR_TABLE_DISTINCT(false, n -> {
    Body b = new Body(0);
    for (int i = 0; i <= n; i++) {
      b.op(0x02).op(0x40); // block (empty)
    }
    b.localGet(0).op(0x0E).uleb(n); // br_table with n labels
    for (int i = 0; i <= n; i++) {
      b.uleb(i);
    }
    for (int i = 0; i <= n; i++) {
      b.op(0x0B).bump(i); // end, then code of its own for each target
    }
    return b.localGet(0);
  }),
  /** One {@code br_table} with {@code n} labels that name only two blocks. */
  BR_TABLE_FEW(false, n -> {
    Body b = new Body(0);
    b.op(0x02).op(0x40).op(0x02).op(0x40).localGet(0).op(0x0E).uleb(n);
    for (int i = 0; i <= n; i++) {
      b.uleb(i & 1);
    }
    b.op(0x0B).bump(1).op(0x0B).bump(2);
    return b.localGet(0);
  }),
  /**
   * Three nested loops of {@link #LABEL_VALUES} i32 parameters each and one {@code br_table} of
   * {@code n} labels naming them in turn, each passing the loop its values (the red team's {@code
   * mvloop} modules, issue 35): a compiler that gives every entry its own copy of the values does
   * {@code n x 256} work.
   */
  BR_TABLE_LOOP_VALUES(true, n -> {
    int m = HostileShapes.LABEL_VALUES;
    Body b = new Body(0);
    for (int k = 0; k < m; k++) {
      b.i32Const(k);
    }
    for (int d = 0; d < 3; d++) {
      b.op(0x03).op(HostileShapes.LOOP_TYPE); // loop [i32^m] -> []
    }
    b.localGet(0).op(0x0E).uleb(n);
    for (int i = 0; i <= n; i++) {
      b.uleb(i % 3);
    }
    return b.op(0x0B).op(0x0B).op(0x0B).localGet(0);
  }),
  /**
   * Three nested blocks of {@link #LABEL_VALUES} i32 results each and one {@code br_table} of {@code
   * n} labels naming them in turn, each passing the block its results (the red team's {@code
   * mvbrtable} modules).
   */
  BR_TABLE_BLOCK_VALUES(true, n -> {
    int m = HostileShapes.LABEL_VALUES;
    Body b = new Body(0);
    for (int d = 0; d < 3; d++) {
      b.op(0x02).op(HostileShapes.BLOCK_TYPE); // block [] -> [i32^m]
    }
    for (int k = 0; k < m; k++) {
      b.i32Const(k);
    }
    b.localGet(0).op(0x0E).uleb(n);
    for (int i = 0; i <= n; i++) {
      b.uleb(i % 3);
    }
    b.op(0x0B).op(0x0B).op(0x0B);
    for (int k = 0; k < m; k++) {
      b.op(0x1A); // drop
    }
    return b.localGet(0);
  }),
  /**
   * {@link #LABEL_VALUES} locals changed in a loop, and one {@code br_table} of {@code n} labels
   * naming the loop and the block around it in turn: no label passes a value, but each carries
   * every local the SSA form merges at its target.
   */
  BR_TABLE_LOCALS(false, n -> {
    int m = HostileShapes.LABEL_VALUES;
    Body b = new Body(m);
    for (int k = 1; k <= m; k++) {
      b.localGet(0).i32Const(k).op(0x6A).op(0x21).uleb(k); // local[k] = arg + k
    }
    b.op(0x02).op(0x40).op(0x03).op(0x40); // block, loop
    for (int k = 1; k <= m; k++) {
      b.localGet(k).i32Const(1).op(0x6A).op(0x21).uleb(k); // local[k] += 1
    }
    b.localGet(0).op(0x0E).uleb(n);
    for (int i = 0; i <= n; i++) {
      b.uleb(i & 1);
    }
    b.op(0x0B).op(0x0B).localGet(0);
    for (int k = 1; k <= m; k++) {
      b.localGet(k).op(0x6A); // sum every local
    }
    return b;
  }),
  /** {@code n} nested blocks, each left early by a {@code br_if} to its own end. */
  NESTED_BLOCKS(false, n -> {
    Body b = new Body(0);
    for (int i = 0; i < n; i++) {
      b.op(0x02).op(0x40).localGet(0).op(0x0D).uleb(0); // block; br_if 0
    }
    for (int i = 0; i < n; i++) {
      b.op(0x0B).bump(i);
    }
    return b.localGet(0);
  }),
  /** {@code n} nested loops, each with a back edge, and the argument live through all of them. */
  NESTED_LOOPS(false, n -> {
    Body b = new Body(0);
    for (int i = 0; i < n; i++) {
      b.op(0x03).op(0x40); // loop
    }
    for (int i = 0; i < n; i++) {
      b.bump(i).localGet(0).op(0x0D).uleb(0).op(0x0B); // local += i; br_if 0 (back edge); end
    }
    return b.localGet(0);
  }),
  /** {@code n} nested ifs on the argument. */
  NESTED_IFS(false, n -> {
    Body b = new Body(0);
    for (int i = 0; i < n; i++) {
      b.localGet(0).op(0x04).op(0x40); // if (empty)
    }
    for (int i = 0; i < n; i++) {
      b.bump(i).op(0x0B);
    }
    return b.localGet(0);
  }),
  /** {@code n} nested if/else, both arms assigning the local (a phi at every join). */
  NESTED_IF_ELSE(false, n -> {
    Body b = new Body(0);
    for (int i = 0; i < n; i++) {
      b.localGet(0).op(0x04).op(0x40); // if (empty)
    }
    for (int i = 0; i < n; i++) {
      b.bump(i).op(0x05).bump(i + 1).op(0x0B); // then: local += i; else: local += i + 1; end
    }
    return b.localGet(0);
  }),
  /**
   * {@code n / 8} locals each given a distinct value, then {@code n} blocks each left by a
   * {@code br_if}, then every local read: {@code n / 8} values live across {@code n} blocks.
   */
  LOCALS_ACROSS_BLOCKS(false, n -> {
    int locals = Math.max(1, n / 8);
    Body b = new Body(locals);
    for (int k = 1; k <= locals; k++) {
      b.localGet(0).i32Const(k).op(0x6A).op(0x21).uleb(k); // local[k] = arg + k
    }
    for (int i = 0; i < n; i++) {
      b.op(0x02).op(0x40).localGet(0).op(0x0D).uleb(0).op(0x0B).bump(i);
    }
    b.localGet(0);
    for (int k = 1; k <= locals; k++) {
      b.localGet(k).op(0x6A); // sum every local
    }
    return b;
  }),
  /**
   * {@code n / 8} locals, then {@code n} {@code if}s on the argument, each adding one to two of the
   * locals (which two moves on by 7 each time), then every local read: the locals live across all
   * the blocks, each assigned in few of them (the red team's {@code locals_blocks} shape). On a
   * non-zero argument the function returns the argument plus {@code 2n}.
   */
  LOCALS_ACROSS_IFS(false, n -> {
    int locals = Math.max(1, n / 8);
    Body b = new Body(locals);
    for (int i = 0; i < n; i++) {
      b.localGet(0).op(0x04).op(0x40); // if (empty)
      for (int j = 0; j < 2; j++) {
        int k = 1 + (i * 7 + j) % locals;
        b.localGet(k).i32Const(1).op(0x6A).op(0x21).uleb(k); // local[k] += 1
      }
      b.op(0x0B);
    }
    b.localGet(0);
    for (int k = 1; k <= locals; k++) {
      b.localGet(k).op(0x6A);
    }
    return b;
  }),
  /**
   * {@code n} i64 locals each given a distinct value, then a call of the function itself (on a
   * non-zero argument), then every local read: {@code n} values live across one call (the red
   * team's F5 shape), so each must be kept in a stack slot.
   */
  LOCALS_ACROSS_CALL(false, n -> {
    Body b = new Body(n, 0x7E);
    for (int k = 1; k <= n; k++) {
      b.localGet(0).op(0xAD).i64Const(k).op(0x7C).op(0x21).uleb(k); // local[k] = extend_u(arg) + k
    }
    b.localGet(0).op(0x04).op(0x40); // if arg != 0: drop f(arg - 1)
    b.localGet(0).i32Const(1).op(0x6B).op(0x10).uleb(0).op(0x1A).op(0x0B);
    b.localGet(1);
    for (int k = 2; k <= n; k++) {
      b.localGet(k).op(0x7C); // i64.add
    }
    return b.op(0xA7); // i32.wrap_i64
  }),
  /** A chain of {@code n} {@code br_if}s out of one block, each followed by code of its own. */
  BR_IF_CHAIN(false, n -> {
    Body b = new Body(0).op(0x02).op(0x40);
    for (int i = 0; i < n; i++) {
      b.localGet(0).i32Const(i).op(0x46).op(0x0D).uleb(0).bump(i); // arg == i -> out
    }
    return b.op(0x0B).localGet(0);
  }),
  /** {@code n} selects chained through one value. */
  SELECT_CHAIN(false, n -> {
    Body b = new Body(0).localGet(0);
    for (int i = 0; i < n; i++) {
      b.i32Const(i).localGet(0).op(0x1B); // select(prev, i, arg)
    }
    return b.op(0x21).uleb(0).localGet(0);
  }),
  /** {@code n} calls of an imported-free helper (the function itself), each result kept live. */
  MANY_CALLS(false, n -> {
    Body b = new Body(0).localGet(0);
    for (int i = 0; i < n; i++) {
      b.localGet(0).op(0x10).uleb(0).op(0x6A); // acc + f(arg)
    }
    return b;
  }),
  /**
   * {@code n} calls in one block of function 1, which returns its argument (one IR instruction,
   * its {@code return}), each passed the previous call's result: the inliner copies the callee at
   * every call until the caller's budget is spent, each copy in the middle of a block of {@code
   * n} calls.
   */
  INLINED_CALLS(HostileShapes::identityCallee, HostileShapes::chainedCalls),
  /**
   * {@link #INLINED_CALLS} of a callee with a branch: function 1 is an {@code if} with a result
   * (the argument plus one, or one on zero), so its copy is several blocks whose one {@code return}
   * is in the last, where the caller's code after the call continues.
   */
  INLINED_BRANCHING_CALLS(HostileShapes::branchingCallee, HostileShapes::chainedCalls);

  /** Block type of the loops of {@link #BR_TABLE_LOOP_VALUES}: type 1, {@code [i32^m] -> []}. */
  private static final int LOOP_TYPE = 1;
  /** Block type of the blocks of {@link #BR_TABLE_BLOCK_VALUES}: type 2, {@code [] -> [i32^m]}. */
  private static final int BLOCK_TYPE = 2;

  private final boolean labelTypes;
  /** The body of function 1, of type 0 too, which the shape's function calls; null for none. */
  private final Supplier<Body> callee;
  private final IntFunction<Body> body;

  /**
   * @param labelTypes whether the body's blocks and loops use types 1 and 2 ({@link #LOOP_TYPE},
   *     {@link #BLOCK_TYPE}), which the module then declares
   */
  HostileShapes(boolean labelTypes, IntFunction<Body> body) {
    this.labelTypes = labelTypes;
    this.callee = null;
    this.body = body;
  }

  /** A shape whose function calls function 1, whose body {@code callee} writes. */
  HostileShapes(Supplier<Body> callee, IntFunction<Body> body) {
    this.labelTypes = false;
    this.callee = callee;
    this.body = body;
  }

  /** {@code local.get 0}, then {@code n} times {@code call 1}: each call passed the last one's result. */
  private static Body chainedCalls(int n) {
    Body b = new Body(0).localGet(0);
    for (int i = 0; i < n; i++) {
      b.op(0x10).uleb(1);
    }
    return b;
  }

  /** {@code (local.get 0)}. */
  private static Body identityCallee() {
    return new Body(0).localGet(0);
  }

  /** {@code (if (result i32) (local.get 0) (then (i32.add (local.get 0) (i32.const 1))) (else (i32.const 1)))}. */
  private static Body branchingCallee() {
    Body b = new Body(0).localGet(0).op(0x04).op(0x7F); // if [] -> [i32]
    return b.localGet(0).i32Const(1).op(0x6A).op(0x05).i32Const(1).op(0x0B); // then a + 1, else 1, end
  }

  /**
   * The values each label of the {@code br_table} shapes with values passes, and the locals merged
   * at each label of {@link #BR_TABLE_LOCALS}: fixed, so that {@code n} counts the table's entries
   * alone, and work per entry per value shows as {@code n x 256}.
   */
  public static final int LABEL_VALUES = 256;

  /** The whole module, its one function exported as {@code f}. */
  public byte[] module(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("size must be at least 1, got " + n);
    }
    ModuleWriter module = new ModuleWriter();
    if (labelTypes) {
      // type 0: (i32) -> i32; type 1: [i32^m] -> []; type 2: [] -> [i32^m]
      int m = HostileShapes.LABEL_VALUES;
      WasmWriter types = new WasmWriter().raw(0x60, 1, 0x7F, 1, 0x7F, 0x60).u32(m);
      for (int k = 0; k < m; k++) {
        types.u8(0x7F);
      }
      types.raw(0, 0x60, 0).u32(m);
      for (int k = 0; k < m; k++) {
        types.u8(0x7F);
      }
      module.vectorSection(ModuleWriter.TYPE, 3, types);
    } else {
      module.vectorSection(ModuleWriter.TYPE, 1, new WasmWriter().raw(0x60, 1, 0x7F, 1, 0x7F)); // type 0: (i32) -> i32
    }
    List<Body> bodies = callee == null ? List.of(body.apply(n)) : List.of(body.apply(n), callee.get());
    WasmWriter functions = new WasmWriter();
    WasmWriter code = new WasmWriter();
    for (Body function : bodies) {
      functions.u8(0); // of type 0
      WasmWriter b = function.op(0x0B).out;
      code.u32(b.size()).bytes(b);
    }
    module.vectorSection(ModuleWriter.FUNCTION, bodies.size(), functions);
    module.vectorSection(ModuleWriter.EXPORT, 1, new WasmWriter().name("f").raw(0, 0)); // export "f" = function 0
    module.vectorSection(ModuleWriter.CODE, bodies.size(), code);
    return module.toByteArray();
  }

  /** A function body being written: the local declarations, then instructions. */
  private static final class Body {
    final WasmWriter out = new WasmWriter();

    /** {@code extraLocals} i32 locals beside the parameter. */
    Body(int extraLocals) {
      this(extraLocals, 0x7F);
    }

    /** {@code extraLocals} locals of value type {@code type} (spec 5.3.1) beside the parameter. */
    Body(int extraLocals, int type) {
      if (extraLocals == 0) {
        out.u8(0);
      } else {
        out.u8(1).u32(extraLocals).u8(type);
      }
    }

    Body op(int opcode) {
      out.u8(opcode);
      return this;
    }

    Body uleb(long value) {
      out.u64(value);
      return this;
    }

    Body i32Const(int value) {
      out.u8(0x41).s32(value);
      return this;
    }

    Body i64Const(long value) {
      out.u8(0x42).s64(value);
      return this;
    }

    Body localGet(int index) {
      return op(0x20).uleb(index);
    }

    /** {@code local 0 += k}: straight-line code of its own at this point. */
    Body bump(int k) {
      return localGet(0).i32Const(k).op(0x6A).op(0x21).uleb(0);
    }
  }
}
