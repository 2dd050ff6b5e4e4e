package dev.kiln.ir;

/**
 * What a signature parameter carries besides its type. The instance context and the stack limit
 * are ordinary SSA values inside the function; the purpose tells the ABI code which register the
 * calling convention reserves for them.
 */
public enum ParamPurpose {
  NORMAL(""),
  /** The callee's VMContext pointer. */
  VMCTX("vmctx"),
  /** The caller's VMContext pointer (wasm calling convention, docs/ARCHITECTURE.md section 4). */
  CALLER_VMCTX("caller_vmctx"),
  /** The lowest address the stack may grow to; the prologue's overflow check compares SP to it. */
  STACK_LIMIT("stack_limit");

  private final String text;

  ParamPurpose(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  /** The purpose spelled {@code text} (never NORMAL, which has no spelling), or null. */
  public static ParamPurpose byText(String text) {
    for (ParamPurpose p : values()) {
      if (p != NORMAL && p.text.equals(text)) {
        return p;
      }
    }
    return null;
  }
}
