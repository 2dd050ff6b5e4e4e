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

  /**
   * Bytes the embedding API asks for before it starts an operation ({@link #requireRoomToLink}),
   * and that compiled wasm leaves above the JVM's zones for the host calls it makes ({@code
   * NativeStore.DEFAULT_HEADROOM}): room for the first run of any {@code invokedynamic} site on the
   * operation's path. A site whose bootstrap (the lambda metafactory spinning a hidden class, {@code
   * ObjectMethods} for a record's methods, {@code SwitchBootstraps} for a pattern switch) overflows
   * in the JDK's code is broken for the JVM's life (JVMS 5.4.3.6: the linkage error is recorded for
   * the site), so such a site must never be first reached with less. Measured with JDK 25 on
   * x86-64, a JVM's first link of each kind at every depth near a thread's stack end (recursion to
   * the overflow, one fresh site per level on the way back): at most 19 KiB of Java stack compiled,
   * 8 KiB interpreted ({@code -Xint}), about 5 KiB once the JDK's invoke machinery is warm, class
   * loading from a jar included; the API's own frames before a site add 1-3 KiB. With {@link
   * #JVM_ZONES}' own 32 KiB above the real zones, 64 KiB of Java stack: three times the most
   * measured. (More costs every thread as much of the stack wasm may use and raises the smallest
   * thread stack that can call wasm at all.)
   */
  public static final long LINK = 32 * 1024;

  /**
   * Whether the first use's JVM-wide work is done ({@link #linkOnceOnAThreadOfItsOwn}). The class
   * has no static initialiser: an embedder's first call into Kiln may be made at the end of its
   * stack, where an initialiser that overflowed would leave this class, and so every check and
   * every call, failing for the JVM's life (JLS 12.4.2).
   */
  private static volatile boolean linked;

  private ThreadStack() {}

  /** The stack pointer of the caller, within the downcall's frame ({@link Reader}). */
  public static long pointer() {
    if (!linked) {
      linkOnceOnAThreadOfItsOwn();
    }
    try {
      return (long) Reader.HANDLE.invokeExact(Reader.CODE, 0L, 0L, 0L, 0L);
    } catch (RuntimeException | Error e) {
      throw e; // a StackOverflowError stays one: callers tell it apart (issue 35)
    } catch (Throwable t) {
      throw new NativeException("reading the stack pointer failed: " + t);
    }
  }

  /**
   * Whether {@link #pointer} is linked: {@link StackBounds} measures with it only then, since the
   * link itself asks for bounds ({@link FirstLink}).
   */
  static boolean isLinked() {
    return linked;
  }

  /** The calling thread's stack; a virtual thread's is its carrier's, now. */
  public static StackBounds bounds() {
    if (!linked) {
      linkOnceOnAThreadOfItsOwn();
    }
    return Thread.currentThread().isVirtual() ? StackBounds.ofCurrentThread() : Bounds.OF_THREAD.get();
  }

  /**
   * Links, once per JVM, what measuring takes: the stack-pointer reader's downcall, {@code
   * pthread_getattr_np}'s and their classes' initialisers, the JDK's linker with them, on a thread
   * of its own ({@link OwnStackThread}): it is the check, so it cannot be checked first.
   */
  private static void linkOnceOnAThreadOfItsOwn() {
    OwnStackThread.run("kiln-first-link", new FirstLink());
    linked = true;
  }

  /** {@link #linkOnceOnAThreadOfItsOwn}'s work: each call made once, on its thread. */
  private static final class FirstLink implements Runnable {
    @Override
    public void run() {
      long sp;
      try {
        sp = (long) Reader.HANDLE.invokeExact(Reader.CODE, 0L, 0L, 0L, 0L);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new NativeException("reading the stack pointer failed: " + t);
      }
      if (!Bounds.OF_THREAD.get().contains(sp)) {
        throw new NativeException("the stack pointer " + sp + " is not on the thread's stack");
      }
      StackBounds.ofCurrentThread();
    }
  }

  /** Each platform thread's stack, asked once per thread. */
  private static final class Bounds {
    static final ThreadLocal<StackBounds> OF_THREAD = new OfThread();

    private Bounds() {}
  }

  /** Without a lambda: its class is initialised on the first link's thread, its value on any. */
  private static final class OfThread extends ThreadLocal<StackBounds> {
    @Override
    protected StackBounds initialValue() {
      return StackBounds.ofCurrentThread();
    }
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
   * Throws a {@link StackOverflowError} unless {@link #LINK} bytes of stack are left: the first check
   * of every operation of the embedding API, made before it changes anything or reaches a call site
   * that may not be linked yet (issue 35, red team 23 F1: {@code Memory.write}'s lambda, first linked
   * near the stack's end, failed with {@code BootstrapMethodError} in every store for the JVM's
   * life). The overflow it throws is the one the operation could have thrown, before it started.
   *
   * @param operation what is refused, for the message (a constant: nothing is made unless it throws)
   */
  public static void requireRoomToLink(String operation) {
    if (remaining() < LINK) {
      throw new StackOverflowError(operation + ": fewer than " + LINK + " bytes of stack are left");
    }
  }

  /**
   * Whether {@code bytes} more than {@link #LINK} are left: for a path that must refuse without
   * throwing (an entry made inside an upcall reports a trap instead) and then uses {@code bytes}
   * before code that may link runs.
   */
  public static boolean roomToLinkAfter(long bytes) {
    return remaining() >= bytes + LINK;
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
    static final List<CodeRow> X86_64 = List.of(
        new CodeRow("48 89 e0", "movq %rsp, %rax"),
        new CodeRow("c3", "retq"));
    static final List<CodeRow> AARCH64 = List.of(
        new CodeRow("e0 03 00 91", "mov x0, sp"),
        new CodeRow("c0 03 5f d6", "ret"));
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
