package dev.kiln.compiler.translate;

import dev.kiln.wasm.ImplementationLimitException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What compiling one module may spend of one thing, fixed before its functions are compiled and
 * shared by the compile's threads: the IR its functions translate into ({@link
 * IrSizeLimit#moduleBudget}) and the machine code the backend emits for them ({@code
 * dev.kiln.compiler.driver.CodeSizeLimit}). Each function is charged what it made as it is made,
 * and the charge that passes the limit refuses that function; once the limit is passed every later
 * function is refused at its start ({@link #requireRoom}) with the refusal of the one that passed
 * it, so a module past it costs at most the functions in flight when it was passed.
 *
 * <p>A refusal is the module's implementation limits' (spec Appendix A.1): one {@link
 * ImplementationLimitException} naming the function and its body's offset.
 */
public final class ModuleBudget {
  private final String charged;
  private final long limit;
  private final AtomicLong used = new AtomicLong();
  /**
   * The refusal of the function whose charge passed the limit, which every later refusal repeats:
   * functions refused at their start did nothing wrong, and the one the compile reports (the lowest
   * index refused) must name the function that spent the budget (red team 35 F3: "function 0").
   */
  private final AtomicReference<ImplementationLimitException> passedBy = new AtomicReference<>();

  /**
   * @param charged what is counted, as the refusal names it ("bytes of machine code in the module's
   *     functions")
   * @param limit the most the module's functions may make together
   */
  public ModuleBudget(String charged, long limit) {
    this.charged = charged;
    this.limit = limit;
  }

  /** The most the module's functions may make together. */
  public long limit() {
    return limit;
  }

  /** Refuses function {@code functionIndex}, whose body starts at {@code offset}, when the budget is spent. */
  public void requireRoom(int functionIndex, int offset) {
    long spent = used.get();
    if (spent > limit) {
      ImplementationLimitException passed = passedBy.get();
      throw passed != null ? passed : refusal(spent, functionIndex, offset);
    }
  }

  /**
   * Charges {@code amount} for function {@code functionIndex}, whose body starts at {@code offset},
   * refusing it when that passes the limit.
   */
  public void charge(long amount, int functionIndex, int offset) {
    long before = used.getAndAdd(amount);
    long spent = before + amount;
    if (spent > limit) {
      ImplementationLimitException refusal = refusal(spent, functionIndex, offset);
      if (before <= limit) {
        passedBy.set(refusal);
      }
      throw refusal;
    }
  }

  private ImplementationLimitException refusal(long spent, int functionIndex, int offset) {
    return new ImplementationLimitException(charged, spent, limit, offset, functionIndex);
  }
}
