package dev.kiln.emulator;

import dev.kiln.artifact.Target;
import dev.kiln.loader.exec.Executor;
import dev.kiln.loader.exec.spi.ExecutorProvider;
import java.util.Optional;

/**
 * The loader's way to {@link UnicornExecutor}: AArch64 code on an x86-64 host, when {@code
 * libunicorn.so.2} loads. Registered with {@code provides} in this module's descriptor and in {@code
 * META-INF/services} for the class path.
 */
public final class UnicornExecutorProvider implements ExecutorProvider {
  /** Constructed by {@link java.util.ServiceLoader}. */
  public UnicornExecutorProvider() {}

  @Override
  public Target target() {
    return Target.AARCH64;
  }

  @Override
  public boolean runsOn(Target host) {
    return host == Target.X86_64;
  }

  @Override
  public String description() {
    return "the Unicorn emulator";
  }

  @Override
  public Optional<String> unavailableReason() {
    return UnicornExecutor.available() ? Optional.empty() : Optional.of(Unicorn.NOT_INSTALLED);
  }

  @Override
  public Executor create() {
    return new UnicornExecutor();
  }

  @Override
  public void codeWritten(long address, long length) {
    CodeWrites.record(address, address + length);
  }
}
