package dev.kiln.codegen.emit;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.FinishedCode;
import dev.kiln.codegen.HandlerSite;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.LabelUse;
import dev.kiln.codegen.PackedSourceMap;
import dev.kiln.codegen.StackMapSite;
import dev.kiln.codegen.abi.ArgumentArea;
import dev.kiln.codegen.abi.Frame;
import dev.kiln.codegen.abi.FramePrologue;
import dev.kiln.codegen.regalloc.Allocation;
import dev.kiln.codegen.regalloc.BlockEdges;
import dev.kiln.codegen.regalloc.Checker;
import dev.kiln.codegen.regalloc.Edit;
import dev.kiln.codegen.regalloc.MachineEnv;
import dev.kiln.codegen.regalloc.PReg;
import dev.kiln.codegen.regalloc.ProgPoint;
import dev.kiln.codegen.regalloc.RegAllocOutput;
import dev.kiln.codegen.regalloc.RegAllocator;
import dev.kiln.codegen.vcode.VCode;
import dev.kiln.codegen.vcode.VCodeInst;
import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.InlineSite;
import dev.kiln.ir.TrapCode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One function's emission after register allocation: the ISA-neutral walk over its blocks. A
 * subclass per ISA encodes single instructions ({@link #emitInst}) and allocator moves ({@link
 * #move}) into {@link #buf}, and emits what surrounds the body (prologue before {@link
 * #emitBlocks()}, out-of-line blocks after it).
 *
 * @param <I> the ISA's machine instruction
 */
public abstract class FunctionEmission<I extends VCodeInst> {
  /** Set {@code -Dkiln.regalloc.check=true} to run the allocation checker on every function. */
  public static final String CHECK_PROPERTY = "kiln.regalloc.check";

  /**
   * {@link #CHECK_PROPERTY}, read once rather than looked up and parsed for every function: only the
   * JVM's command line sets it (tests ask for the checker through {@code check}).
   */
  private static final boolean CHECK_EVERY_FUNCTION = Boolean.getBoolean(CHECK_PROPERTY);

  protected final VCode<I> vc;
  protected final RegAllocOutput out;
  /** A function body's branches take their short forms where they reach (CodeBuffer#finish). */
  protected final CodeBuffer buf = CodeBuffer.shorteningBranches();
  private final Label[] blockLabels;
  /**
   * Per block: the block whose code runs when control reaches it. That is the block itself, except
   * for an empty jump block (one unconditional jump, no allocator moves; the lowering's critical-edge
   * blocks mostly end up so), which forwards to its jump's final destination and emits nothing.
   */
  private final int[] forward;
  /** Per block, the first block after it that is emitted (forwards to itself), or -1. */
  private final int[] nextEmitted;
  /** The address map, code offsets as emitted (before branch shortening). */
  private final PackedSourceMap.Builder sourceMap = new PackedSourceMap.Builder();
  private final List<PendingHandlerSite> handlerSites = new ArrayList<>();
  private final List<StackMapSite> stackMapSites = new ArrayList<>();
  /** The slots every stack map site names besides its own ({@link #residentSlots}). */
  private int[] residentSlotOffsets = new int[0];
  /** The calls inlined into the function, which its address map indexes ({@link #inlineSites}). */
  private List<InlineSite> inlineSites = List.of();
  /** Constant data the code reads, by its bytes in hex, each once, in first-use order. */
  private final Map<String, Label> constants = new LinkedHashMap<>();
  /** The jump tables {@link #jumpTable} handed out: each table's label and its targets. */
  private final Map<Label, List<Label>> jumpTables = new LinkedHashMap<>();
  /** Bytes {@link #constants} and {@link #jumpTables} take when placed, alignment included. */
  private long pendingDataBytes;
  /** The out-of-line trap calls {@link #trapSiteLabel} handed out, in first-use order. */
  private final Map<TrapSiteKey, Label> trapSites = new LinkedHashMap<>();
  private int currentBlock;
  private final CodeLayout layout;
  /** {@link CodeLayout#islands()}, read at every island point. */
  private final boolean islands;
  /** Where loop headers start: a multiple of this many bytes from the function's start. */
  private final int loopAlignment;
  /** How many times {@link #islandPoint()} asked the buffer whether an island is due (for tests). */
  int islandChecks;
  /** The wasm offset the address map gives the instruction being emitted. */
  private int emittingLoc = DataFlowGraph.NO_SOURCE_LOC;
  /** The inline site of {@link #emittingLoc}. */
  private int emittingSite = InlineSite.NONE;

  /**
   * A conditional trap's destination: its reason, the register holding the vmctx there (encoding)
   * and the wasm offset and inline site of the instruction that traps ({@code NO_SOURCE_LOC} for
   * the code every site of one reason and register shares).
   */
  private record TrapSiteKey(TrapCode code, int vmctx, int sourceLoc, int inlineSite) {
    // equals and hashCode written out: the record's generated ones go through an invokedynamic
    // bootstrap (ObjectMethods) that C1, kiln compile's JIT under 24 MB, does not inline, and a key is
    // hashed per trapping instruction. The generated hash's formula, so the sites iterate as before.
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof TrapSiteKey k && k.code == code && k.vmctx == vmctx
          && k.sourceLoc == sourceLoc && k.inlineSite == inlineSite;
    }

    @Override
    public int hashCode() {
      return ((31 * code.hashCode() + vmctx) * 31 + sourceLoc) * 31 + inlineSite;
    }
  }

  /**
   * How an ISA's code is laid out around its instructions.
   *
   * @param target the ISA, whose functions the linker places at {@link Target#codeAlignment()}
   * @param jumpTableEntry the kind of a jump table entry's field, which adds to the field the
   *     distance from the field's end, {@code jumpTableFieldEnd} bytes after its start, to the target
   * @param jumpTableFieldEnd where a jump table entry's field ends, in bytes from its start
   * @param jumpTablesFirst whether the jump tables come before the constants in the function's data
   *     (x86-64's layout) or after them (AArch64's): each ISA keeps the layout its code has always had
   * @param islands whether a label use or a data field can run out of reach between two
   *     instructions of a function, so that {@link #islandPoint()} asks the buffer whether an island
   *     is due: AArch64's (b.cond and LDR literal reach 1 MiB). x86-64's rel32 reaches every offset
   *     (its buffer never keeps such a use pending, {@code CodeBuffer#useLabel}), and its rel8 jumps
   *     are bound inside the instruction that makes them, so no island point of x86-64 code can need
   *     one; a rel8 left out of reach would fail {@code CodeBuffer#finish}, not go wrong silently
   */
  public record CodeLayout(Target target, LabelUse jumpTableEntry, int jumpTableFieldEnd, boolean jumpTablesFirst,
      boolean islands) {}

  /**
   * Creates the function's buffer with one label per VCode block, for code laid out as {@code
   * layout} says; loops are aligned as the linker aligns functions ({@link Target#codeAlignment()}):
   * the same alignment inside the function is then the same in memory.
   */
  protected FunctionEmission(VCode<I> vc, RegAllocOutput out, CodeLayout layout) {
    this.vc = vc;
    this.out = out;
    this.layout = layout;
    this.islands = layout.islands();
    this.loopAlignment = layout.target().codeAlignment();
    blockLabels = new Label[vc.numBlocks()];
    for (int b = 0; b < blockLabels.length; b++) {
      blockLabels[b] = buf.createLabel();
    }
    forward = forwardingTargets(vc, out);
    nextEmitted = new int[forward.length];
    for (int b = forward.length - 1, next = -1; b >= 0; b--) {
      nextEmitted[b] = next;
      if (forward[b] == b) {
        next = b;
      }
    }
  }

  /**
   * {@link #forward} for every block. Branch threading: a branch into an empty jump block goes to
   * the jump's destination instead, so a loop's back edge out of a two-way branch is one conditional
   * branch ({@code jb head}) instead of a branch out of the loop and a jump back ({@code jae exit;
   * jmp head}), and no code is laid out for the empty block. The entry block is never skipped (the
   * prologue falls into it), and a cycle of empty blocks (an empty endless loop) keeps its jumps.
   */
  private static int[] forwardingTargets(VCode<?> vc, RegAllocOutput out) {
    List<Edit> edits = out.edits();
    int n = vc.numBlocks();
    int[] jumpsTo = new int[n];
    // The successors from the flat arrays VCode.finish made, not from each block's target list.
    BlockEdges edges = vc.blockEdges();
    // Whether the allocator put a move at a lone jump: a search of the edits (sorted by program
    // point, RegAllocOutput) for the few lone jumps only, from where the last one ended, as blocks
    // hold ascending instructions (filled in number order, VCode.startBlock); marking every edit's
    // instruction in an array per function cost a pass over all edits and an array as long as the
    // code.
    int searchedTo = 0;
    for (int b = 0; b < n; b++) {
      int instEnd = vc.blockEnd(b);
      int last = instEnd - 1;
      boolean emptyJump = false;
      if (b != 0 && instEnd - vc.blockStart(b) == 1 && vc.isBranch(last) && edges.successorCount(b) == 1
          && vc.instOperands(last).isEmpty()) {
        searchedTo = firstEditAtOrAfter(edits, searchedTo, last);
        emptyJump = searchedTo == edits.size() || edits.get(searchedTo).point().inst() != last;
      }
      jumpsTo[b] = emptyJump ? edges.successor(b, 0) : b;
    }
    // Where each chain of empty jumps ends (a block that is no empty jump), or -1 for a chain that
    // runs into a cycle of them (a wasm `loop br 0 end`): a block forwards to its chain's end, or to
    // itself on a cycle. Each block's end is found once and shared by every chain through it;
    // following each block's chain on its own cost the chain's length per block, and nested
    // blocks or loops make chains as long as the function.
    final int unseen = -2;
    final int onPath = -3;
    int[] end = new int[n];
    java.util.Arrays.fill(end, unseen);
    int[] path = new int[n];
    for (int b = 0; b < n; b++) {
      int length = 0;
      int t = b;
      while (end[t] == unseen && jumpsTo[t] != t) {
        end[t] = onPath;
        path[length++] = t;
        t = jumpsTo[t];
      }
      int result = end[t] == onPath ? -1 : end[t] == unseen ? t : end[t];
      if (end[t] == unseen) {
        end[t] = t;
      }
      while (length > 0) {
        end[path[--length]] = result;
      }
    }
    int[] forward = new int[n];
    for (int b = 0; b < n; b++) {
      forward[b] = end[b] < 0 ? b : end[b];
    }
    return forward;
  }

  /**
   * Most bytes of code emitted between two {@link #islandPoint()}s: one instruction with the
   * allocator's moves around it, or one step of an instruction that asks for island points itself
   * (an AArch64 tail call's stack arguments). The largest lowered instruction is a few hundred bytes.
   */
  static final int ISLAND_MARGIN = 8 * 1024;

  /**
   * Encodes {@code inst} with its operands in {@code allocations} (operand order), a list valid only
   * for this call ({@link RegAllocOutput#allocationsInTurn}): nothing keeps it.
   */
  protected abstract void emitInst(I inst, List<Allocation> allocations);

  /** Encodes an allocator move between two different locations. */
  protected abstract void move(Edit edit);

  /**
   * Emits every block in order: pads a loop header to the loop alignment with no-ops (which run
   * once per entry into the loop, not per iteration), binds its label, then per instruction a
   * source mapping where the wasm offset changes, the edits before it, the instruction, the edits
   * after it. A {@link
   * VCodeInst.Kind#MOVE} whose use and def got the same location emits nothing (the allocator
   * coalesced it), as does an edit whose ends are the same.
   */
  protected final void emitBlocks() {
    List<Edit> edits = out.edits();
    RegAllocOutput.InTurn allocations = out.allocationsInTurn();
    int e = 0;
    int nextEdit = editKey(edits, e);
    int lastLoc = DataFlowGraph.NO_SOURCE_LOC;
    int lastSite = InlineSite.NONE;
    boolean[] loopHeads = backwardBranchTargets();
    int blocks = vc.numBlocks();
    for (int b = 0; b < blocks; b++) {
      CompileDeadline.poll();
      if (forward[b] != b) {
        continue;
      }
      currentBlock = b;
      if (loopHeads[b]) {
        buf.alignCode(loopAlignment, new LoopPadding(this));
      }
      islandPoint();
      buf.bind(blockLabels[b]);
      int end = vc.blockEnd(b);
      for (int i = vc.blockStart(b); i < end; i++) {
        islandPoint();
        I inst = vc.inst(i);
        int loc = inst.sourceLoc();
        int site = inst.inlineSite();
        if (loc != DataFlowGraph.NO_SOURCE_LOC && (loc != lastLoc || site != lastSite)) {
          sourceMap.add(buf.offset(), loc, site);
          lastLoc = loc;
          lastSite = site;
        }
        emittingLoc = lastLoc;
        emittingSite = lastSite;
        // The island point just above comes before the first edit (no code between them): one
        // before each later edit, and before the instruction when an edit came first.
        boolean edited = false;
        while (nextEdit <= 2 * i) {
          if (edited) {
            islandPoint();
          }
          edited = true;
          applyEdit(edits.get(e++));
          nextEdit = editKey(edits, e);
        }
        if (edited) {
          islandPoint();
        }
        List<Allocation> allocs = allocations.of(i);
        if (inst.kind() != VCodeInst.Kind.MOVE || !allocs.get(0).equals(allocs.get(1))) {
          emitInst(inst, allocs);
        }
        while (nextEdit <= 2 * i + 1) {
          islandPoint();
          applyEdit(edits.get(e++));
          nextEdit = editKey(edits, e);
        }
      }
    }
  }

  /**
   * The index of the first of {@code edits} (sorted by program point) at or after instruction {@code
   * inst}, searching from index {@code from} on (none before it is): {@code edits.size()} when none
   * is. A binary search, reading about log2 of the edits searched.
   */
  static int firstEditAtOrAfter(List<Edit> edits, int from, int inst) {
    int low = from;
    int high = edits.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (edits.get(mid).point().inst() < inst) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /**
   * Where edit {@code e} goes as one number, {@code 2 * inst} before instruction {@code inst} and
   * one more after it, so that {@link #emitBlocks} tests whether it is due at an instruction with
   * one comparison ({@link ProgPoint#isAtOrBefore} in arithmetic); past the last edit, more than
   * every instruction's.
   */
  private static int editKey(List<Edit> edits, int e) {
    if (e >= edits.size()) {
      return Integer.MAX_VALUE;
    }
    ProgPoint point = edits.get(e).point();
    return 2 * point.inst() + (point.side() == ProgPoint.Side.AFTER ? 1 : 0);
  }

  /**
   * The loop headers a branch from a block at or after them reaches (after branch threading), which
   * {@link #emitBlocks} aligns. Only natural loops' headers ({@link RegAllocOutput#isLoopHeader}): a
   * join that a cold block laid out at the end jumps back to is a backward branch's target but no
   * loop, and padding it would put no-ops on the hot path that falls into it.
   */
  private boolean[] backwardBranchTargets() {
    boolean[] heads = new boolean[vc.numBlocks()];
    if (out.loopHeaders().isEmpty()) {
      return heads; // no natural loop (most functions): no edge can reach a header
    }
    BlockEdges edges = vc.blockEdges();
    for (int b = 0; b < heads.length; b++) {
      if (forward[b] != b) {
        continue;
      }
      for (int k = 0; k < edges.successorCount(b); k++) {
        int original = edges.successor(b, k);
        int target = forward[original];
        // the header as laid out: a back edge may reach it through an empty critical-edge block,
        // and an empty header forwards to the block that holds the loop's code
        if (target <= b && (out.isLoopHeader(target) || out.isLoopHeader(original))) {
          heads[target] = true;
        }
      }
    }
    return heads;
  }

  /**
   * Emits {@code bytes} bytes of no-operation instructions into {@code into} (this function's buffer,
   * or a scratch one when branch shortening re-pads an alignment: {@link CodeBuffer#alignCode}).
   */
  protected abstract void emitNops(CodeBuffer into, int bytes);

  /**
   * A loop header's padding, the no-ops of {@code emission}: a class of its own, not the method
   * reference {@code this::emitNops}, which the launcher's lean C2 made on a slow path per loop
   * header (JFR over yosys: {@code DirectMethodHandle.allocateInstance} under {@link #emitBlocks},
   * 0.4% of the compile's samples).
   */
  private record LoopPadding(FunctionEmission<?> emission) implements CodeBuffer.PaddingFill {
    @Override
    public void fill(CodeBuffer into, int length) {
      emission.emitNops(into, length);
    }
  }

  /** Emits an unconditional jump to {@code label} (an island's way around itself). */
  protected abstract void emitJump(Label label);

  /**
   * A point where code may be interrupted by an island: between instructions, never inside one
   * (code there may assume the next instruction follows, a PC-relative offset in bytes, or flags).
   * When a label use would otherwise run out of reach before {@link #ISLAND_MARGIN} more bytes and
   * the island, places one here: a jump over it, the veneers that are due ({@link
   * CodeBuffer#emitDueVeneers}), then every constant and jump table handed out so far (their
   * fields have no veneers: an AArch64 LDR (literal) or ADR reaches 1 MiB). x86-64's rel32 fields
   * reach every offset a function can have, so only AArch64 code gets islands, and only in
   * functions of about a mebibyte or more. x86-64 code does not ask ({@link CodeLayout#islands}), and
   * this method is small enough for the launcher's C2 to inline (InlineSizeTest): an x86-64 island
   * point costs a field test, not a call.
   */
  public final void islandPoint() {
    if (islands) {
      islandChecks++;
      placeIslandIfDue();
    }
  }

  /** {@link #islandPoint()}'s question to the buffer, and the island when it is due. */
  private void placeIslandIfDue() {
    if (!buf.islandNeeded(ISLAND_MARGIN, pendingDataBytes)) {
      return;
    }
    Label over = buf.createLabel();
    emitJump(over);
    buf.emitDueVeneers(ISLAND_MARGIN);
    emitPendingData();
    buf.bind(over);
  }

  /**
   * Emits the end of the function after its code and out-of-line blocks: the veneers still pending
   * (a backward branch beyond reach near the end), then the constants and jump tables, so data of
   * any size never pushes a veneer out of its branch's reach. Called once.
   */
  protected final void emitEnd() {
    buf.emitAllVeneers();
    emitPendingData();
  }

  private void emitPendingData() {
    if (layout.jumpTablesFirst()) {
      emitJumpTables();
      emitConstantPool();
    } else {
      emitConstantPool();
      emitJumpTables();
    }
    constants.clear();
    jumpTables.clear();
    pendingDataBytes = 0;
  }

  private void applyEdit(Edit edit) {
    if (!edit.from().equals(edit.to())) {
      move(edit);
    }
  }

  /**
   * The label of a 16-byte constant with halves {@code low} (bytes 0-7) and {@code high} (bytes
   * 8-15), which {@link #emitConstantPool()} places after the code: vector instructions read their
   * masks and constants PC-relatively (x86-64 RIP-relative operands, AArch64 LDR literal), which
   * costs one load instead of building the value in a register.
   */
  public final Label constant128(long low, long high) {
    byte[] bytes = new byte[16];
    for (int i = 0; i < 8; i++) {
      bytes[i] = (byte) (low >>> (8 * i));
      bytes[8 + i] = (byte) (high >>> (8 * i));
    }
    return constantData(bytes);
  }

  /**
   * The label of constant data, {@code bytes} in memory order and a multiple of 16 bytes long,
   * placed after the code like {@link #constant128}: a table of masks one instruction indexes (a
   * shift's per-count masks).
   */
  public final Label constantData(byte[] bytes) {
    if (bytes.length == 0 || bytes.length % 16 != 0) {
      throw new IllegalArgumentException("constant data is whole 16-byte rows: " + bytes.length);
    }
    return constants.computeIfAbsent(HexFormat.of().formatHex(bytes), k -> {
      // The pool's alignment is counted once, with its first constant.
      pendingDataBytes += bytes.length + (constants.isEmpty() ? 15 : 0);
      return buf.createLabel();
    });
  }

  /**
   * Emits every constant {@link #constantData} handed out and not yet placed, each 16-byte aligned
   * relative to the function's start, which the linker places at {@link Target#codeAlignment()} (32
   * or 16 bytes): aligned in memory too, as x86-64's {@code movaps}-style operands need (an AArch64
   * 16-byte load needs no alignment: Arm ARM, "Alignment support"). After the code, or in an island.
   */
  private void emitConstantPool() {
    if (constants.isEmpty()) {
      return;
    }
    buf.alignTo(16, (byte) 0);
    for (Map.Entry<String, Label> c : constants.entrySet()) {
      buf.bind(c.getValue());
      buf.putBytes(HexFormat.of().parseHex(c.getKey()));
    }
  }

  /** A fresh label in this function's code. */
  public final Label newLabel() {
    return buf.createLabel();
  }

  /** Binds {@code label} at the current position. */
  public final void bind(Label label) {
    buf.bind(label);
  }

  /**
   * The label of a table of 32-bit entries, one per target, each the target's offset from the
   * table's start, which {@link #emitJumpTables} places after the code: offsets instead of addresses
   * keep the code position-independent with no relocation.
   */
  public final Label jumpTable(List<Label> targets) {
    Label table = buf.createLabel();
    jumpTables.put(table, List.copyOf(targets));
    pendingDataBytes += 4L * targets.size() + 3;
    return table;
  }

  /**
   * Emits every table {@link #jumpTable} handed out and not yet placed, 4-byte aligned, each entry a
   * fix-up of kind {@link CodeLayout#jumpTableEntry()}, which adds to the field the distance from the field's
   * end to the target: the field starts out as its end's distance from the table's start, so the
   * sum is the target's offset from the table's start. After the code, or in an island.
   */
  private void emitJumpTables() {
    LabelUse entry = layout.jumpTableEntry();
    int fieldEnd = layout.jumpTableFieldEnd();
    for (Map.Entry<Label, List<Label>> t : jumpTables.entrySet()) {
      buf.alignTo(4, (byte) 0);
      buf.bind(t.getKey());
      int start = buf.offset();
      for (Label target : t.getValue()) {
        int field = buf.offset();
        buf.put32(field + fieldEnd - start);
        buf.useLabel(field, target, entry);
      }
    }
  }

  /**
   * Maps the code emitted from here on to the function's first mapped wasm offset of its own body
   * (its first wasm instruction that has code and was not inlined; the first of all if every one
   * was): the out-of-line block of the prologue's stack check traps at the function's entry, not at
   * the code laid out before the block (the end of the body), nor inside a callee inlined first
   * thing, which has not been entered.
   */
  protected final void mapToFunctionEntry() {
    if (sourceMap.isEmpty()) {
      return;
    }
    int entry = 0;
    while (entry < sourceMap.size() && sourceMap.inlineSite(entry) != InlineSite.NONE) {
      entry++;
    }
    if (entry == sourceMap.size()) {
      entry = 0;
    }
    addUnlessLastIs(sourceMap.wasmOffset(entry), sourceMap.inlineSite(entry));
  }

  /**
   * The label a conditional trap of the instruction being emitted branches to, the vmctx in the
   * register with encoding {@code vmctx}. Each site (reason, register, wasm offset) gets its own
   * out-of-line call ({@link #emitTrapSites}): the trap's pc is that call's return address, which
   * the address map gives the trapping instruction's wasm offset. One block per reason and register
   * would leave every trap of the function at whatever offset the code before the block had.
   */
  public final Label trapSiteLabel(TrapCode code, int vmctx) {
    return trapSites.computeIfAbsent(new TrapSiteKey(code, vmctx, emittingLoc, emittingSite),
        k -> buf.createLabel());
  }

  /**
   * Emits the trap sites {@link #trapSiteLabel} handed out, each a call ({@link #emitTrapSiteCall})
   * mapped to its wasm offset and recorded in the trap table, then per reason and vmctx register the
   * code they call, which jumps on to the trap builtin ({@link #emitTrapTail}) so the builtin sees
   * the site's return address. Called once, after the code.
   */
  protected final void emitTrapSites() {
    Map<TrapSiteKey, Label> tails = new LinkedHashMap<>();
    for (Map.Entry<TrapSiteKey, Label> site : trapSites.entrySet()) {
      // Sites are never fallen into (each calls a tail that does not return), but a function's
      // sites may be many: the branches to the last ones, and the constants, need islands too.
      islandPoint();
      TrapSiteKey key = site.getKey();
      Label tail = tails.computeIfAbsent(
          new TrapSiteKey(key.code(), key.vmctx(), DataFlowGraph.NO_SOURCE_LOC, InlineSite.NONE),
          k -> buf.createLabel());
      buf.bind(site.getValue());
      // A site without a wasm offset maps to none (NO_SOURCE_LOC is the address map's NONE), not
      // to the site before it.
      addUnlessLastIs(key.sourceLoc(), key.inlineSite());
      buf.addTrap(emitTrapSiteCall(tail), artifactCode(key.code()).code());
    }
    for (Map.Entry<TrapSiteKey, Label> tail : tails.entrySet()) {
      buf.bind(tail.getValue());
      emitTrapTail(tail.getKey().code(), tail.getKey().vmctx());
    }
  }

  /**
   * Maps the code from here on to {@code wasmOffset} of {@code inlineSite}, unless the code before
   * it is already so mapped.
   */
  private void addUnlessLastIs(int wasmOffset, int inlineSite) {
    int last = sourceMap.size() - 1;
    if (last < 0 || sourceMap.wasmOffset(last) != wasmOffset || sourceMap.inlineSite(last) != inlineSite) {
      sourceMap.add(buf.offset(), wasmOffset, inlineSite);
    }
  }

  /** Emits a call to {@code tail}; returns the offset of its return address. */
  protected abstract int emitTrapSiteCall(Label tail);

  /**
   * Emits the end of every trap site of {@code code} with the vmctx in register {@code vmctx}: the
   * vmctx into the trap builtin's argument register, the reason into its code register and a jump
   * (not a call: the site's return address stays the trap pc) to the builtin.
   */
  protected abstract void emitTrapTail(TrapCode code, int vmctx);

  /**
   * Records a handler site ({@link dev.kiln.codegen.lower.EmitSession#handlerSite}): the current
   * offset is a call's return address, {@code landingBlock}'s label its landing pad, and {@code
   * frameBelowFp} the frame's size below its frame pointer, where the pad's stack pointer is.
   */
  protected final void recordHandlerSite(int landingBlock, int frameBelowFp) {
    handlerSites.add(new PendingHandlerSite(buf.offset(), blockLabel(landingBlock), frameBelowFp));
  }

  private record PendingHandlerSite(int returnOffset, Label landing, int frameBelowFp) {}

  /**
   * Records a GC safepoint ({@link dev.kiln.codegen.lower.EmitSession#stackMapSite}): the current
   * offset is a call's return address, {@code slotOffsets} the words above the body's stack pointer
   * that hold GC references under it, {@code frameBelowFp} the frame's size below its frame pointer.
   */
  protected final void recordStackMap(int[] slotOffsets, int frameBelowFp) {
    stackMapSites.add(new StackMapSite(buf.offset(), frameBelowFp, slotOffsets));
  }

  /**
   * The offsets above the body's stack pointer of the function's resident slots, which every stack
   * map site it records names besides its own ({@link
   * dev.kiln.codegen.lower.Lowered#residentSlotOffsets}); given once, before {@link #finish}.
   */
  final void residentSlots(int[] slotOffsets) {
    residentSlotOffsets = slotOffsets.clone();
  }

  /**
   * The calls inlined into the function ({@link dev.kiln.codegen.lower.Lowered#inlineSites}), which
   * the compiled function keeps beside its address map; given once, before {@link #finish}.
   */
  final void inlineSites(List<InlineSite> sites) {
    inlineSites = sites;
  }

  /** Finishes the buffer (patches label uses) into the compiled function. */
  protected final CompiledFunction finish() {
    FinishedCode done = buf.finish();
    // The offsets recorded while emitting are those before branch shortening (CodeBuffer#finish).
    List<HandlerSite> handlers = new ArrayList<>(handlerSites.size());
    for (PendingHandlerSite h : handlerSites) {
      handlers.add(new HandlerSite(buf.finalOffset(h.returnOffset()), buf.labelOffset(h.landing()),
          h.frameBelowFp()));
    }
    List<StackMapSite> stackMaps = new ArrayList<>(stackMapSites.size());
    for (StackMapSite m : stackMapSites) {
      stackMaps.add(new StackMapSite(buf.finalOffset(m.returnOffset()), m.frameBelowFp(), m.slotOffsets()));
    }
    return new CompiledFunction(done, sourceMap.pack(buf), out.stats().moveCounts(), inlineSites,
        handlers, stackMaps, residentSlotOffsets);
  }

  /** The label of the code that runs when control reaches VCode block {@code block}. */
  public final Label blockLabel(int block) {
    return blockLabels[forward[block]];
  }

  /**
   * Whether the prologue must compare the stack pointer with the store's limit: unless the function
   * is a leaf whose stack use, {@code frameBytes} (the ISA's frame record, saved registers and locals,
   * and what a trap site's call pushes), fits in {@code StoreLayout.UNCHECKED_LEAF_FRAME}, the bytes
   * every caller's check leaves free below the limit.
   */
  protected final boolean checksStack(int frameBytes) {
    return makesCalls() || frameBytes > StoreLayout.UNCHECKED_LEAF_FRAME;
  }

  /**
   * Whether the function calls anything: whether an instruction clobbers registers, which the
   * lowerings give every call (the caller-saved set) and nothing else. A tail call clobbers nothing
   * here: it leaves this frame first, and the callee checks its own.
   */
  private boolean makesCalls() {
    for (int i = 0; i < vc.numInsts(); i++) {
      if (!vc.instClobbers(i).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** The block being emitted. */
  protected final int currentBlock() {
    return currentBlock;
  }

  /**
   * Whether leaving the current block without a branch reaches the code of {@code block}: the next
   * block laid out is the one {@code block} forwards to. A branch there is dropped, or a two-way
   * branch inverted so that its other destination is the one taken.
   */
  public final boolean fallsThroughTo(int block) {
    int next = nextEmitted[currentBlock];
    return next >= 0 && next == forward[block];
  }

  /** The ISA's jump ({@link #emitJump}) to {@code block}, unless the current block falls through to it. */
  public final void jumpToBlock(int block) {
    if (!fallsThroughTo(block)) {
      emitJump(blockLabel(block));
    }
  }

  /**
   * Allocates registers for {@code vc} in {@code env}, and checks the allocation with the {@link
   * Checker} when {@code check} (tests always ask) or {@link #CHECK_PROPERTY} is set.
   */
  public static RegAllocOutput allocate(VCode<?> vc, MachineEnv env, boolean check) {
    RegAllocOutput out = RegAllocator.allocate(vc, env);
    if (check || CHECK_EVERY_FUNCTION) {
      Checker.check(vc, env, out);
    }
    return out;
  }

  /**
   * The registers of {@code calleeSaved} (in that order) the allocation wrote anywhere, which the
   * prologue must save; {@code preg} names a register as the allocator does.
   */
  public static <R> List<R> savedRegisters(RegAllocOutput out, List<R> calleeSaved,
      java.util.function.Function<R, PReg> preg) {
    List<R> saved = new ArrayList<>();
    for (R r : calleeSaved) {
      if (out.calleeSavedUsed().contains(preg.apply(r))) {
        saved.add(r);
      }
    }
    return saved;
  }

  /**
   * A function's registers allocated and its frame laid out: the allocation, the shape of its frame
   * ({@link Frame}: the callee-saved registers the allocation wrote, the save area, the local bytes)
   * and where its spill slots sit in it ({@link SpillArea}). Both ISAs' frames are described so,
   * which is what unwind tables and stack maps read.
   *
   * @param <R> the ISA's general-purpose register type
   */
  public record Allocated<R>(RegAllocOutput out, Frame<R> frame, SpillArea spills) {}

  /**
   * Allocates registers for {@code vc}, which needs {@code outgoingBytes} of outgoing arguments and
   * return areas, and lays out its frame: the spill slots above the outgoing area, and the frame the
   * ISA's {@code frameOf} builds for the registers of {@code calleeSaved} the allocation wrote and
   * the local bytes ({@code preg} names a register as the allocator does), below the incoming
   * argument area {@code arguments}.
   *
   * @param check run the allocation checker (tests always do; see {@link #CHECK_PROPERTY})
   */
  public static <R> Allocated<R> allocate(VCode<?> vc, int outgoingBytes, ArgumentArea arguments,
      MachineEnv env, boolean check, List<R> calleeSaved, java.util.function.Function<R, PReg> preg,
      java.util.function.BiFunction<List<R>, Integer, Frame<R>> frameOf) {
    RegAllocOutput out = allocate(vc, env, check);
    List<R> saved = savedRegisters(out, calleeSaved, preg);
    SpillArea spills = SpillArea.above(outgoingBytes, out);
    return new Allocated<>(out, frameOf.apply(saved, spills.bytes()).withArguments(arguments), spills);
  }

  /**
   * An ISA's instructions around a body in its {@link Frame}: the prologue with the stack check
   * (jumping to a stack-overflow block when the frame does not fit) and without it, and the block
   * that raises a trap, returning the offset of the return address its call records.
   *
   * @param prologue the prologue's steps, checked or not ({@link #checksStack})
   * @param trapBlock binds a label and raises the trap code there
   * @param trapCallBytes what a trap site's call pushes below the frame (the return address on
   *     x86-64; nothing on AArch64, whose call leaves it in a register)
   * @param epilogue restores the frame and returns
   * @param tailCallTearDown restores the frame for a tail call, without returning
   * @param <R> the ISA's general-purpose register type
   */
  public record FrameCode<R>(FramePrologue<R> prologue, TrapBlock trapBlock, int trapCallBytes, Epilogue<R> epilogue, TailCallTearDown<R> tailCallTearDown) {}

  /** Restores the caller's frame and returns, popping the argument area ({@code EmitSession.epilogue}). */
  @FunctionalInterface
  public interface Epilogue<R> {
    void emit(CodeBuffer buf, Frame<R> frame);
  }

  /** Restores the caller's frame for a tail call to a callee of {@code calleeStackBytes} of stack arguments. */
  @FunctionalInterface
  public interface TailCallTearDown<R> {
    void emit(CodeBuffer buf, Frame<R> frame, int calleeStackBytes);
  }

  /** Binds {@code label} and raises {@code code}; returns the offset of the recorded return address. */
  @FunctionalInterface
  public interface TrapBlock {
    int emit(CodeBuffer buf, Label label, dev.kiln.artifact.tables.TrapCode code);
  }

  /** The artifact's trap code for an IR trap code: the two enums share their constant names. */
  public static dev.kiln.artifact.tables.TrapCode artifactCode(TrapCode code) {
    return dev.kiln.artifact.tables.TrapCode.valueOf(code.name());
  }
}
