package dev.kiln.codegen.regalloc;


/**
 * Checks the {@link RegAllocFunction} contract before allocation, so a lowering bug surfaces as a
 * message naming the instruction rather than as a wrong allocation. Dominance of definitions over uses
 * is checked by liveness (a value live into the entry block has a use without a dominating def).
 */
final class FunctionValidator {
  private FunctionValidator() {}

  /**
   * Per edge (its index in {@code edges.succ}): whether its successor lists it among its predecessors.
   * Each predecessor entry must name a distinct edge into its block ({@link
   * RegAllocFunction#predEdgeIndex}, {@link BlockEdges#inEdge}); found from the entries in one pass,
   * since searching a successor's predecessor list per edge costs the square of a {@code br_table}'s size.
   */
  private static boolean[] listedEdges(BlockEdges edges, int n) {
    boolean[] listed = new boolean[edges.succ.length];
    for (int s = 0; s < n; s++) {
      for (int j = edges.predStart[s]; j < edges.predStart[s + 1]; j++) {
        int p = edges.pred[j];
        int e = edges.inEdge[j];
        if (p < 0 || p >= n || e < edges.succStart[p] || e >= edges.succStart[p + 1] || edges.succ[e] != s
            || listed[e]) {
          throw new RegAllocException(-1, "block " + s + " lists block " + p
              + " as a predecessor without a distinct edge from it");
        }
        listed[e] = true;
      }
    }
    return listed;
  }

  /**
   * Throws {@link RegAllocException} at the first violation of the contract, which the allocator
   * reads through {@code operands} and {@code edges} (the function's operands and block graph).
   * Returns the vregs' classes, definitions, upward-exposed reads and how often each is named, which
   * the walk meets anyway.
   * {@code operands} comes {@link InstOperands#listed unread}: the walk reads each instruction's
   * operands into it as it comes to them, and so every one once it returns.
   */
  static VRegSites validate(RegAllocFunction f, MachineEnv env, InstOperands operands, BlockEdges edges) {
    int n = f.numBlocks();
    if (n == 0) {
      throw new RegAllocException(-1, "function has no blocks");
    }
    if (edges.predecessorCount(0) != 0 || edges.paramStart[1] != edges.paramStart[0]) {
      throw new RegAllocException(-1, "entry block must have no predecessors and no parameters");
    }
    Walk walk = new Walk(f.numVRegs());
    boolean[] listed = listedEdges(edges, n);
    int expectedFirst = 0;
    for (int b = 0; b < n; b++) {
      InstRange r = f.blockInsts(b);
      if (r.first() != expectedFirst) {
        throw new RegAllocException(r.first(), "block " + b + " does not start where block " + (b - 1)
            + " ends");
      }
      expectedFirst = r.end();
      for (int pi = edges.paramStart[b]; pi < edges.paramStart[b + 1]; pi++) {
        VReg p = edges.params[pi];
        walk.checkClass(p.index(), p.regClass(), r.first());
        walk.define(p.index(), b, r.first() - 1, r.first());
      }
      int succs = edges.successorCount(b);
      for (int e = edges.succStart[b]; e < edges.succStart[b + 1]; e++) {
        int s = edges.succ[e];
        if (s < 0 || s >= n) {
          throw new RegAllocException(r.last(), "block " + b + " branches to block " + s + ", which does not exist");
        }
        int args = edges.argStart[e + 1] - edges.argStart[e];
        int params = edges.paramStart[s + 1] - edges.paramStart[s];
        if (args != params) {
          throw new RegAllocException(r.last(), "passes " + args + " values to block " + s
              + " which has " + params + " parameters");
        }
        for (int j = 0; j < args; j++) {
          VReg arg = edges.args[edges.argStart[e] + j];
          VReg param = edges.params[edges.paramStart[s] + j];
          if (arg.regClass() != param.regClass()) {
            throw new RegAllocException(r.last(), "argument " + arg + " has another class than "
                + "parameter " + param);
          }
          walk.checkClass(arg.index(), arg.regClass(), r.last());
        }
        if (succs > 1 && edges.predecessorCount(s) > 1) {
          throw new RegAllocException(r.last(), "critical edge block " + b + " -> block " + s
              + "; split it with a jump block");
        }
        if (!listed[e]) {
          throw new RegAllocException(r.last(), "block " + s + " does not list block " + b
              + " as a predecessor");
        }
      }
      for (int i = r.first(); i < r.end(); i++) {
        boolean isReturn = f.isReturn(i);
        boolean isBranch = f.isBranch(i);
        boolean term = isBranch || isReturn;
        if (term != (i == r.last())) {
          throw new RegAllocException(i, term ? "terminator in the middle of block " + b
              : "block " + b + " does not end in a terminator");
        }
        if (isReturn && succs != 0) {
          throw new RegAllocException(i, "a return has successors");
        }
        if (isBranch && succs == 0) {
          throw new RegAllocException(i, "a branch without successors");
        }
        operands.read(i);
        validateInst(f, env, operands, b, i, term, succs, walk);
        int landing = f.landingBlock(i);
        if (landing >= 0 && (term || !isSuccessor(edges, b, landing))) {
          throw new RegAllocException(i, "landing block " + landing + " is not a successor of block " + b
              + " reached after the instruction");
        }
      }
    }
    if (expectedFirst != f.numInsts()) {
      throw new RegAllocException(-1, "blocks cover " + expectedFirst + " of " + f.numInsts()
          + " instructions");
    }
    return new VRegSites(walk.classes, walk.defBlock, walk.defInst, walk.reads, walk.readCount,
        java.util.Arrays.copyOf(walk.stackVRegs, walk.stackCount), walk.occurrences);
  }

