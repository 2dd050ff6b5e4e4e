package dev.kiln.loader.runtime;

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
      "dev.kiln.loader.exec.NativeExecutor$DirectCall",
      "dev.kiln.loader.runtime.HostCallNesting",
      "dev.kiln.loader.host.CallingInstance",
      "dev.kiln.artifact.gc.ObjectLayout$Kind",
      "dev.kiln.loader.runtime.StoreGc$3",
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

  private CallPathClasses() {}

  /** Initialises the classes, once per JVM; cheap after the first call. */
  public static void initialise() {
    if (initialised) {
      return;
    }
    ClassLoader loader = CallPathClasses.class.getClassLoader();
    for (String name : KILN) {
      try {
        Class.forName(name, true, loader);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("no class " + name + " to initialise", e);
      }
    }
    for (String name : JDK) {
      try {
        Class.forName(name, true, null);
      } catch (ClassNotFoundException renamed) {
        // another JDK's name for it: nothing to initialise here
      }
    }
    initialised = true;
  }
}
