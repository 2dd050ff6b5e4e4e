package dev.kiln.ir;

import java.util.Arrays;

/**
 * Where blocks and instructions sit: the block order of the function and the instruction order
 * inside each block, as doubly linked lists over int ids (Cranelift's {@code Layout}), so passes
 * insert, move and remove in O(1). The first block is the entry block.
 */
public final class Layout {
  private static final int NONE = -1;

  private int firstBlock = NONE;
  private int lastBlock = NONE;
  private int[] blockPrev = new int[0];
  private int[] blockNext = new int[0];
  private boolean[] blockInserted = new boolean[0];
  private int[] blockFirstInst = new int[0];
  private int[] blockLastInst = new int[0];

  private int[] instPrev = new int[0];
  private int[] instNext = new int[0];
  private int[] instBlock = new int[0];
  /** {@link #instPlacements()}. */
  private long instPlacements;

  /** An empty layout: no blocks. */
  public Layout() {}

  /**
   * Makes room for block ids below {@code blocks} and instruction ids below {@code insts}, so a
   * layout that ends up about that large is not copied on the way there. Only ever grows the
   * arrays; the layout is unchanged.
   */
  public void reserve(int blocks, int insts) {
    if (blocks > 0) {
      growBlocks(blocks - 1);
    }
    if (insts > 0) {
      growInsts(insts - 1);
    }
  }

  /**
   * Makes this an empty layout again, as {@link #Layout()} makes one, but keeps its arrays for the
   * next function a compile worker translates ({@link ReusedGraph}), given the block and
   * instruction ids its function made ({@code blocks}, {@code insts}: every id placed was below
   * them). Only the slots read before they are written again are reset: what says whether a
   * block or instruction is placed and which instructions a block holds.
   */
  void clear(int blocks, int insts) {
    int b = Math.min(blocks, blockInserted.length);
    Arrays.fill(blockInserted, 0, b, false);
    Arrays.fill(blockFirstInst, 0, b, NONE);
    Arrays.fill(blockLastInst, 0, b, NONE);
    Arrays.fill(instBlock, 0, Math.min(insts, instBlock.length), NONE);
    firstBlock = NONE;
    lastBlock = NONE;
    instPlacements = 0;
  }

  /** The bytes the layout's arrays take, whatever they hold: what keeping it for reuse holds on to. */
  long arrayBytes() {
    return 4L * (blockPrev.length + blockNext.length + blockFirstInst.length + blockLastInst.length
        + instPrev.length + instNext.length + instBlock.length) + blockInserted.length;
  }

  // ------------------------------------------------------------------ blocks

  public int entryBlock() {
    return firstBlock;
  }

  public int firstBlock() {
    return firstBlock;
  }

  public int lastBlock() {
    return lastBlock;
  }

  /** The block after {@code block}, or -1. */
  public int nextBlock(int block) {
    return blockNext[block];
  }

  public int prevBlock(int block) {
    return blockPrev[block];
  }

  public boolean isBlockInserted(int block) {
    return block >= 0 && block < blockInserted.length && blockInserted[block];
  }

  public void appendBlock(int block) {
    growBlocks(block);
    requireNotInserted(block);
    linkLast(block);
    blockInserted[block] = true;
  }

  public void insertBlockAfter(int block, int after) {
    growBlocks(block);
    requireNotInserted(block);
    int next = blockNext[after];
    blockPrev[block] = after;
    blockNext[block] = next;
    blockNext[after] = block;
    if (next == NONE) {
      lastBlock = block;
    } else {
      blockPrev[next] = block;
    }
    blockInserted[block] = true;
  }

  /** Removes an empty block from the order. */
  public void removeBlock(int block) {
    requireBlockInserted(block);
    if (blockFirstInst[block] != NONE) {
      throw new IllegalArgumentException("block" + block + " still has instructions");
    }
    unlinkBlock(block);
    blockInserted[block] = false;
  }

  /** Moves {@code block}, with its instructions, to the end of the order. */
  public void moveBlockToEnd(int block) {
    requireBlockInserted(block);
    if (block == lastBlock) {
      return;
    }
    unlinkBlock(block);
    linkLast(block);
  }

  /** Puts {@code block}, in no list, at the end of the order. */
  private void linkLast(int block) {
    blockPrev[block] = lastBlock;
    blockNext[block] = NONE;
    if (lastBlock == NONE) {
      firstBlock = block;
    } else {
      blockNext[lastBlock] = block;
    }
    lastBlock = block;
  }

  /** Takes {@code block} out of the order, joining its neighbours; its own links are left stale. */
  private void unlinkBlock(int block) {
    int prev = blockPrev[block];
    int next = blockNext[block];
    if (prev == NONE) {
      firstBlock = next;
    } else {
      blockNext[prev] = next;
    }
    if (next == NONE) {
      lastBlock = prev;
    } else {
      blockPrev[next] = prev;
    }
  }

  /** The blocks in layout order. */
  public int[] blocks() {
    int n = 0;
    for (int b = firstBlock; b != NONE; b = blockNext[b]) {
      n++;
    }
    int[] out = new int[n];
    int i = 0;
    for (int b = firstBlock; b != NONE; b = blockNext[b]) {
      out[i++] = b;
    }
    return out;
  }

  // ------------------------------------------------------------------ instructions

  public int firstInst(int block) {
    return blockFirstInst[block];
  }

  /** The last instruction of {@code block} (its terminator once the block is complete), or -1. */
  public int lastInst(int block) {
    return blockLastInst[block];
  }