  /** What the walk has found so far: {@link VRegSites}' arrays as they fill. */
  private static final class Walk {
    final int numVRegs;
    final RegClass[] classes;
    final int[] defBlock;
    final int[] defInst;
    /** Per vreg, the times {@link #checkClass} was asked about it. */
    final int[] occurrences;
    int[] reads = new int[32];
    int readCount;
    int[] stackVRegs = new int[0];
    int stackCount;

    /**
     * Per class ordinal, the registers the instruction being checked has FIXED inputs and outputs in,
     * as bits: cleared after each instruction that had some, where a set made per operand was an
     * allocation for every register of every call.
     */
    final long[] fixedUses = new long[RegClass.ALL.size()];
    final long[] fixedDefs = new long[RegClass.ALL.size()];

    Walk(int vregs) {
      numVRegs = vregs;
      classes = new RegClass[vregs];
      defBlock = new int[vregs];
      defInst = new int[vregs];
      occurrences = new int[vregs];
      java.util.Arrays.fill(defBlock, -1);
    }

    /**
     * Checks that {@code v}, named with class {@code c} at instruction {@code inst}, is in range and
     * has no other class where else it is named; counts the naming.
     */
    void checkClass(int v, RegClass c, int inst) {
      if (v >= numVRegs) {
        throw new RegAllocException(inst, new VReg(v, c) + " is out of range (numVRegs " + numVRegs + ")");
      }
      occurrences[v]++;
      if (classes[v] == null) {
        classes[v] = c;
      } else if (classes[v] != c) {
        throw new RegAllocException(inst, "vreg " + v + " appears as " + classes[v] + " and as " + c);
      }
    }

    /** Notes {@code v}'s definition at instruction {@code site} of {@code block}; {@code inst} names errors. */
    void define(int v, int block, int site, int inst) {
      if (defBlock[v] >= 0) {
        throw new RegAllocException(inst, new VReg(v, classes[v]) + " is defined twice");
      }
      defBlock[v] = block;
      defInst[v] = site;
    }

    /** Notes a STACK operand of {@code v}. */
    void stackOperand(int v) {
      if (stackCount == stackVRegs.length) {
        stackVRegs = java.util.Arrays.copyOf(stackVRegs, Math.max(4, 2 * stackCount));
      }
      stackVRegs[stackCount++] = v;
    }

    /**
     * Notes a read of {@code v} at instruction {@code inst} of {@code block}: upward-exposed unless an
     * earlier instruction of the block defines it. The walk goes forward, so a definition not seen
     * yet is later (or at this instruction, or in another block), and a definition seen in this block
     * is earlier or at {@code inst}.
     */
    void read(int v, int block, int inst) {
      if (defBlock[v] == block && defInst[v] < inst) {
        return;
      }
      if (2 * readCount == reads.length) {
        reads = java.util.Arrays.copyOf(reads, 2 * reads.length);
      }
      reads[2 * readCount] = v;
      reads[2 * readCount + 1] = block;
      readCount++;
    }
  }

  private static boolean isSuccessor(BlockEdges edges, int b, int s) {
    for (int e = edges.succStart[b]; e < edges.succStart[b + 1]; e++) {
      if (edges.succ[e] == s) {
        return true;
      }
    }
    return false;
  }

