package dev.kiln.wasm.validate;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import dev.kiln.wasm.module.FunctionBody;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validates a module's function bodies on several threads, with the outcome of doing it on one: the
 * error thrown is the one of the lowest-indexed body that breaks a rule, as a loop in index order
 * would throw first. Each body's validation reads only the module-level context and its own bytes
 * (spec 3.4.10: a function is valid in C alone), so bodies are independent; each thread keeps a
 * {@link FunctionValidator} of its own, whose operand and control stacks are per body.
 *
 * <p>The threads take bodies in runs of {@link #RUN} in index order from a shared counter, and stop
 * taking runs that start past the lowest failure found so far; a thread stops at its own first
 * failure, since every run it could take later starts past it. So every body below the reported
 * one has been validated, and the report does not depend on the threads' timing (only a compile
 * deadline, polled as the serial loop polls it, can end the work at another body than a single thread would).
 */
final class ParallelBodyValidation {
  /** Bodies a thread takes at once: enough that the shared counter is not contended. */
  static final int RUN = 64;

  private final List<FunctionBody> code;
  private final int firstIndex;
  private final ValidationContext context;
  private final AtomicInteger nextRun = new AtomicInteger();
  private final AtomicInteger lowestFailure = new AtomicInteger(Integer.MAX_VALUE);
  private final Map<Integer, Throwable> failures = new ConcurrentHashMap<>();

  private ParallelBodyValidation(List<FunctionBody> code, int firstIndex, ValidationContext context) {
    this.code = code;
    this.firstIndex = firstIndex;
    this.context = context;
  }

  /**
   * Validates {@code code} (function {@code firstIndex + i} is {@code code.get(i)}) on the calling
   * thread and {@code threads - 1} more, each bound to the caller's compile deadline, if any.
   *
   * @throws dev.kiln.wasm.InvalidException the lowest-indexed body's error, as the serial loop
   */
  static void validate(List<FunctionBody> code, int firstIndex, ValidationContext context, int threads) {
    ParallelBodyValidation work = new ParallelBodyValidation(code, firstIndex, context);
    Optional<CompileDeadline> deadline = CompileDeadline.current();
    Runnable task = () -> deadline.ifPresentOrElse(d -> d.call(() -> {
      work.takeRuns();
      return null;
    }), work::takeRuns);
    List<Thread> helpers = new ArrayList<>();
    for (int t = 1; t < threads; t++) {
      helpers.add(Thread.ofPlatform().name("kiln-validate").daemon().start(task));
    }
    work.takeRuns();
    boolean interrupted = false;
    for (Thread helper : helpers) {
      while (true) {
        try {
          helper.join(); // bounded: a helper stops after the last run, or at its first failure
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    int lowest = work.lowestFailure.get();
    if (lowest != Integer.MAX_VALUE) {
      switch (work.failures.get(lowest)) {
        case RuntimeException e -> throw e;
        case Error e -> throw e;
        case Throwable t -> throw new IllegalStateException("validating function " + (firstIndex + lowest), t);
      }
    }
  }

  private void takeRuns() {
    FunctionValidator validator = new FunctionValidator(context);
    for (int run = nextRun.getAndIncrement(); ; run = nextRun.getAndIncrement()) {
      long start = (long) run * RUN;
      if (start >= code.size() || start > lowestFailure.get()) {
        return;
      }
      int end = (int) Math.min(code.size(), start + RUN);
      for (int i = (int) start; i < end; i++) {
        try {
          CompileDeadline.pollCounted(Phase.DECODE, i);
          validator.validate(firstIndex + i, code.get(i));
        } catch (RuntimeException | Error e) {
          failures.put(i, e);
          lowestFailure.accumulateAndGet(i, Math::min);
          return;
        }
      }
    }
  }
}
