package dev.kiln.compiler.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.kiln.codegen.Backend;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.LoweredFunction;
import dev.kiln.ir.Function;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import dev.kiln.wat.Wat;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The workers compile side by side only the functions whose bodies fit the in-flight budget together
 * ({@link InFlightBudget}): two functions of 1,000 {@code struct.new}s on two threads needed the sum
 * of their memory, and such a pair of 64,000 ran out of a 900 MB heap that compiles them one after the
 * other.
 */
class InFlightBudgetTest {
  /** A function of {@code n} {@code struct.new}s and {@code struct.get}s, about 11 bytes each. */
  private static String chain(String name, int n) {
    return "(func (export \"" + name + "\")"
        + "(global.set $g (struct.get $s 0 (struct.new $s (global.get $g))))".repeat(n) + ")";
  }

  private static final String WAT = "(module (type $s (struct (field i32))) (global $g (mut i32) (i32.const 0))"
      + chain("big1", 1_000) + chain("big2", 1_000) + chain("s1", 2) + chain("s2", 2) + chain("s3", 2) + ")";
  /** Less than one large function's body (11 KB), more than the small ones together. */
  private static final int BUDGET = 4_000;
  /** Instructions only the large functions' IR has. */
  private static final int LARGE_INSTS = 2_000;

  @Test
  @Timeout(120) // a share never given back leaves a worker waiting: a failure, not a hung build
  void twoFunctionsLargerThanTheBudgetAreNeverCompiledAtOnce() throws Exception {
    Module module = Wasm.load(Wat.toBinary(WAT, "two-large.wat"));
    for (Backend real : ForwardingBackend.BOTH_TARGETS) {
      OverlapWatch watch = new OverlapWatch(real);
      Compiler.compile(module, watch, new CompileOptions(2), new InFlightBudget(BUDGET));
      String target = real.target().name();
      assertEquals(2, watch.largeCompiled.get(), target);
      assertEquals(1, watch.mostLargeAtOnce.get(), target + ": two large functions were compiled at once");
    }
  }

  @Test
  void aHeapGivesItselfAtAKilobyteABodyByte() {
    assertEquals(2 << 20, InFlightBudget.forMaxHeap(2L << 30).bodyBytes());
    assertEquals(Integer.MAX_VALUE, InFlightBudget.forMaxHeap(Long.MAX_VALUE).bodyBytes());
    assertEquals(1, InFlightBudget.forMaxHeap(0).bodyBytes());
  }

  @Test
  void aFunctionLargerThanTheBudgetTakesAllOfIt() throws InterruptedException {
    InFlightBudget budget = new InFlightBudget(100);
    assertEquals(100, budget.enter(150));
    budget.leave(100);
    assertEquals(7, budget.enter(7));
    assertEquals(93, budget.enter(93));
  }

  @Test
  void aJobOfNoBodyDoesNotQueueBehindAWaitingOne() throws InterruptedException {
    InFlightBudget budget = new InFlightBudget(100);
    budget.enter(100);
    Thread waiting = new Thread(() -> {
      try {
        budget.enter(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    waiting.start();
    while (waiting.getState() != Thread.State.WAITING) {
      Thread.onSpinWait();
    }
    // (an acquire of nothing on the fair semaphore would wait behind it, until the 100 come back)
    assertEquals(0, assertTimeoutPreemptively(Duration.ofSeconds(30), () -> budget.enter(0)));
    budget.leave(100);
    waiting.join();
  }

  /**
   * Counts the large functions between their lowering and the end of their emission, each worker's
   * on its own thread; the large function lowered first waits up to two seconds for a second to start
   * beside it, which without the budget the other worker's next job (the other large one: the
   * schedule starts the largest first) does at once.
   */
  private static final class OverlapWatch extends ForwardingBackend {
    final AtomicInteger largeCompiled = new AtomicInteger();
    final AtomicInteger mostLargeAtOnce = new AtomicInteger();
    private final AtomicInteger largeAtOnce = new AtomicInteger();
    private final CountDownLatch secondLarge = new CountDownLatch(1);
    private final AtomicBoolean waited = new AtomicBoolean();
    private final ThreadLocal<Boolean> compilingLarge = ThreadLocal.withInitial(() -> false);

    OverlapWatch(Backend backend) {
      super(backend);
    }

    @Override
    public LoweredFunction lower(Function function) {
      if (function.dfg().instCount() > LARGE_INSTS) {
        compilingLarge.set(true);
        int atOnce = largeAtOnce.incrementAndGet();
        mostLargeAtOnce.accumulateAndGet(atOnce, Math::max);
        if (atOnce == 1 && waited.compareAndSet(false, true)) {
          awaitSecondLarge();
        } else {
          secondLarge.countDown();
        }
      }
      return super.lower(function);
    }

    private void awaitSecondLarge() {
      try {
        secondLarge.await(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public CompiledFunction emit(LoweredFunction function) {
      CompiledFunction compiled = super.emit(function);
      if (compilingLarge.get()) {
        compilingLarge.set(false);
        largeCompiled.incrementAndGet();
        largeAtOnce.decrementAndGet();
      }
      return compiled;
    }
  }
}
