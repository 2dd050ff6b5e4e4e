package dev.kiln.wasm.validate;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import dev.kiln.wasm.code.BodyFacts;
import dev.kiln.wasm.module.FunctionBody;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validates a module's function bodies, on the calling thread alone or on several (a large module's,
 * {@link Validator#validate(dev.kiln.wasm.module.Module, dev.kiln.wasm.Features, int)}) with the
 * same outcome: the error thrown is the one of the lowest-indexed body that breaks a rule, as a loop
 * in index order would throw first. Each body's validation reads only the module-level context and its own bytes
 * (spec 3.4.10: a function is valid in C alone), so bodies are independent; each thread keeps a
 * {@link FunctionValidator} of its own, whose operand and control stacks are per body.
 *
 * <p>The threads take bodies in runs of {@link #RUN} in index order from a shared counter, and stop
 * taking runs that start at or past the lowest failure found so far; a thread stops at its own
 * first failure, since every run it could take later starts past it. So every body below the
 * reported one has been validated, and the report does not depend on the threads' timing (only a
 * compile deadline, polled as the serial loop polls it, can end the work at another body than one
 * thread would).
 *
 * <p>Each thread also notes what its bodies tell ({@link BodyFacts}) in an instance of its own,
 * merged once every thread has ended: union and earliest offset, so the result is the same whichever
 * thread read which body.
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
  /** Each thread's facts once it has ended. */
  private final List<BodyFacts> threadFacts = Collections.synchronizedList(new ArrayList<>());

  private ParallelBodyValidation(List<FunctionBody> code, int firstIndex, ValidationContext context) {
    this.code = code;
    this.firstIndex = firstIndex;
    this.context = context;
  }

  /**
   * Validates {@code code} (function {@code firstIndex + i} is {@code code.get(i)}) on the calling
   * thread and up to {@code threads - 1} more ({@link #helperThreads}; with one thread, the caller
   * alone, in index order), each bound to the caller's compile deadline, if any; returns once every
   * thread has ended.
   *
   * @return what the bodies tell
   * @throws dev.kiln.wasm.InvalidException the lowest-indexed body's error, as the serial loop
   * @throws dev.kiln.wasm.MalformedException the same, where that body does not decode (a body the
   *     decoder did not scan)
   */
  static BodyFacts validate(List<FunctionBody> code, int firstIndex, ValidationContext context, int threads) {
    // Canonicalised here, once, under the caller's deadline: each thread's FunctionValidator reads it.
    context.matcher();
    ParallelBodyValidation work = new ParallelBodyValidation(code, firstIndex, context);
    int helpers = helperThreads(code.size(), threads);
    Optional<CompileDeadline> deadline = CompileDeadline.current();
    Runnable task = () -> deadline.ifPresentOrElse(d -> d.call(() -> {
      work.takeRuns();
      return null;
    }), work::takeRuns);
    List<Thread> started = new ArrayList<>();
    try {
      for (int t = 0; t < helpers; t++) {
        started.add(Thread.ofPlatform().name("kiln-validate").daemon().start(task));
      }
      work.takeRuns();
    } finally {
      joinAll(started); // no helper outlives the call, whatever ended it
    }
    int lowest = work.lowestFailure.get();
    if (lowest != Integer.MAX_VALUE) {
      Throwable failure = work.failures.get(lowest); // a RuntimeException or an Error (takeRuns)
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      throw (Error) failure;
    }
    BodyFacts facts = new BodyFacts();
    work.threadFacts.forEach(facts::merge);
    return facts;
  }

  /**
   * Threads to start beside the caller for {@code bodies} bodies on {@code threads} threads: no more
   * than there are runs, since a thread with no run to take would only build its validator (a
   * module of one huge body and {@code --jobs 64} gets none).
   */
  static int helperThreads(int bodies, int threads) {
    long runs = (bodies + (long) RUN - 1) / RUN;
    return (int) Math.max(0, Math.min(threads, runs) - 1);
  }

  /** Waits for every thread; an interrupt meanwhile is kept for the caller, not acted on. */
  private static void joinAll(List<Thread> threads) {
    boolean interrupted = false;
    for (Thread thread : threads) {
      while (true) {
        try {
          thread.join(); // bounded: a helper stops after the last run, or at its first failure
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void takeRuns() {
    FunctionValidator validator = null;
    BodyFacts facts = new BodyFacts();
    for (int run = nextRun.getAndIncrement(); ; run = nextRun.getAndIncrement()) {
      long start = (long) run * RUN;
      if (start >= code.size() || start >= lowestFailure.get()) {
        threadFacts.add(facts);
        return;
      }
      int end = (int) Math.min(code.size(), start + RUN);
      for (int i = (int) start; i < end; i++) {
        try {
          CompileDeadline.pollCounted(Phase.DECODE, i);
          if (validator == null) {
            validator = new FunctionValidator(context);
          }
          validator.validate(firstIndex + i, code.get(i), facts);
        } catch (RuntimeException | Error e) {
          failures.put(i, e);
          lowestFailure.accumulateAndGet(i, Math::min);
          return;
        }
      }
    }
  }
}