  private static void validateInst(RegAllocFunction f, MachineEnv env, InstOperands operands, int b, int i,
      boolean term, int succs, Walk walk) {
    Operand[] all = operands.operands;
    int[] vregs = operands.vregs;
    RegClass[] operandClasses = operands.classes;
    // What each operand is, as bits: only a FIXED operand's record is loaded (for its register), and
    // another's only for an error's message.
    int[] shapes = operands.shapes;
    int base = operands.start[i];
    int count = operands.count(i);
    long[] fixedUses = walk.fixedUses;
    long[] fixedDefs = walk.fixedDefs;
    // The union of the operands' shapes: whether any was FIXED, so that the registers' bits need
    // looking at and clearing.
    int shapesSeen = 0;
    for (int k = 0; k < count; k++) {
      int shape = shapes[base + k];
      boolean def = (shape & InstOperands.DEF) != 0;
      int v = vregs[base + k];
      shapesSeen |= shape;
      walk.checkClass(v, operandClasses[base + k], i);
      if (def) {
        if (term) {
          throw new RegAllocException(i, "a terminator defines " + all[base + k].vreg());
        }
        walk.define(v, b, i, i);
      } else {
        walk.read(v, b, i);
      }
      if (term && succs == 1) {
        throw new RegAllocException(i, "the jump of a single-successor block has operand " + all[base + k]
            + "; edge moves go in front of it");
      }
      if ((shape & InstOperands.FIXED) != 0) {
        PReg p = ((OperandConstraint.FixedReg) all[base + k].constraint()).preg();
        int c = p.regClass().ordinal();
        long bit = 1L << p.hwEnc();
        // Two outputs in one register clash; two inputs only when they are different values. The
        // operands are compared only when the register was seen before (calls fix a dozen).
        boolean clash = def ? (fixedDefs[c] & bit) != 0
            : (fixedUses[c] & bit) != 0 && fixedByAnotherValue(all, shapes, base, k);
        if (clash) {
          throw new RegAllocException(i, "two operands fixed to " + p);
        }
        if (def) {
          fixedDefs[c] |= bit;
        } else {
          fixedUses[c] |= bit;
        }
        if (env.isScratch(p)) {
          throw new RegAllocException(i, "operand fixed to the scratch register " + p);
        }
      } else if ((shape & InstOperands.STACK) != 0) {
        walk.stackOperand(v);
      } else if ((shape & InstOperands.REUSE) != 0) {
        int u = InstOperands.reuseIndex(shape);
        if (u >= count) {
          throw new RegAllocException(i, "reuse of operand "
              + ((OperandConstraint.Reuse) all[base + k].constraint()).useIndex() + " which does not exist");
        }
        int in = base + u;
        // An EARLY USE whose constraint is REG or ANY: no bit but REG may be set (not DEF either).
        if ((shapes[in] & ~InstOperands.REG) != 0
            || operandClasses[in] != operandClasses[base + k]) {
          throw new RegAllocException(i, "reuse target " + all[in] + " must be an EARLY reg/any USE of the"
              + " same class");
        }
      }
    }
    // An output and an input fixed to one register at once: only an instruction with FIXED operands
    // (a few) has any, and only it has registers' bits to clear for the next.
    if ((shapesSeen & InstOperands.FIXED) != 0) {
      checkFixedBothWays(operands, i, fixedUses, fixedDefs);
      java.util.Arrays.fill(fixedUses, 0);
      java.util.Arrays.fill(fixedDefs, 0);
    }
    if (f.isMove(i)) {
      if (count != 2 || (shapes[base] & InstOperands.DEF) != 0 || (shapes[base + 1] & InstOperands.DEF) == 0
          || operandClasses[base + 0] != operandClasses[base + 1]) {
        throw new RegAllocException(i, "a move has one USE then one DEF of one class: " + f.instOperands(i));
      }
    }
  }

  /**
   * Throws where an output and an input of instruction {@code i} are fixed to one register at once;
   * {@code fixedUses} and {@code fixedDefs} are its FIXED inputs' and outputs' registers per class.
   */
  private static void checkFixedBothWays(InstOperands operands, int i, long[] fixedUses, long[] fixedDefs) {
    Operand[] all = operands.operands;
    int[] shapes = operands.shapes;
    int base = operands.start[i];
    int count = operands.count(i);
    // Only where some register is fixed both ways, which most instructions with FIXED operands (only
    // inputs, or only outputs) rule out without a second walk.
    boolean bothWays = false;
    for (int c = 0; c < fixedUses.length; c++) {
      bothWays |= (fixedUses[c] & fixedDefs[c]) != 0;
    }
    if (!bothWays) {
      return;
    }
    // Index loops: the launcher's C1 allocates every iterator.
    for (int dk = 0; dk < count; dk++) {
      if ((shapes[base + dk] & InstOperands.FIXED) == 0) {
        continue;
      }
      Operand d = all[base + dk];
      if (d.kind() == OperandKind.DEF && d.constraint() instanceof OperandConstraint.FixedReg(PReg p)
          && (fixedUses[p.regClass().ordinal()] & 1L << p.hwEnc()) != 0) {
        for (int uk = 0; uk < count; uk++) {
          if ((shapes[base + uk] & InstOperands.FIXED) == 0) {
            continue;
          }
          Operand u = all[base + uk];
          if (u.kind() == OperandKind.USE && u.constraint().equals(d.constraint())
              && (u.pos() == OperandPos.LATE || d.pos() == OperandPos.EARLY)) {
            throw new RegAllocException(i, "output " + d + " and input " + u + " need " + p
                + " at the same time");
          }
        }
      }
    }
  }

  /** Whether an operand before {@code k} of the same kind is fixed to the same register for another vreg. */
  private static boolean fixedByAnotherValue(Operand[] all, int[] shapes, int base, int k) {
    Operand o = all[base + k];
    for (int m = 0; m < k; m++) {
      if ((shapes[base + m] & InstOperands.FIXED) == 0) {
        continue;
      }
      Operand other = all[base + m];
      if (other.kind() == o.kind() && other.constraint().equals(o.constraint())
          && !other.vreg().equals(o.vreg())) {
        return true;
      }
    }
    return false;
  }
}
