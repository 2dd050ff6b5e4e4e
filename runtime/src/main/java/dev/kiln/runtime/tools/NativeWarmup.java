package dev.kiln.runtime.tools;

import dev.kiln.loader.exec.HostTarget;
import dev.kiln.loader.exec.NativeExecutor;
import dev.kiln.loader.sys.LibcCall;
import dev.kiln.loader.sys.StackBounds;

/**
 * The FFM bootstrap of {@code kiln run}, done on a second thread while the first parses the command
 * line: every run binds the same C functions (the loader's libc calls, the pthread stack queries and
 * the entry downcall of the native executor, all of one shape), and the JVM spins a stub class and
 * a few method-handle forms for that shape on first use, which the AOT cache does not hold. Started
 * before the command line is parsed and the command's classes are loaded, the bindings are ready
 * when the loader first needs them, and the wall time of the two overlaps on a machine with a free
 * core. The variadic C functions a WASI run calls take the same shape ({@link
 * LibcCall#bindVariadic}), so there is no second shape to link, with or without {@code --dir}. Only
 * class initialisation and bindings: nothing is mapped or called that the run would have to undo. If
 * anything fails here, the run meets the same failure on its own thread and reports it there.
 */
public final class NativeWarmup {
  private NativeWarmup() {}

  /** Starts the warm-up on a daemon thread, so it never holds the process open. */
  public static void start() {
    Thread.ofPlatform().daemon().name("kiln-native-warmup").start(NativeWarmup::warm);
  }

  private static void warm() {
    if (HostTarget.current().isEmpty()) {
      return; // a host Kiln runs no code on: nothing of this is used
    }
    try {
      // libc (mmap, mprotect, munmap, sysconf, strerror) and the pthread stack queries.
      StackBounds.ofCurrentThread();
      NativeExecutor.linkEntry();
    } catch (RuntimeException | Error e) {
      // The run binds the same functions on its own thread and reports any failure there.
    }
  }
}
