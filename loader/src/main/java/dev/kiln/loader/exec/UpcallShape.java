package dev.kiln.loader.exec;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodType;

/**
 * The one FFM upcall shape of everything compiled code calls in Java, {@code long f(long x 5)}: the
 * host-call entry ({@code bool (callee_vmctx, caller_vmctx, ValRaw*, size_t)}, docs/ARCHITECTURE.md
 * section 4), the table builtins ({@code artifact.vm.Builtin}: at most the vmctx and four
 * words) and the emulator's Unicorn hooks; each behind its {@link GuardedUpcall}. Each distinct shape costs a cold JVM a generated stub class and method-handle forms at its
 * first upcall stub, 4-6 ms, and a later stub of a shape already made a fraction of a millisecond,
 * so a process running native code makes one shape whatever its modules use
 * (docs/history/performance-journal.md, "One upcall shape"; the Unicorn executor calls these
 * targets itself and makes no stub).
 *
 * <p><b>Why it is exact.</b> Integers and pointers travel in the same registers (System V AMD64 ABI
 * 3.2.3: rdi, rsi, rdx, rcx, r8, result rax; AAPCS64 6.8.2: x0-x4, result x0): a pointer or size
 * arrives as its 64-bit value; an i32 argument as its register, whose upper half is unspecified,
 * so the Java side reads its low half ({@code (int)}); a caller passing fewer arguments leaves the
 * remaining registers as they were, and the Java side ignores them; a C caller reading an i32 or
 * a bool result reads the low half, or the low byte, of the register (the trampolines test
 * {@code %al} and {@code w0}), where a Java {@code long} of 0 or 1 has it.
 */
public final class UpcallShape {
  private UpcallShape() {}

  public static final FunctionDescriptor DESCRIPTOR =
      FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);

  /** The Java type of a target of {@link #DESCRIPTOR}. */
  public static final MethodType TYPE = DESCRIPTOR.toMethodType();
}
