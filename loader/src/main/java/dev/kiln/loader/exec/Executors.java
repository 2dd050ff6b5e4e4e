package dev.kiln.loader.exec;

import dev.kiln.artifact.Target;
import dev.kiln.loader.exec.spi.ExecutorProvider;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Which executor runs code of a given target on this host: the host's own instruction set runs
 * natively ({@link NativeExecutor}); another one runs on an executor an {@link ExecutorProvider}
 * makes, when one is on the class or module path and can run here (Kiln's emulator module, {@code
 * dev.kiln.emulator}: AArch64 on an x86-64 host, on Unicorn, when {@code libunicorn.so.2} is
 * installed).
 */
public final class Executors {
  private Executors() {}

  /** Whether this host can run code compiled for {@code target}. */
  public static boolean canRun(Target target) {
    Target host = HostTarget.current().orElse(null);
    return host == target || usableProvider(host, target).isPresent();
  }

  /**
   * Why this host cannot run code of {@code target} when only something missing from this
   * process stands in the way: AArch64 code on an x86-64 host without the emulator's jar or without
   * its native library. Empty otherwise (the host runs it, or no executor of Kiln's could).
   */
  public static Optional<String> missingEmulator(Target target) {
    Target host = HostTarget.current().orElse(null);
    if (host == null || host == target) {
      return Optional.empty(); // no provider lookup on the native path
    }
    return missingEmulator(host, target, Providers.ALL);
  }

  static Optional<String> missingEmulator(Target host, Target target, List<ExecutorProvider> providers) {
    if (host == null || host == target) {
      return Optional.empty();
    }
    Optional<ExecutorProvider> provider = providerFor(host, target, providers);
    if (provider.isPresent()) {
      return provider.get().unavailableReason().map(reason -> "this artifact holds " + target.displayName()
          + " code, which this " + host.displayName() + " host runs on " + provider.get().description()
          + ", and " + reason);
    }
    // The one pair Kiln's emulator module serves; without its jar, say which jar that is.
    if (host == Target.X86_64 && target == Target.AARCH64) {
      return Optional.of("this artifact holds aarch64 code, which an x86_64 host runs on the Unicorn emulator,"
          + " and this runtime does not include it: put the kiln-emulator jar (module dev.kiln.emulator)"
          + " on its class or module path, and install libunicorn.so.2 (Debian: apt-get install libunicorn2)");
    }
    return Optional.empty();
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
    return usableProvider(host, target).map(ExecutorProvider::create);
  }

  /**
   * The loader wrote (or mapped) code for {@code target} at {@code [address, address + length)}:
   * make instruction fetch see it. Natively that is icache maintenance ({@link
   * InstructionCache#flush}); the provider of an emulated target drops its translations of the
   * range before its executors next run.
   */
  public static void codeWritten(Target target, long address, long length) {
    if (length <= 0) {
      return;
    }
    Target host = HostTarget.current().orElse(null);
    if (host == target) {
      InstructionCache.flush(address, length);
    } else {
      providerFor(host, target, Providers.ALL).ifPresent(provider -> provider.codeWritten(address, length));
    }
  }

  private static Optional<ExecutorProvider> usableProvider(Target host, Target target) {
    if (host == null) {
      return Optional.empty();
    }
    return providerFor(host, target, Providers.ALL).filter(provider -> provider.unavailableReason().isEmpty());
  }

  private static Optional<ExecutorProvider> providerFor(Target host, Target target, List<ExecutorProvider> providers) {
    return providers.stream().filter(p -> p.target() == target && host != null && p.runsOn(host)).findFirst();
  }

  /**
   * The providers on this process's class and module path, looked up once, on first need: a process
   * that runs only its host's code never pays for the lookup.
   */
  private static final class Providers {
    static final List<ExecutorProvider> ALL = ServiceLoader.load(ExecutorProvider.class,
        Executors.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList();
  }
}
