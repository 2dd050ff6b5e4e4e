package dev.kiln.loader.sys;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * How much of the calling thread's native stack is left above the zone where the JVM throws {@link
 * StackOverflowError}. A wasm entry nested inside a host function costs Java frames, and on the
 * emulator native ones too, that no compiled stack check sees (emulated wasm runs on a stack of its
 * own); a {@code StackOverflowError} raised inside an FFM upcall, or a native frame running into
 * the JVM's guard pages, ends the JVM. So the runtime measures before each such level instead of
 * relying on a count of levels alone.
 *
 * <p>Java cannot read its stack pointer, so a two-instruction function returns it ({@code movq
 * %rsp, %rax; ret} on x86-64, {@code mov x0, sp; ret} on AArch64), published once like the loader's
 * other fixed code ({@link CodeRow}).
 */
public final class ThreadStack {
  /**
   * Bytes at the low end of a Java thread's stack that Java code must stay out of: HotSpot's red,
   * yellow and reserved guard pages and its shadow zone (on Linux x86-64 and AArch64 with 4 KiB
   * pages 1 + 2 + 1 + 20 pages, 96 KiB; a method entry that would reach into them throws
   * StackOverflowError), with room to spare.
   */
  public static final long JVM_ZONES = 128 * 1024;
  /**
   * Bytes one level of wasm -> host -> wasm nesting may use on the Java thread beyond the measuring
   * point, before the next check: the host function's own Java frames, the call back into wasm and,
   * on the emulator, Unicorn's native frames and its hook's upcall: 6 KiB on x86-64 and 8 KiB on
   * the emulator, interpreted or compiled ({@code HostReentryStackTest} checks it stays under half
   * of this), with room to spare for a host function's own calls.
   */
  public static final long LEVEL = 32 * 1024;
  /**
   * Bytes a step that must complete once begun may use beyond its start ({@link #requireRoom}): the
   * free of one object of a store (its arena's close and cleanups, its pool slot emptied, its
   * accounts given back, what it imported released; an importer's free no longer nests the frees it
   * causes) or the rest of a store's close, a few KiB interpreted, with room to spare.
   */
  public static final long STEP = 32 * 1024;

  static final List<CodeRow> X86_64 = List.of(
      new CodeRow("48 89 e0", "movq %rsp, %rax"),
      new CodeRow("c3", "retq"));
  static final List<CodeRow> AARCH64 = List.of(
      new CodeRow("e0 03 00 91", "mov x0, sp"),
      new CodeRow("c0 03 5f d6", "ret"));

  private static final ThreadLocal<StackBounds> BOUNDS = ThreadLocal.withInitial(StackBounds::ofCurrentThread);

  private ThreadStack() {}

  /** The stack pointer of the caller, within the downcall's frame ({@link Reader}). */
  public static long pointer() {
    try {
      return (long) Reader.HANDLE.invokeExact(Reader.CODE, 0L, 0L, 0L, 0L);
    } catch (RuntimeException | Error e) {
      throw e; // a StackOverflowError stays one: callers tell it apart (issue 35)
    } catch (Throwable t) {
      throw new NativeException("reading the stack pointer failed: " + t);
    }
  }

  /** The calling thread's stack; a virtual thread's is its carrier's, now. */
  public static StackBounds bounds() {
    return Thread.currentThread().isVirtual() ? StackBounds.ofCurrentThread() : BOUNDS.get();
  }

  /** Bytes between the stack pointer and the JVM's zones ({@link #JVM_ZONES}); negative inside them. */
  public static long remaining() {
    return pointer() - bounds().low() - JVM_ZONES;
  }

  /** Whether one more level of nesting ({@link #LEVEL}) fits on this thread's stack. */
  public static boolean roomForLevel() {
    return remaining() >= LEVEL;
  }

  /**
   * Throws the {@link StackOverflowError} that {@code what} could otherwise end in half done, before
   * it starts, unless {@code bytes} of stack are left: for a step that must complete once started
   * but runs code that is not Kiln's to order, the JDK's (an arena's close runs its cleanups one
   * after the other, a collection's removal writes several fields), or sums that other objects keep
   * (a pooled table's accounts), where an overflow at a call in the middle would leave it half
   * done for good (issue 35). The JDK's own answer, {@code @ReservedStackAccess} (JEP 270), is for
   * its own classes only.
   *
   * @throws StackOverflowError naming {@code what} (made into a string only then) if less is left
   */
  public static void requireRoom(long bytes, Object what) {
    if (remaining() < bytes) {
      throw new StackOverflowError(what + " needs " + bytes + " bytes of stack; fewer are left");
    }
  }

  /**
   * The reader, in the shape the direct entry into generated code links anyway ({@link PlainCall}):
   * its arguments are ignored and its result is the stack pointer inside the downcall's native frame,
   * a few hundred bytes below the caller's, which the margins above ({@link #LEVEL}, {@link #STEP})
   * leave room for. A shape of its own, critical, cost every run another stub and its method-handle
   * forms at engine start (about 7 ms), to save a thread-state transition on calls that are made per
   * nested host call and per free, not per wasm call.
   */
  private static final class Reader {
    static final MemorySegment CODE = publish();
    static final MethodHandle HANDLE = PlainCall.handle();

    private static MemorySegment publish() {
      List<CodeRow> rows = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> X86_64;
        case "aarch64" -> AARCH64;
        default -> throw new UnsupportedOperationException(
            "no stack-pointer reader for " + System.getProperty("os.arch"));
      };
      java.io.ByteArrayOutputStream code = new java.io.ByteArrayOutputStream();
      rows.forEach(row -> code.writeBytes(row.bytes()));
      return MemorySegment.ofAddress(VirtualMemory.publishCode(code.toByteArray()));
    }
  }
}
