package dev.kiln.loader.runtime;

import dev.kiln.loader.sys.OwnStackThread;

/**
 * The classes with static initialisers that calls into a store, its host calls, collections and
 * the frees and closes of its objects use, initialised when an engine starts ({@link #initialise})
 * rather than by the first call that needs one. A class whose initialiser throws is erroneous for
 * the JVM's life (JLS 12.4.2: every later use is a {@code NoClassDefFoundError}), so the first call
 * made near the end of a thread's stack, where its initialiser overflowed, broke that path for every
 * store of the process (issue 35: {@code StackBounds}, which every outermost entry needs, left every
 * call failing). Classes with no initialiser cannot fail this way, and the {@code invokedynamic}
 * string concatenation whose factory had the same fate (red team 22 F4) is compiled inline ({@code
 * -XDstringConcat=inline}, the build's compiler arguments); {@code CallPathClassesTest} checks in a
 * child JVM that nothing on those paths initialises a class after the first instance is made.
 */
public final class CallPathClasses {
  /** Kiln's, by name: some are private to their packages. */
  private static final String[] KILN = {
      "dev.kiln.loader.sys.StackBounds",
      "dev.kiln.loader.sys.ThreadStack",
      "dev.kiln.loader.sys.ThreadStack$Reader",
      "dev.kiln.loader.sys.LibcCall",
      "dev.kiln.loader.sys.NativeHeap",
      // the makers NativeHeap's blocks and the slot and id tables' growths go through (issue 35)
      "dev.kiln.loader.sys.AddressSegments",
      "dev.kiln.loader.sys.TableArrays",
      "dev.kiln.loader.exec.NativeExecutor",
      "dev.kiln.loader.exec.NativeExecutor$DirectCall",
      "dev.kiln.loader.exec.NativeExecutor$ArrayCall",
      "dev.kiln.loader.runtime.HostCallNesting",
      // a call refused near the stack's end is this trap, made there (Failures.requireRoomToCall)
      "dev.kiln.artifact.tables.TrapCode",
      "dev.kiln.loader.runtime.TrapException",
      "dev.kiln.loader.host.CallingInstance",
      "dev.kiln.artifact.gc.ObjectLayout$Kind",
      "dev.kiln.loader.runtime.TableSeeds",
      "dev.kiln.loader.runtime.GcCollector",
      "dev.kiln.loader.runtime.UpcallRegistry",
  };
  /**
   * The JDK's that those paths initialise first (a cleaner's thread factory, a queue's handles,
   * the architecture a buffer's byte order asks for); their names are the JDK's to change, so one
   * missing is skipped.
   */
  private static final String[] JDK = {
      "jdk.internal.ref.CleanerImpl$InnocuousThreadFactory",
      "java.util.concurrent.ConcurrentLinkedQueue",
      "jdk.internal.util.Architecture",
  };

  private static volatile boolean initialised;

  /** The names of Kiln's classes {@link #initialise} initialises. */
  public static java.util.List<String> kilnClasses() {
    return java.util.List.of(KILN);
  }

  private CallPathClasses() {}

  /**
   * Initialises the classes, once per JVM, on a thread of its own ({@link OwnStackThread}: the
   * engine that asks may be made near the end of its thread's stack); cheap after the first call.
   */
  public static void initialise() {
    if (initialised) {
      return;
    }
    OwnStackThread.run("kiln-first-use", new Initialiser());
  }

  /** {@link #initialise}'s work, without a lambda. */
  private static final class Initialiser implements Runnable {
    @Override
    public void run() {
      initialiseOnThisThread();
    }
  }

  /**
   * {@link #initialise}'s work on the calling thread, for a caller already on a thread of its own
   * ({@link OwnStackThread}) with more first-use work to do there: one such thread, not two.
   */
  public static void initialiseOnThisThread() {
    if (initialised) {
      return;
    }
    initialiseAll(java.util.List.of(KILN), CallPathClasses.class.getClassLoader());
    for (String name : JDK) {
      try {
        Class.forName(name, true, null);
      } catch (ClassNotFoundException renamed) {
        // another JDK's name for it: nothing to initialise here
      }
    }
    initialised = true;
  }

  /**
   * Initialises the named classes of {@code loader}, here (a caller runs it on a thread of its own).
   *
   * @param names binary names, nested classes included ({@code Engine$Statics})
   * @param loader the loader that defines them
   * @throws IllegalStateException if one is missing
   */
  public static void initialiseAll(java.util.List<String> names, ClassLoader loader) {
    for (String name : names) {
      try {
        Class.forName(name, true, loader);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("no class " + name + " to initialise", e);
      }
    }
  }
}
