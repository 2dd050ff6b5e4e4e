package dev.kiln.loader.sys;

/**
 * Runs JVM-wide first-use work (class initialisers, the first links of downcalls and call sites)
 * on a new thread with a stack of its own, and waits for it. That work is the deepest a first call
 * does and is done once for the JVM: run at the end of an embedder's stack and overflowing there,
 * it would leave a class erroneous (JLS 12.4.2) or a call site's link failed (JVMS 5.4.3.6) for the
 * JVM's life (issue 35). No static state and no lambda here: this class is what the first call
 * uses before anything else, at whatever depth.
 */
public final class OwnStackThread {
  /** The new thread's stack: well beyond what any first use takes (JDK 25: under 20 KiB, {@link ThreadStack#LINK}). */
  private static final long STACK_BYTES = 4L << 20;

  private OwnStackThread() {}

  /**
   * Runs {@code work} on a new thread and waits for it, keeping this thread's interrupt for later
   * (the work is the JVM's, not this call's).
   *
   * @throws RuntimeException or {@link Error} what {@code work} threw, as it is
   */
  public static void run(String name, Runnable work) {
    Outcome outcome = new Outcome(work);
    Thread thread = new Thread(null, outcome, name, STACK_BYTES);
    thread.setDaemon(true);
    thread.start();
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (outcome.failure instanceof RuntimeException e) {
      throw e;
    }
    if (outcome.failure instanceof Error e) {
      throw e;
    }
  }

  /** The work and what it threw; read after the join, which orders it (JLS 17.4.4). */
  private static final class Outcome implements Runnable {
    private final Runnable work;
    Throwable failure;

    Outcome(Runnable work) {
      this.work = work;
    }

    @Override
    public void run() {
      try {
        work.run();
      } catch (Throwable t) {
        failure = t;
      }
    }
  }
}