  public int nextInst(int inst) {
    return instNext[inst];
  }

  public int prevInst(int inst) {
    return instPrev[inst];
  }

  /** The block holding {@code inst}, or -1 when it is not placed. */
  public int instBlock(int inst) {
    return inst >= 0 && inst < instBlock.length ? instBlock[inst] : NONE;
  }

  public boolean isInstInserted(int inst) {
    return instBlock(inst) != NONE;
  }

  public void appendInst(int inst, int block) {
    requireBlockInserted(block);
    growInsts(inst);
    requireInstNotInserted(inst);
    int last = blockLastInst[block];
    instPrev[inst] = last;
    instNext[inst] = NONE;
    if (last == NONE) {
      blockFirstInst[block] = inst;
    } else {
      instNext[last] = inst;
    }
    blockLastInst[block] = inst;
    instBlock[inst] = block;
    instPlacements++;
  }

  public void insertInstBefore(int inst, int before) {
    int block = blockOfInserted(before);
    growInsts(inst);
    requireInstNotInserted(inst);
    int prev = instPrev[before];
    instPrev[inst] = prev;
    instNext[inst] = before;
    instPrev[before] = inst;
    if (prev == NONE) {
      blockFirstInst[block] = inst;
    } else {
      instNext[prev] = inst;
    }
    instBlock[inst] = block;
    instPlacements++;
  }

  /**
   * Moves the instructions after {@code inst}, in their order, from its block to the end of {@code
   * block} (another block): one relinking of the lists, then each moved instruction's block
   * recorded, so the work is the count moved, not a removal and an append each.
   */
  public void moveInstsAfter(int inst, int block) {
    int from = blockOfInserted(inst);
    requireBlockInserted(block);
    if (block == from) {
      throw new IllegalArgumentException("inst" + inst + " is already in block" + block);
    }
    int first = instNext[inst];
    if (first == NONE) {
      return;
    }
    int last = blockLastInst[from];
    instNext[inst] = NONE;
    blockLastInst[from] = inst;
    int tail = blockLastInst[block];
    instPrev[first] = tail;
    if (tail == NONE) {
      blockFirstInst[block] = first;
    } else {
      instNext[tail] = first;
    }
    blockLastInst[block] = last;
    for (int i = first; i != NONE; i = instNext[i]) {
      instBlock[i] = block;
      instPlacements++;
    }
  }

  public void removeInst(int inst) {
    int block = blockOfInserted(inst);
    int prev = instPrev[inst];
    int next = instNext[inst];
    if (prev == NONE) {
      blockFirstInst[block] = next;
    } else {
      instNext[prev] = next;
    }
    if (next == NONE) {
      blockLastInst[block] = prev;
    } else {
      instPrev[next] = prev;
    }
    instBlock[inst] = NONE;
  }

  /**
   * How many instructions were placed so far: each {@link #appendInst} and {@link
   * #insertInstBefore} counts one, each instruction {@link #moveInstsAfter} moved one (the layout's
   * work, for tests that count it).
   */
  public long instPlacements() {
    return instPlacements;
  }

  /** The instructions of {@code block} in order. */
  public int[] blockInsts(int block) {
    int n = 0;
    for (int i = blockFirstInst[block]; i != NONE; i = instNext[i]) {
      n++;
    }
    int[] out = new int[n];
    int k = 0;
    for (int i = blockFirstInst[block]; i != NONE; i = instNext[i]) {
      out[k++] = i;
    }
    return out;
  }

  // ------------------------------------------------------------------ storage

  private void growBlocks(int block) {
    if (block < 0) {
      throw new IllegalArgumentException("bad block id " + block);
    }
    if (block >= blockPrev.length) {
      int old = blockPrev.length;
      int n = Math.max(block + 1, old * 2 + 8);
      blockPrev = Arrays.copyOf(blockPrev, n);
      blockNext = Arrays.copyOf(blockNext, n);
      blockInserted = Arrays.copyOf(blockInserted, n);
      blockFirstInst = Arrays.copyOf(blockFirstInst, n);
      blockLastInst = Arrays.copyOf(blockLastInst, n);
      Arrays.fill(blockFirstInst, old, n, NONE);
      Arrays.fill(blockLastInst, old, n, NONE);
    }
  }

  private void growInsts(int inst) {
    if (inst < 0) {
      throw new IllegalArgumentException("bad instruction id " + inst);
    }
    if (inst >= instPrev.length) {
      int old = instPrev.length;
      int n = Math.max(inst + 1, old * 2 + 16);
      instPrev = Arrays.copyOf(instPrev, n);
      instNext = Arrays.copyOf(instNext, n);
      instBlock = Arrays.copyOf(instBlock, n);
      Arrays.fill(instBlock, old, n, NONE);
    }
  }

  private void requireNotInserted(int block) {
    if (blockInserted[block]) {
      throw new IllegalArgumentException("block" + block + " is already in the layout");
    }
  }

  private void requireBlockInserted(int block) {
    if (!isBlockInserted(block)) {
      throw new IllegalArgumentException("block" + block + " is not in the layout");
    }
  }

  /** The block holding {@code inst}, which must be placed. */
  private int blockOfInserted(int inst) {
    int block = instBlock(inst);
    if (block == NONE) {
      throw new IllegalArgumentException("inst" + inst + " is not in the layout");
    }
    return block;
  }

  private void requireInstNotInserted(int inst) {
    if (instBlock[inst] != NONE) {
      throw new IllegalArgumentException("inst" + inst + " is already in block" + instBlock[inst]);
    }
  }
}
