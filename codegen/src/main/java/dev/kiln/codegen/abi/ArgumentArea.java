package dev.kiln.codegen.abi;

/**
 * A wasm function's incoming stack-argument area under Kiln's callee-pops convention, the same on
 * both ISAs (docs/ARCHITECTURE.md section 4, "Wasm calling convention").
 *
 * <p>The caller stores the stack arguments at its stack pointer and calls; the callee removes them
 * when it returns (x86-64 {@code ret imm16}, AArch64 {@code add sp, sp, #n} before {@code ret}),
 * so the caller's stack pointer after the call is {@code top}, the address just above the
 * arguments. That makes {@code top} the one fixed point of a chain of tail calls: a {@code
 * return_call*} writes its callee's {@code n} argument bytes right below {@code top}, puts the
 * return address (and on AArch64 the stack pointer) right below them, and jumps; the callee pops
 * {@code n} and the original caller finds its stack pointer where it left it. A callee needing
 * more bytes than the function received therefore fits too, which the tail-call proposal requires
 * for unbounded mutual tail recursion whatever the argument count.
 *
 * <p>For that room to exist when the tail call is made, a function whose tail calls need more than
 * it {@link #received} reserves the whole area in its prologue: it moves its frame record down by
 * {@link #growth} bytes (below its own arguments, which stay where the caller wrote them). From
 * then on the area is {@link #size} bytes from the frame pointer plus {@link Frame#RECORD_BYTES}
 * up to {@code top}, and the function's own return pops all of it.
 *
 * <pre>
 *   top ----------------  the caller's stack pointer after the call returns
 *       own arguments     fp + 16 + growth + offset  (received bytes)
 *       grown part        growth bytes, written only by tail calls
 *   fp + 16 -----------
 *       return address    fp + 8  (x86-64: pushed by call; AArch64: x30 in the record)
 *       caller's fp       fp + 0  &lt;- fp (rbp / x29): the frame-pointer chain
 *       saved registers, spill slots, outgoing area down to sp
 * </pre>
 *
 * @param received the stack-argument bytes the function's callers pass (its own signature's)
 * @param size the area's bytes: the most of {@code received} and of every tail callee's
 *     stack-argument bytes
 */
public record ArgumentArea(int received, int size) {
  /** The area of a function that takes no stack arguments and makes no tail call with any. */
  public static final ArgumentArea NONE = new ArgumentArea(0, 0);

  public ArgumentArea {
    if (received < 0 || size < received) {
      throw new IllegalArgumentException("argument area of " + size + " bytes cannot hold the "
          + received + " received");
    }
  }

  /** The area of a function that received {@code received} bytes, grown for its tail calls' needs. */
  public static ArgumentArea of(int received, int largestTailCall) {
    return new ArgumentArea(received, Math.max(received, largestTailCall));
  }

  /** Bytes the prologue moves the frame record down so that every tail call's arguments fit. */
  public int growth() {
    return size - received;
  }

  /** Where the function's own stack argument at {@code offset} lies, in bytes above the area's base. */
  public int ownArgument(int offset) {
    return growth() + offset;
  }

  /**
   * Where a tail callee's stack argument at {@code offset} goes when the callee takes {@code
   * calleeBytes} of stack arguments, in bytes above the area's base: right below {@code top}.
   */
  public int tailArgument(int calleeBytes, int offset) {
    return size - calleeBytes + offset;
  }

  /**
   * Bytes of the area a tail call releases after the frame is torn down, before it jumps: the part
   * below its callee's {@code calleeBytes}, so that the return address sits right below them.
   */
  public int releasedByTailCall(int calleeBytes) {
    if (calleeBytes > size) {
      throw new IllegalArgumentException("a tail callee's " + calleeBytes + " bytes of stack arguments"
          + " do not fit the " + size + " bytes reserved");
    }
    return size - calleeBytes;
  }
}
