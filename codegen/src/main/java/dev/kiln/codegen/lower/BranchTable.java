package dev.kiln.codegen.lower;

import dev.kiln.codegen.Label;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * How a {@code br_table} (wasm spec 4.4.8 "br_table") is dispatched, decided once for every ISA:
 * with up to {@link #MAX_COMPARE_CHAIN} cases, a compare and branch per case whose code is not
 * the default's (after branch threading two cases may share it), then a jump to the default
 * unless it falls through; with more, a bounds check to the default and a table of 32-bit offsets
 * of the cases' code. Each ISA supplies the instructions of one compare-and-branch.
 *
 * @param blocks the machine blocks: the default first, then case 0, 1, ...
 */
public record BranchTable(int[] blocks) {
  /** The most cases dispatched by compares: a table costs a bounds check, a load and an indirect jump. */
  public static final int MAX_COMPARE_CHAIN = 4;

  /** Where each block's code starts at emission. */
  public interface Labels {
    /** The label at the top of machine block {@code block}. */
    Label blockLabel(int block);

    /**
     * Whether leaving the current block without a branch reaches the code of {@code block}
     * ({@code FunctionEmission.fallsThroughTo}: empty jump blocks are skipped and forwarded).
     */
    boolean fallsThroughTo(int block);
  }

  /** The ISA's {@code if (index == k) goto target}. */
  @FunctionalInterface
  public interface CaseBranch {
    void emit(int k, Label target);
  }

  /** The number of cases (the default not counted). */
  public int cases() {
    return blocks.length - 1;
  }

  /** Whether the table is dispatched by compares ({@link #emitCompareChain}) rather than a table. */
  public boolean usesCompareChain() {
    return cases() <= MAX_COMPARE_CHAIN;
  }

  /** The default block's label. */
  public Label defaultLabel(Labels labels) {
    return labels.blockLabel(blocks[0]);
  }

  /**
   * Emits the compare chain: {@code branch} for each case whose code is not the default's, then
   * {@code jump} to the default unless it falls through.
   */
  public void emitCompareChain(Labels labels, CaseBranch branch, Consumer<Label> jump) {
    Label otherwise = defaultLabel(labels);
    for (int k = 0; k < cases(); k++) {
      Label target = labels.blockLabel(blocks[k + 1]);
      if (target != otherwise) {
        branch.emit(k, target);
      }
    }
    if (!labels.fallsThroughTo(blocks[0])) {
      jump.accept(otherwise);
    }
  }

  /** The cases' labels in order: the entries of the jump table. */
  public List<Label> caseLabels(Labels labels) {
    List<Label> entries = new ArrayList<>();
    for (int k = 1; k < blocks.length; k++) {
      entries.add(labels.blockLabel(blocks[k]));
    }
    return entries;
  }
}
