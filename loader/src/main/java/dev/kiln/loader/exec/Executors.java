package dev.kiln.loader.exec;

import dev.kiln.artifact.Target;
import java.util.Optional;

/**
 * Which executor runs code of a given target on this host: the host's own instruction set runs
 * natively, AArch64 on an x86-64 host runs on Unicorn when {@code libunicorn.so.2} is installed.
 */
public final class Executors {
  private Executors() {}

  /** Whether this host can run code compiled for {@code target}. */
  public static boolean canRun(Target target) {
    Target host = HostTarget.current().orElse(null);
    return host == target || emulates(host, target);
  }

  /**
   * Why this host cannot run code of {@code target} when only a missing library stands in the way:
   * AArch64 code on an x86-64 host without Unicorn. Empty otherwise (the host runs it, or no
   * executor of Kiln's could).
   */
  public static Optional<String> missingEmulator(Target target) {
    return missingEmulator(HostTarget.current().orElse(null), target, UnicornExecutor.available());
  }

  static Optional<String> missingEmulator(Target host, Target target, boolean unicornInstalled) {
    if (host == Target.X86_64 && target == Target.AARCH64 && !unicornInstalled) {
      return Optional.of("this artifact holds AArch64 code, which an x86-64 host runs on the Unicorn"
          + " emulator, and libunicorn.so.2 is not installed (Debian: apt-get install libunicorn2)");
    }
    return Optional.empty();
  }

  private static boolean emulates(Target host, Target target) {
    return host == Target.X86_64 && target == Target.AARCH64 && UnicornExecutor.available();
  }

  /**
   * A new executor for {@code target}, or empty if this host cannot run it. The native executor is
   * shared; an emulator is owned by the caller, which closes it.
   */
  public static Optional<Executor> create(Target target) {
    Target host = HostTarget.current().orElse(null);
    if (host == target) {
      return Optional.of(NativeExecutor.forHost());
    }
    return emulates(host, target) ? Optional.of(new UnicornExecutor()) : Optional.empty();
  }

  /**
   * The loader wrote (or mapped) code for {@code target} at {@code [address, address + length)}:
   * make instruction fetch see it. Natively that is icache maintenance ({@link
   * NativeExecutor#flushInstructionCache}); an emulator drops its translations of the range before
   * it next runs.
   */
  public static void codeWritten(Target target, long address, long length) {
    if (length <= 0) {
      return;
    }
    if (HostTarget.current().orElse(null) == target) {
      InstructionCache.flush(address, length);
    } else {
      CodeWrites.record(address, address + length);
    }
  }
}
