package dev.kiln.compiler.translate;

import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.TableStorage;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.artifact.vm.VmLocation;
import dev.kiln.ir.BranchTarget;
import dev.kiln.ir.InstBuilder;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.MemFlags;
import dev.kiln.ir.MemRegion;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Signature;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.Type;
import dev.kiln.ir.builder.FunctionBuilder;
import dev.kiln.wasm.types.FuncType;
import dev.kiln.wasm.types.SubType;
import dev.kiln.wasm.types.ValType;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Translates the reference and table operators of one function (WebAssembly 2.0 sections 4.4.5
 * "reference instructions", 4.4.6 "table instructions", 4.4.8 {@code call_indirect}) into IR over
 * the table layout of {@link TableStorage}: a table definition {@code {base, length}} in the
 * VMContext (inline, or through a pointer for an imported table), 8-byte slots from {@code base}.
 *
 * <p>References are i64 values: a funcref is the address of a VMFuncRef (0 = null), an externref
 * the host's handle (0 = null). In a lazily initialised funcref table (compile setting
 * table-lazy-init) a slot holds 0 until first read and {@code ref | INIT_BIT} after; a read finds 0
 * only on the first access of a slot and then calls the TABLE_LAZY_INIT builtin, compiled code in
 * {@code .text} (see {@link LazyTableInitBuiltin}) that fills the slot from the table's image in
 * O(1). Every write stores the tagged value, so no write can leave a slot that the image would
 * later overwrite.
 *
 * <p>Element indices are checked against the table's current length with {@code bounds_check}
 * (trap {@code table_oob}); table.grow/fill/copy/init run in the runtime as builtins that answer
 * with a status, which the code turns into the same trap; elem.drop is one store of the segment
 * record's length.
 *
 * <p>Indices, sizes and lengths have the table's address type (WebAssembly 3.0, "table
 * instructions"): i32, or i64 for a 64-bit table. Each is widened to the i64 that the bounds
 * checks and builtins take here, in one place ({@link #widen}): an i32 zero-extended, an i64 kept
 * whole, so an index of 2^32 or more is out of bounds of every table (none is that long) and is
 * never truncated to a valid slot. The results go back in the address type: table.size and
 * table.grow (-1 on failure) as i64 for a 64-bit table.
 */
final class TableOperators {
  /** Table slots: their own alias region; 8-byte aligned. */
  private static final MemFlags SLOT = new MemFlags(MemRegion.TABLE, false, true);
  private static final MemFlags VMCTX_READONLY = MemFlags.VMCTX_READONLY;
  private static final MemFlags VMCTX_MUTABLE = MemFlags.VMCTX;
  /**
   * The most slots a guarded call_indirect compares the index with before the checked path, each
   * a compare and a branch on the way to it. Eight covers a scheduler's handful of tasks and C's
   * stdio function pointers; sixteen measured the same on the corpus
   * (docs/history/performance-journal.md, "call_indirect through a table that never changes"),
   * where only trait-object calls have more.
   */
  private static final int MAX_GUARDED_SLOTS = 8;

  private final ModuleEnvironment env;
  private final VmLayout layout;
  private final FunctionBuilder b;
  private final FuncEnvironment fenv;
  private final NullChecks nulls;
  private final Map<Integer, Integer> sigRefsByType = new HashMap<>();

  TableOperators(ModuleEnvironment env, FuncEnvironment fenv, FunctionBuilder b, NullChecks nulls) {
    this.env = env;
    this.layout = env.layout();
    this.fenv = fenv;
    this.b = b;
    this.nulls = nulls;
  }

  // ---------------------------------------------------------------- references

  /** {@code ref.null t}: 0 for both reference types. */
  int refNull() {
    return b.ins().iconst(Type.I64, 0);
  }

  /** {@code ref.is_null}: an i32, 1 for null. */
  int refIsNull(int ref) {
    return b.ins().icmp(IntCC.EQ, ref, b.ins().iconst(Type.I64, 0));
  }

  /** {@code ref.func f}: the address of {@code f}'s VMFuncRef in this instance's VMContext. */
  int refFunc(int funcIndex) {
    int escape = env.escaping().escapeIndex(funcIndex);
    if (escape < 0) {
      throw new IllegalStateException("ref.func of function " + funcIndex + ", which validation says escapes, has no VMFuncRef");
    }
    return b.ins().iadd(fenv.vmctx(), b.ins().iconst(Type.I64, layout.funcRef(escape)));
  }

  // ---------------------------------------------------------------- table accesses

  /** {@code table.get t}: the reference, lazily resolved. */
  int get(int table, int indexOperand) {
    int index = widen(table, indexOperand);
    Definition def = definition(table);
    int base = def.base();
    return readSlot(table, base, slotAddress(def, base, index, TrapCode.TABLE_OUT_OF_BOUNDS), index);
  }

  /** {@code table.set t}. */
  void set(int table, int indexOperand, int value) {
    int index = widen(table, indexOperand);
    InstBuilder ins = b.ins();
    Definition def = definition(table);
    int base = def.base();
    ins.store(Opcode.STORE, SLOT, tag(table, value), slotAddress(def, base, index, TrapCode.TABLE_OUT_OF_BOUNDS), 0);
  }

  /** {@code table.size t}: the current length, in the table's address type. */
  int size(int table) {
    return narrow(table, definition(table).length());
  }

  /** {@code table.grow t}: the old length, or -1 (in the table's address type) if the table cannot grow. */
  int grow(int table, int init, int delta) {
    int wideDelta = widen(table, delta);
    InstBuilder ins = b.ins();
    int[] old = fenv.callBuiltin(Builtin.TABLE_GROW, ins.iconst(Type.I32, table), wideDelta, init);
    return narrow(table, old[0]);
  }

  /** {@code table.fill t}: traps {@code table_oob} unless {@code [index, index + n)} is in the table. */
  void fill(int table, int index, int value, int n) {
    InstBuilder ins = b.ins();
    int tableIndex = ins.iconst(Type.I32, table);
    int[] status = fenv.callBuiltin(Builtin.TABLE_FILL, tableIndex, widen(table, index), value, widen(table, n));
    ins.trapnz(status[0], TrapCode.TABLE_OUT_OF_BOUNDS);
  }

  /**
   * {@code table.copy dst src}: both ranges checked before any slot is written. Each index has its
   * table's address type; the length is i64 only when both tables are 64-bit (WebAssembly 3.0
   * validates it with the minimum of the two address types).
   */
  void copy(int dstTable, int srcTable, int dst, int src, int n) {
    InstBuilder ins = b.ins();
    int tables = ins.iconst(Type.I64, pair(dstTable, srcTable));
    int wideDst = widen(dstTable, dst);
    int wideSrc = widen(srcTable, src);
    int wideN = is64(dstTable) && is64(srcTable) ? n : ins.unary(Opcode.UEXTEND, Type.I64, n);
    int[] status = fenv.callBuiltin(Builtin.TABLE_COPY, tables, wideDst, wideSrc, wideN);
    ins.trapnz(status[0], TrapCode.TABLE_OUT_OF_BOUNDS);
  }

  /**
   * {@code table.init t e}: copies from element segment {@code e}'s record (length 0 once dropped).
   * The table index has the table's address type; the segment offset and length are i32.
   */
  void init(int segment, int table, int dst, int src32, int n32) {
    InstBuilder ins = b.ins();
    int tableAndSegment = ins.iconst(Type.I64, pair(table, segment));
    int[] status = fenv.callBuiltin(Builtin.TABLE_INIT, tableAndSegment, widen(table, dst),
        ins.unary(Opcode.UEXTEND, Type.I64, src32), ins.unary(Opcode.UEXTEND, Type.I64, n32));
    ins.trapnz(status[0], TrapCode.TABLE_OUT_OF_BOUNDS);
  }

  /** Whether {@code table} is a 64-bit table (its address type is i64). */
  private boolean is64(int table) {
    return env.tableType(table).is64();
  }

  /**
   * An index, size or length of {@code table}'s address type as the i64 the checks and builtins
   * take: an i32 zero-extended (WebAssembly indices are unsigned), an i64 as it is, never reduced.
   */
  private int widen(int table, int value) {
    return is64(table) ? value : b.ins().unary(Opcode.UEXTEND, Type.I64, value);
  }

  /** An i64 size back in {@code table}'s address type (a 32-bit table's sizes fit in 32 bits). */
  private int narrow(int table, int value) {
    return is64(table) ? value : b.ins().unary(Opcode.IREDUCE, Type.I32, value);
  }

  /** {@code elem.drop e}: the segment record's length becomes 0 (spec 4.4.6.10). */
  void elemDrop(int segment) {
    InstBuilder ins = b.ins();
    ins.store(Opcode.STORE, VMCTX_MUTABLE, ins.iconst(Type.I64, 0), fenv.vmctx(),
        layout.elementSegment(segment) + VmLayout.SEGMENT_LENGTH);
  }

  /** Two u32 indices in one i64 argument: {@code high << 32 | low}, the shape TABLE_COPY/INIT take. */
  static long pair(int high, int low) {
    return (long) high << 32 | Integer.toUnsignedLong(low);
  }

  // ---------------------------------------------------------------- call_indirect

  /**
   * {@code call_indirect t (type y)} (spec 4.4.8.7): table bounds check ({@code undef_elem}), null
   * check ({@code uninit_elem}), then the callee VMFuncRef's type id against this instance's id of
   * type {@code y} ({@code bad_sig}; equal ids mean structurally equal types, as the loader
   * canonicalises them), then a call through its {@code wasm_call} with {@code (callee vmctx,
   * caller vmctx, args...)}.
   *
   * <p>Through a table whose slots never change ({@link FixedTables}) with at most {@link
   * #MAX_GUARDED_SLOTS} slots of type {@code y}, the index is first compared with each of those
   * slots, and an equal one calls that slot's function directly: the same callee, vmctx and
   * arguments as the checks would lead to, without the slot and signature loads, through a call
   * the processor predicts from the compare rather than through an indirect branch, and one the
   * inliner can inline. Every other index takes the checked path above, so each trap stays exact;
   * when the table has no unknown slot that path can only trap and is laid out of line.
   *
   * <p>{@code afterEachCall} runs right after each call this emits, with the builder in the call's
   * block: under a {@code try_table} the translator gives each call its own exceptional edge there,
   * so every guarded direct call and the checked call reach the handler (difffuzz-gc seeds 1002 and
   * 1028: an edge after the join alone left the calls in the other blocks without one).
   */
  int[] callIndirect(int typeIndex, int table, int indexOperand, int[] args, Runnable afterEachCall) {
    var guarded = guardedCandidates(typeIndex, table);
    if (guarded.isEmpty()) {
      int[] results = checkedCallIndirect(typeIndex, table, indexOperand, args);
      afterEachCall.run();
      return results;
    }
    FuncType type = env.module().types().get(typeIndex);
    int join = b.createBlock();
    int[] results = new int[type.results().size()];
    for (int i = 0; i < results.length; i++) {
      results[i] = b.appendBlockParam(join, ModuleEnvironment.irType(type.results().get(i)));
    }
    compareWithSlots(guarded.get(), table, indexOperand, f -> {
      int[] direct = fenv.callFunction(f, args);
      afterEachCall.run();
      b.ins().jump(join, direct);
    });
    int checkedFrom = b.currentBlock();
    int[] checked = checkedCallIndirect(typeIndex, table, indexOperand, args);
    afterEachCall.run();
    markColdIfOnlyTraps(guarded.get(), checkedFrom);
    b.ins().jump(join, checked);
    b.sealBlock(join);
    b.switchToBlock(join);
    return results;
  }

  private int[] checkedCallIndirect(int typeIndex, int table, int indexOperand, int[] args) {
    IndirectCallee callee = indirectCallee(typeIndex, table, indexOperand, args);
    return b.instResults(b.ins().callIndirect(sigRef(typeIndex), callee.code(), callee.args()));
  }

  /**
   * {@code return_call_indirect t (type y)} (tail-call proposal): the checks of {@link
   * #callIndirect}, then a tail call through the callee's {@code wasm_call}; through a fixed table,
   * a direct tail call of the slot's function where the index is one of its slots of type {@code
   * y}, as {@link #callIndirect} does.
   */
  void returnCallIndirect(int typeIndex, int table, int indexOperand, int[] args) {
    var guarded = guardedCandidates(typeIndex, table);
    guarded.ifPresent(c -> compareWithSlots(c, table, indexOperand, f -> fenv.returnCallFunction(f, args)));
    int checkedFrom = b.currentBlock();
    IndirectCallee callee = indirectCallee(typeIndex, table, indexOperand, args);
    b.ins().returnCallIndirect(sigRef(typeIndex), callee.code(), callee.args());
    guarded.ifPresent(c -> markColdIfOnlyTraps(c, checkedFrom));
  }

  private Optional<FixedTables.Candidates> guardedCandidates(int typeIndex, int table) {
    return env.fixedTables().candidates(table, typeIndex)
        .filter(c -> c.count() > 0 && c.count() <= MAX_GUARDED_SLOTS);
  }

  /**
   * Compares {@code indexOperand} with each candidate slot in turn; where equal, a block that {@code
   * call} ends with a call of the slot's function (one block per distinct function, laid out
   * right after the first compare that reaches it, so the call falls through from its compare).
   * Leaves the builder in the block every other index reaches.
   */
  private void compareWithSlots(FixedTables.Candidates candidates, int table, int indexOperand, IntConsumer call) {
    Map<Integer, Integer> callBlocks = new HashMap<>();
    for (int i = 0; i < candidates.count(); i++) {
      int function = candidates.functions()[i];
      Integer placed = callBlocks.get(function);
      int callBlock = placed != null ? placed : b.createBlock();
      int next = b.createBlock();
      InstBuilder ins = b.ins();
      int slot = is64(table) ? ins.iconst(Type.I64, candidates.slots()[i])
          : ins.iconst(Type.I32, (int) candidates.slots()[i]);
      int isSlot = ins.icmp(IntCC.EQ, indexOperand, slot);
      ins.brif(isSlot, new BranchTarget(callBlock), new BranchTarget(next));
      if (placed == null) {
        callBlocks.put(function, callBlock);
        b.switchToBlock(callBlock);
        call.accept(function);
      }
      b.sealBlock(next);
      b.switchToBlock(next);
    }
    callBlocks.values().forEach(b::sealBlock);
  }

  /**
   * When the candidates are every call the table can make, the checked path from block {@code
   * from} to the current block only traps: both are moved out of line (the lazy slot's
   * initialisation between them already is).
   */
  private void markColdIfOnlyTraps(FixedTables.Candidates candidates, int from) {
    if (candidates.exhaustive()) {
      b.markCold(from);
      b.markCold(b.currentBlock());
    }
  }

  /** The checked callee of an indirect call: its code address and the full argument list. */
  private record IndirectCallee(int code, int[] args) {}

  private IndirectCallee indirectCallee(int typeIndex, int table, int indexOperand, int[] args) {
    int index = widen(table, indexOperand);
    InstBuilder ins = b.ins();
    Definition def = definition(table);
    int base = def.base();
    int slot = slotAddress(def, base, index, TrapCode.UNDEFINED_ELEMENT);
    // A lazy table's slot stays tagged: null is INIT_BIT, and the VMFuncRef's fields are read at
    // their offsets minus the tag, so the hot path has no untagging instruction.
    boolean tagged = lazy(table);
    int funcRef = tagged ? readTaggedSlot(base, slot, index) : readSlot(table, base, slot, index);
    int untag = tagged ? (int) -TableStorage.INIT_BIT : 0;
    ins = b.ins();
    if (tagged) {
      ins.trapnz(ins.icmp(IntCC.EQ, funcRef, ins.iconst(Type.I64, TableStorage.INIT_BIT)),
          TrapCode.UNINITIALIZED_ELEMENT);
    } else {
      ins.trapz(funcRef, TrapCode.UNINITIALIZED_ELEMENT);
    }
    int calleeType = ins.load(Opcode.ULOAD32, Type.I64, VMCTX_READONLY, funcRef, VmLayout.FUNC_REF_TYPE_ID + untag);
    int expected = ins.load(Opcode.ULOAD32, Type.I64, VMCTX_READONLY, fenv.vmctx(), layout.typeId(typeIndex));
    SubType declared = env.module().typeSection().subTypes().get(typeIndex);
    if (declared.isFinal()) {
      // A final type has no subtypes (spec 3.0 3.2.x "sub"): only its own id matches.
      ins.trapnz(ins.icmp(IntCC.NE, calleeType, expected), TrapCode.BAD_SIGNATURE);
    } else {
      checkSubtypeWhenNotEqual(calleeType, expected, supertypeDepth(typeIndex));
    }
    return callee(funcRef, untag, args);
  }

  /**
   * The 3.0 rule for a non-final expected type (spec 3.0 4.4.8.7: the callee's type must match
   * {@code y}): equal ids call at once; any other id is looked up in its display (loader
   * {@code runtime.RuntimeTypes}, through the store context's {@code type_displays}), out of line,
   * and matches when its supertype chain holds the expected id at the expected type's depth.
   */
  private void checkSubtypeWhenNotEqual(int calleeType, int expected, int depth) {
    int lookup = b.createBlock();
    int matched = b.createBlock();
    b.ins().brif(b.ins().icmp(IntCC.NE, calleeType, expected), new BranchTarget(lookup), new BranchTarget(matched));
    b.sealBlock(lookup);
    b.switchToBlock(lookup);
    b.markCold(lookup);
    InstBuilder ins = b.ins();
    int context = ins.load(Opcode.LOAD, Type.I64, VMCTX_READONLY, fenv.vmctx(), VmLayout.STORE_CONTEXT);
    int display = SupertypeDisplays.display(ins, context, calleeType);
    int calleeDepth = SupertypeDisplays.depth(ins, display);
    ins.trapnz(ins.icmp(IntCC.ULT, calleeDepth, ins.iconst(Type.I64, depth)), TrapCode.BAD_SIGNATURE);
    int ancestor = SupertypeDisplays.ancestor(ins, display, depth);
    ins.trapnz(ins.icmp(IntCC.NE, ancestor, expected), TrapCode.BAD_SIGNATURE);
    ins.jump(matched);
    b.sealBlock(matched);
    b.switchToBlock(matched);
  }

  private int supertypeDepth(int typeIndex) {
    return SupertypeDisplays.supertypeDepth(env.module().typeSection().subTypes(), typeIndex);
  }

  /** The call through VMFuncRef {@code funcRef} (at {@code funcRef - untag}): its code and the argument list. */
  private IndirectCallee callee(int funcRef, int untag, int[] args) {
    InstBuilder ins = b.ins();
    int code = ins.load(Opcode.LOAD, Type.I64, VMCTX_READONLY, funcRef, VmLayout.FUNC_REF_WASM_CALL + untag);
    int calleeVmctx = ins.load(Opcode.LOAD, Type.I64, VMCTX_READONLY, funcRef, VmLayout.FUNC_REF_VMCTX + untag);
    int[] all = new int[args.length + 2];
    all[0] = calleeVmctx;
    all[1] = fenv.vmctx();
    System.arraycopy(args, 0, all, 2, args.length);
    return new IndirectCallee(code, all);
  }

  // ---------------------------------------------------------------- call_ref

  /**
   * {@code call_ref $t} (WebAssembly 3.0 spec 4.4.8): a null reference traps ("null function
   * reference"), any other is called through its VMFuncRef's {@code wasm_call} with its vmctx, the
   * same call as a {@code call_indirect} hit. No type id is compared: validation proved the
   * reference's type is a subtype of {@code $t}, and a function reference can be made only by
   * {@code ref.func}, a table or an import, each checked against its type.
   */
  int[] callRef(int typeIndex, int funcRef, int[] args) {
    nulls.check(funcRef, TrapCode.INDIRECT_CALL_TO_NULL);
    IndirectCallee callee = callee(funcRef, 0, args);
    return b.instResults(b.ins().callIndirect(sigRef(typeIndex), callee.code(), callee.args()));
  }

  /** {@code return_call_ref $t}: {@link #callRef}'s null check, then a tail call through the reference. */
  void returnCallRef(int typeIndex, int funcRef, int[] args) {
    nulls.check(funcRef, TrapCode.INDIRECT_CALL_TO_NULL);
    IndirectCallee callee = callee(funcRef, 0, args);
    b.ins().returnCallIndirect(sigRef(typeIndex), callee.code(), callee.args());
  }

  private int sigRef(int typeIndex) {
    return sigRefsByType.computeIfAbsent(typeIndex, t -> {
      Signature sig = env.typeSignature(t);
      if (sig == null) {
        throw new IllegalStateException("type " + t + " has no IR signature: " + env.module().types().get(t));
      }
      return b.importSignature(sig);
    });
  }

  // ---------------------------------------------------------------- slots

  /** Whether table {@code table}'s slots are tagged and lazily initialised. */
  private boolean lazy(int table) {
    return env.tableLazyInit() && env.tableType(table).elementType() == ValType.FUNCREF;
  }

  private int tag(int table, int value) {
    if (!lazy(table)) {
      return value;
    }
    InstBuilder ins = b.ins();
    return ins.binary(Opcode.BOR, Type.I64, value, ins.iconst(Type.I64, TableStorage.INIT_BIT));
  }

  /**
   * Loads a slot and, in a lazy table, initialises it on first use: a non-zero slot is already
   * initialised (its tag is stripped), a zero slot goes to the TABLE_LAZY_INIT builtin, which
   * stores and returns the tagged value from the table's image.
   */
  private int readSlot(int table, int base, int address, int index) {
    if (!lazy(table)) {
      return b.ins().load(Opcode.LOAD, Type.I64, SLOT, address, 0);
    }
    return b.ins().band(readTaggedSlot(base, address, index), b.ins().iconst(Type.I64, ~TableStorage.INIT_BIT));
  }

  /** A lazy table's slot, initialised if it was not: the tagged value ({@code ref | INIT_BIT}). */
  private int readTaggedSlot(int base, int address, int index) {
    InstBuilder ins = b.ins();
    int stored = ins.load(Opcode.LOAD, Type.I64, SLOT, address, 0);
    // The edges carry no values (the slot is read again after the join, an L1 hit), so neither is
    // split for block-argument moves and the initialised case is one compare and one branch.
    int done = b.createBlock();
    int init = b.createBlock();
    ins.brif(stored, new BranchTarget(done), new BranchTarget(init));
    // The initialisation runs once per slot (per group of slots): out of line, after the function.
    b.markCold(init);
    b.sealBlock(init);
    b.switchToBlock(init);
    fenv.callBuiltin(Builtin.TABLE_LAZY_INIT, base, index);
    b.ins().jump(done);
    b.sealBlock(done);
    b.switchToBlock(done);
    return b.ins().load(Opcode.LOAD, Type.I64, SLOT, address, 0);
  }

  /** Bounds-checks the i64 {@code index} against the table's length and returns its slot's address. */
  private int slotAddress(Definition def, int base, int index, TrapCode outOfBounds) {
    InstBuilder ins = b.ins();
    // index < length, unsigned: one compare fused into the conditional trap.
    ins.trapz(ins.icmp(IntCC.ULT, index, def.length()), outOfBounds);
    return ins.iadd(base, ins.binary(Opcode.ISHL, Type.I64, index, ins.iconst(Type.I64, 3)));
  }

  /**
   * Where a table's {@code {base, length}} record is, as a pointer value and an offset: this
   * function's vmctx and the inline record's offset, or an imported table's record pointer (loaded
   * once per operation) and 0.
   */
  private Definition definition(int table) {
    return switch (layout.table(table)) {
      case VmLocation.Inline(int offset) -> new Definition(fenv.vmctx(), offset);
      case VmLocation.ViaPointer(int pointer) ->
          new Definition(b.ins().load(Opcode.LOAD, Type.I64, VMCTX_READONLY, fenv.vmctx(), pointer), 0);
    };
  }

  /** A table definition record reached from an SSA pointer value. */
  private final class Definition {
    private final int pointer;
    private final int offset;

    Definition(int pointer, int offset) {
      this.pointer = pointer;
      this.offset = offset;
    }

    /** Slot 0; never moves (tables are reservations), so the load is readonly. */
    int base() {
      return b.ins().load(Opcode.LOAD, Type.I64, VMCTX_READONLY, pointer, offset + VmLayout.TABLE_BASE);
    }

    /** The current length; changes on table.grow (a call). */
    int length() {
      return b.ins().load(Opcode.LOAD, Type.I64, VMCTX_MUTABLE, pointer, offset + VmLayout.TABLE_LENGTH);
    }
  }
}
