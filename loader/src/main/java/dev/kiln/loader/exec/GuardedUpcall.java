package dev.kiln.loader.exec;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Objects;

/**
 * The only way Java code of Kiln becomes the target of an FFM upcall (host calls, the builtins,
 * the emulator's hooks): a body of the {@link UpcallShape} and its answer for a call whose body
 * threw, behind a guard that lets no throwable out, because one that leaves an upcall ends the
 * JVM ({@code fatal("Unrecoverable uncaught exception encountered")}, HotSpot's upcallLinker.cpp).
 *
 * <p><b>Why a {@code catch (Throwable)} in the body is not enough</b> (red team 29 F1). When
 * HotSpot deoptimises a C2 frame whose allocations escape analysis replaced by scalars, it must
 * allocate them on the heap; if that fails it throws an {@code OutOfMemoryError} ("failed
 * reallocation of scalar replaced objects") and pops every method of that physical frame, inlined
 * ones included, without running their exception handlers or {@code finally} blocks (HotSpot's
 * deoptimization.cpp, {@code pop_frames_failed_reallocs}; handlers of the frames below run as
 * usual). A handler in the target's method shares a physical frame with whatever C2 inlined into it:
 * the JDK's upcall adapter holds the target as a constant, so C2 inlines the target and its callees
 * into one frame, and the handler was popped with the body under a nearly full heap.
 *
 * <p><b>The guard.</b> {@link #enter} catches, and its calls of the body and of the recovery are
 * {@code invokeExact} on a handle read from a field that is not final: C2 folds only constants
 * (static finals, trusted finals, {@code @Stable} fields), so the receiver is not constant and the
 * call is not inlined ({@code -XX:+PrintInlining} says "receiver not constant", which {@code
 * UpcallReallocationFailureTest} reads). The body runs in frames of its own, which a failed
 * reallocation pops down to the guard's call; the guard's frame (the adapter and {@link #enter},
 * which C2 does inline together) allocates nothing, so it has nothing to reallocate, and its
 * handler allocates nothing either: it calls the recovery, the same way, or answers the constant
 * {@link #failed} if the recovery throws too.
 */
public final class GuardedUpcall {
  private static final MethodHandle ENTER;
  private static final MethodType RECOVERY_TYPE = UpcallShape.TYPE.insertParameterTypes(0, Throwable.class);

  static {
    try {
      ENTER = MethodHandles.lookup().findVirtual(GuardedUpcall.class, "enter", UpcallShape.TYPE);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Not final, so never a constant to C2: see the class documentation. Written once, before any call. */
  private MethodHandle body;
  /** Not final, as {@link #body}. */
  private MethodHandle recovery;
  private final long failed;
  private final MethodHandle handle;

  private GuardedUpcall(MethodHandle body, MethodHandle recovery, long failed) {
    this.body = body;
    this.recovery = recovery;
    this.failed = failed;
    this.handle = ENTER.bindTo(this);
  }

  /**
   * A guarded upcall that answers {@code failed} when {@code body} throws.
   *
   * @param body a handle of {@link UpcallShape#TYPE}
   */
  public static GuardedUpcall of(MethodHandle body, long failed) {
    return of(body, MethodHandles.dropArguments(MethodHandles.constant(long.class, failed), 0,
        RECOVERY_TYPE.parameterList()), failed);
  }

  /**
   * A guarded upcall that, when {@code body} throws, answers what {@code recovery} returns for the
   * throwable and the call's arguments, or {@code failed} if the recovery throws as well.
   *
   * @param body a handle of {@link UpcallShape#TYPE}
   * @param recovery a handle of {@link UpcallShape#TYPE} with a {@code Throwable} before the arguments
   */
  public static GuardedUpcall of(MethodHandle body, MethodHandle recovery, long failed) {
    if (!body.type().equals(UpcallShape.TYPE)) {
      throw new IllegalArgumentException("an upcall body must be " + UpcallShape.TYPE + ", not " + body.type());
    }
    if (!recovery.type().equals(RECOVERY_TYPE)) {
      throw new IllegalArgumentException("an upcall recovery must be " + RECOVERY_TYPE + ", not " + recovery.type());
    }
    return new GuardedUpcall(body, recovery, failed);
  }

  /** The guarded target, of {@link UpcallShape#TYPE}: what an executor calls, never the body. */
  public MethodHandle handle() {
    return handle;
  }

  /**
   * An FFM upcall stub of {@link #handle()} with the {@link UpcallShape}, valid while {@code arena}
   * lives: the one place Kiln makes upcall stubs ({@code UpcallsGuardedTest} checks the class files).
   */
  public MemorySegment stub(Arena arena) {
    return Linker.nativeLinker().upcallStub(handle, UpcallShape.DESCRIPTOR, Objects.requireNonNull(arena, "arena"));
  }

  private long enter(long a, long b, long c, long d, long e) {
    try {
      return (long) body.invokeExact(a, b, c, d, e);
    } catch (Throwable escaped) {
      try {
        return (long) recovery.invokeExact(escaped, a, b, c, d, e);
      } catch (Throwable again) {
        return failed;
      }
    }
  }
}
