package dev.kiln.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import dev.kiln.loader.exec.Executor;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.exec.HostTarget;
import dev.kiln.loader.exec.spi.ExecutorProvider;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The loader finds this module's executor as a service, and tells it when code was written. */
class UnicornExecutorProviderTest {
  @Test
  void isRegisteredAsAnExecutorProvider() {
    List<ExecutorProvider> providers = ServiceLoader.load(ExecutorProvider.class).stream()
        .map(ServiceLoader.Provider::get).toList();
    assertEquals(1, providers.size(), providers.toString());
    ExecutorProvider provider = assertInstanceOf(UnicornExecutorProvider.class, providers.getFirst());
    assertEquals(Target.AARCH64, provider.target());
    assertTrue(provider.runsOn(Target.X86_64));
    assertEquals(UnicornExecutor.available() ? Optional.empty() : Optional.of(Unicorn.NOT_INSTALLED),
        provider.unavailableReason());
  }

  @Test
  void theLoaderRunsAarch64CodeOnItAndReportsCodeItWrote() {
    assumeTrue(HostTarget.current().equals(Optional.of(Target.X86_64)), "an x86-64 host");
    assumeTrue(UnicornExecutor.available(), "libunicorn.so.2 is installed");
    assertTrue(Executors.canRun(Target.AARCH64));
    assertEquals(Optional.empty(), Executors.missingEmulator(Target.AARCH64));
    try (Executor executor = Executors.create(Target.AARCH64).orElseThrow()) {
      assertInstanceOf(UnicornExecutor.class, executor);
    }
    long before = CodeWrites.count();
    Executors.codeWritten(Target.AARCH64, 0x40_0000L, 64);
    assertEquals(before + 1, CodeWrites.count());
    assertEquals(List.of(0x40_0000L, 0x40_0040L),
        CodeWrites.since(before).orElseThrow().stream().flatMap(r -> List.of(r[0], r[1]).stream()).toList());
  }
}
