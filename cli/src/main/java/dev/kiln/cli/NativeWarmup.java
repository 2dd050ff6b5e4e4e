package dev.kiln.cli;

import dev.kiln.loader.exec.NativeExecutor;
import dev.kiln.loader.exec.HostTarget;
import dev.kiln.loader.sys.LibcCall;
import dev.kiln.loader.sys.StackBounds;
import java.util.List;

/**
 * The FFM bootstrap of {@code kiln run}, done on a second thread while the first parses the command
 * line: every run binds the same C functions (the loader's libc calls, the pthread stack queries and
 * the entry downcall of the native executor, all of one shape), and the JVM spins a stub class and
 * a few method-handle forms for that shape on first use, which the AOT cache does not hold. Started
 * before the command line is parsed and the command's classes are loaded, the bindings are ready
 * when the loader first needs them, and the wall time of the two overlaps on a machine with a free
 * core. A run that preopens directories opens them with variadic C functions before its guest
 * starts: it binds all of its functions in the variadic shape ({@link
 * LibcCall#expectVariadicCalls}), one shape rather than two, and a run without links the plain one,
 * which is quicker. Only class
 * initialisation and bindings: nothing is mapped or called that the run would have to undo. If
 * anything fails here, the run meets the same failure on its own thread and reports it there.
 */
final class NativeWarmup {
  private NativeWarmup() {}

  /**
   * Starts the warm-up on a daemon thread, so it never holds the process open; {@code runArguments}
   * are {@code kiln run}'s, not yet parsed.
   */
  static void start(List<String> runArguments) {
    boolean opensFiles = preopensDirectories(runArguments);
    Thread.ofPlatform().daemon().name("kiln-native-warmup").start(() -> warm(opensFiles));
  }

  /**
   * Whether the arguments preopen a directory ({@code --dir}). Read before parsing, so a guest's own
   * argument spelled so counts too; that only binds the variadic shape, which is as exact.
   */
  private static boolean preopensDirectories(List<String> runArguments) {
    for (String argument : runArguments) {
      if (argument.equals(RunCommand.DIR_OPTION) || argument.startsWith(RunCommand.DIR_OPTION + "=")) {
        return true;
      }
    }
    return false;
  }

  private static void warm(boolean opensFiles) {
    if (HostTarget.current().isEmpty()) {
      return; // a host Kiln runs no code on: nothing of this is used
    }
    try {
      if (opensFiles) {
        LibcCall.expectVariadicCalls(); // here, not on the main thread: it initialises the FFM classes
      }
      // libc (mmap, mprotect, munmap, sysconf, strerror) and the pthread stack queries.
      StackBounds.ofCurrentThread();
      NativeExecutor.linkEntry();
    } catch (RuntimeException | Error e) {
      // The run binds the same functions on its own thread and reports any failure there.
    }
  }
}
