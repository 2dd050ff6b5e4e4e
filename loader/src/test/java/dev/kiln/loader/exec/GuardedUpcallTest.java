package dev.kiln.loader.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.junit.jupiter.api.Test;

/**
 * What a guarded upcall answers, called through its stub with the C ABI: the body's result, its
 * failure value when the body throws, the recovery's answer, and the failure value when the
 * recovery throws too. (That a failed reallocation cannot skip the guard's handler is {@code
 * UpcallReallocationFailureTest}'s, in a JVM of its own.)
 */
class GuardedUpcallTest {
  private static final MethodHandle SUM;
  private static final MethodHandle THROWS;
  private static final MethodHandle RECOVERY;
  private static final MethodHandle RECOVERY_THROWS;
  private static Throwable recovered;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      SUM = lookup.findStatic(GuardedUpcallTest.class, "sum", UpcallShape.TYPE);
      THROWS = lookup.findStatic(GuardedUpcallTest.class, "throwing", UpcallShape.TYPE);
      MethodType recovery = UpcallShape.TYPE.insertParameterTypes(0, Throwable.class);
      RECOVERY = lookup.findStatic(GuardedUpcallTest.class, "recovery", recovery);
      RECOVERY_THROWS = lookup.findStatic(GuardedUpcallTest.class, "recoveryThrowing", recovery);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static long sum(long a, long b, long c, long d, long e) {
    return a + b + c + d + e;
  }

  static long throwing(long a, long b, long c, long d, long e) {
    throw new IllegalStateException("the body failed");
  }

  static long recovery(Throwable failure, long a, long b, long c, long d, long e) {
    recovered = failure;
    return 100 + a;
  }

  static long recoveryThrowing(Throwable failure, long a, long b, long c, long d, long e) {
    throw new OutOfMemoryError("the recovery failed too");
  }

  private static long callThroughStub(GuardedUpcall upcall) throws Throwable {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment stub = upcall.stub(arena);
      return (long) Linker.nativeLinker().downcallHandle(stub, UpcallShape.DESCRIPTOR)
          .invokeExact(1L, 2L, 3L, 4L, 5L);
    }
  }

  @Test
  void theBodysResult() throws Throwable {
    assertEquals(15, callThroughStub(GuardedUpcall.of(SUM, -1)));
  }

  @Test
  void aBodyThatThrowsAnswersTheFailureValue() throws Throwable {
    assertEquals(-7, callThroughStub(GuardedUpcall.of(THROWS, -7)));
  }

  @Test
  void aBodyThatThrowsAnswersWhatTheRecoveryReturns() throws Throwable {
    recovered = null;
    assertEquals(101, callThroughStub(GuardedUpcall.of(THROWS, RECOVERY, -7)));
    assertSame(IllegalStateException.class, recovered.getClass());
  }

  @Test
  void aRecoveryThatThrowsAnswersTheFailureValue() throws Throwable {
    assertEquals(-7, callThroughStub(GuardedUpcall.of(THROWS, RECOVERY_THROWS, -7)));
  }

  @Test
  void onlyTheUpcallShapeIsGuarded() {
    MethodHandle other = MethodHandles.dropArguments(SUM, 0, int.class);
    assertThrows(IllegalArgumentException.class, () -> GuardedUpcall.of(other, 0));
    assertThrows(IllegalArgumentException.class, () -> GuardedUpcall.of(SUM, SUM, 0));
  }
}
