package dev.kiln.codegen.regalloc;

/**
 * Where each vreg is defined and read, as {@link FunctionValidator} finds it on its walk over every
 * operand (it checks that each vreg has one class and one definition there anyway): the facts
 * {@link Liveness} starts from and {@link IntervalBuilder} names its pieces' classes by, which
 * took walks over every operand of their own (liveness's three: 2% of the allocator's samples on
 * yosys's compile).
 *
 * @param classes per vreg, its class (null for a vreg that never occurs)
 * @param defBlock per vreg, the block that defines it (-1: none)
 * @param defInst per vreg, its defining instruction; for a block parameter, the instruction before
 *     its block's first
 * @param reads the upward-exposed reads as flat (vreg, block) pairs in the walk's order: block b
 *     reads the vreg before (or at) any definition of it in b, so it is live into b
 * @param readCount how many pairs {@code reads} holds
 * @param stackVRegs the vreg of each STACK operand, in operand order (which needs its slot before
 *     the slots are shared out)
 * @param occurrences per vreg, how many times the function names it: as an operand, a block
 *     parameter or a branch argument (what bounds its use positions, {@link VRegPositions})
 */
record VRegSites(RegClass[] classes, int[] defBlock, int[] defInst, int[] reads, int readCount,
    int[] stackVRegs, int[] occurrences) {}
