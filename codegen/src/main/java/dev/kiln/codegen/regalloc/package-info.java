/**
 * Register allocation for Kiln's backends: a linear-scan allocator with interval splitting behind a
 * narrow, ISA-neutral interface, and a symbolic checker that re-verifies any allocation (the shape
 * of regalloc2: its {@code src/lib.rs} client interface and {@code src/checker.rs}).
 *
 * <h2>The interface</h2>
 *
 * <pre>
 *   lowering (x64, aarch64)                      this package
 *   ─────────────────────────                    ──────────────────────────────────────────
 *   VCode on vregs ──implements──▶ RegAllocFunction ─┐
 *   ABI ───────────builds───────▶ MachineEnv ────────┼─▶ RegAllocator.allocate ─▶ RegAllocOutput
 *                                                    │        │                   allocations per operand
 *                                                    └────────┴─▶ Checker.check   edits (moves)
 *   emit: for each inst i: edits before(i), inst with allocations(i), edits after(i)
 *         prologue saves calleeSavedUsed; frame holds spillSlots(INT) x 8 + spillSlots(FLOAT) x 16 bytes
 * </pre>
 *
 * <p>A {@link dev.kiln.codegen.regalloc.RegAllocFunction} lists blocks (contiguous instruction
 * ranges, block 0 the entry), successors, predecessors, SSA block parameters, the values each branch
 * passes to them, and per instruction its {@link dev.kiln.codegen.regalloc.Operand}s
 * ({@code USE|DEF}, {@code EARLY|LATE}, constraint {@code ANY|REG|STACK|FIXED(preg)|REUSE(i)}), clobbers
 * and move/branch/return flags. Incoming arguments are FIXED DEFs of an "args" pseudo-instruction at
 * the top of the entry block (the entry block has no parameters); return values are FIXED USEs of the
 * return. Calls are instructions with FIXED argument USEs, FIXED result DEFs and the caller-saved set as
 * clobbers. A call with an exceptional edge names its landing block, a successor of its block that the
 * unwinder enters with no register restored: the values live into it are in their slots from the call
 * on ({@code LandingPadValues}), every other value is treated as across a plain call, and the function
 * saves every callee-saved register. The allocator reads the block graph and the values on it as
 * flat arrays ({@link dev.kiln.codegen.regalloc.BlockEdges}, through {@code
 * RegAllocFunction.blockEdges}: VCode makes them once when finished, and its list views from them)
 * and the operands as one table ({@code InstOperands}), which it validates before anything else
 * reads them.
 *
 * <h2>Edges</h2>
 *
 * <p>The lowering splits critical edges, so every edge either leaves a block with one successor or
 * enters a block with one predecessor. Edge moves (block parameters and values whose location differs
 * across the edge) go at the top of the successor when it has one predecessor, otherwise in front of
 * the predecessor's jump, which therefore has no operands. They form one parallel move, sequentialized
 * with cycles broken through the class's scratch register or, without one, a spare spill slot.
 *
 * <h2>The algorithm</h2>
 *
 * <pre>
 *   validate contract ─▶ liveness: per vreg, the blocks it is live into and out of as runs of
 *        consecutive blocks, found by walking back from its uses to its definition (path exploration,
 *        Brandner et al., INRIA RR-7503, 2011), a single-entry acyclic run of blocks such as a chain
 *        of diamonds marked in one step ({@code Liveness}, {@code ForwardRegions}); past a budget
 *        of runs per block and vreg (or per vreg), a vreg's runs are kept as their hull, and past a
 *        budget of walk steps, regions whose blocks may also leave them are marked whole (and a
 *        block of many predecessors from the region that holds them)
 *     ─▶ one interval per vreg: ranges over positions (inst i: EARLY=2i, LATE=2i+1), register-use
 *        positions; per register the blocked ranges of FIXED operands, per class the clobbered
 *        positions, each with its registers; per vreg read by
 *        a landing pad, the ranges from each such call to its block's end where it has no register
 *     ─▶ linear scan per class (Wimmer/Moessenboeck): free register with the longest free range
 *        (hints: the vreg's own FIXED register, a dying REUSE input's register, copy source, incoming
 *        block argument, split parent; caller-saved before callee-saved), else split where it stops
 *        being free, else evict the pieces needed again last (or spill the current one): "needed
 *        again" is the next register use, and at most just before the end of the innermost loop
 *        around the scan position that uses the value anywhere, so a loop keeps what it uses and
 *        gives up first what it never uses; such a value moves to its slot at the top of the
 *        outermost loop that never uses it (one store on the way in) rather than at the scan
 *        position. A spilled piece lives in the vreg's slot up to its reload, placed at the gap
 *        before its next register use or, when a block top in between is in a shallower loop, there
 *     ─▶ spill slots shared by vregs whose lifetimes never meet (greedy colouring), a spilled block
 *        parameter first joined with the spilled arguments it meets only at their edge, whose edge
 *        move then vanishes
 *     ─▶ resolution: operand allocations, fixup moves for FIXED/STACK/REUSE operands, moves between
 *        pieces of a split vreg and edge moves (asked only of the vregs with a piece boundary between
 *        an edge's two ends, {@code EdgeCrossings}), a store into the slot left out (at a split and on
 *        an edge) where the slot already holds the vreg on every path: a forward dataflow over
 *        the stores, reloads, definitions and stack operands of each spilled vreg ({@code
 *        SlotHolding}); each group a parallel move ({@code Resolution} lists the phases and why
 *        their order is safe)
 *     ─▶ redundant moves dropped: a forward walk per block knows which locations hold the same
 *        value and removes a move into a location that already holds it; a reload reads a register
 *        holding the value instead of the slot ({@code RedundantMoves})
 * </pre>
 *
 * <p>{@link dev.kiln.codegen.regalloc.MoveCounts} counts what is left (spill stores, reloads,
 * copies, each also inside loops) for {@code kiln compile -v} and {@code bench/run moves}: the
 * deterministic measure of allocator changes.
 *
 * <p>The loop nest (depths for reload placement, innermost loops and hulls for eviction; {@code
 * LoopNest}) comes from the blocks' immediate dominators ({@code ImmediateDominators},
 * Lengauer-Tarjan); which slots already hold their vreg is a forward dataflow over the blocks
 * ({@code SlotHolding}).
 * Every step is linear or near-linear in the function's instructions (the loop nest in instructions
 * times nesting depth), except {@code SlotHolding}'s bit sets, blocks x spilled vregs / 64 words;
 * on sightglass's largest functions (18k instructions) allocation costs about 4 us of CPU per
 * instruction.
 *
 * <pre>
 *   positions    inst 3         inst 4         inst 5        moves happen only in the gaps "|",
 *              | 6E  7L |     | 8E  9L |     | 10E 11L |     before an EARLY point
 *   v1  [6,9)  ==========       use@8 dies
 *   v2  [9,..)                      def@9 ============>     v2 may take v1's register
 *   clobber p0                       [9,10)                 a call at 4 blocks p0 at its LATE point
 * </pre>
 *
 * <p>A FIXED operand pins the vreg's piece only where the allocator chooses so: the fixed register
 * is blocked at that point for every other vreg, the vreg's own piece may sit there (a hint steers it
 * there, so an argument that stays in its register costs nothing), and otherwise the value is copied
 * into the fixed register before the instruction (or out of it after). So constraints never conflict
 * with each other. A REUSE output gets a register from the EARLY point and the input is copied into
 * it before the instruction; when the input dies there, the copy runs with the gap's other moves, the
 * output takes the input's register, and the copy disappears (x86 two-address chains cost nothing).
 *
 * <h2>The checker</h2>
 *
 * <p>{@link dev.kiln.codegen.regalloc.Checker} trusts nothing from the allocator but its output: it
 * tracks which vregs' values each register and slot holds, through edits, defs, clobbers and block
 * parameters, merging at block tops to a fixed point, and rejects any operand that does not find its
 * value or breaks its constraint. Tests run it after every allocation.
 */
package dev.kiln.codegen.regalloc;
