package dev.kiln.loader.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import dev.kiln.loader.exec.spi.ExecutorProvider;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 37 item 5: AArch64 code on an x86-64 host without Unicorn was refused as "compiled for
 * aarch64 but this runtime runs x86_64", which does not say that one package would make it run. Item
 * 2 moved the emulator into a jar of its own that the loader finds as a service: without that jar
 * the refusal names the jar.
 */
class ExecutorsTest {
  /** A provider of AArch64 executors on x86-64 hosts whose library is there or not. */
  private record Emulator(Optional<String> unavailableReason) implements ExecutorProvider {
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
    public Executor create() {
      throw new UnsupportedOperationException("not needed by these tests");
    }

    @Override
    public void codeWritten(long address, long length) {}
  }

  private static final ExecutorProvider WITHOUT_LIBRARY =
      new Emulator(Optional.of("libunicorn.so.2 is not installed (Debian: apt-get install libunicorn2)"));
  private static final ExecutorProvider WITH_LIBRARY = new Emulator(Optional.empty());

  @Test
  void aProviderWhoseLibraryIsMissingSaysWhatToInstall() {
    String reason = Executors.missingEmulator(Target.X86_64, Target.AARCH64, List.of(WITHOUT_LIBRARY)).orElseThrow();
    assertEquals("this artifact holds aarch64 code, which this x86_64 host runs on the Unicorn emulator, and"
        + " libunicorn.so.2 is not installed (Debian: apt-get install libunicorn2)", reason);
    assertEquals(Optional.empty(), Executors.missingEmulator(Target.X86_64, Target.AARCH64, List.of(WITH_LIBRARY)));
  }

  @Test
  void withoutTheEmulatorsJarTheRefusalNamesTheJar() {
    String reason = Executors.missingEmulator(Target.X86_64, Target.AARCH64, List.of()).orElseThrow();
    assertTrue(reason.contains("put the kiln-emulator jar (module dev.kiln.emulator) on its class or module path"),
        reason);
    assertTrue(reason.contains("apt-get install libunicorn2"), reason);
  }

  @Test
  void onlyAMissingEmulatorIsNamedAsTheReason() {
    for (List<ExecutorProvider> providers : List.of(List.<ExecutorProvider>of(), List.of(WITHOUT_LIBRARY))) {
      assertEquals(Optional.empty(), Executors.missingEmulator(Target.X86_64, Target.X86_64, providers));
      assertEquals(Optional.empty(), Executors.missingEmulator(Target.AARCH64, Target.AARCH64, providers));
      assertEquals(Optional.empty(), Executors.missingEmulator(Target.AARCH64, Target.X86_64, providers),
          "no emulator of Kiln's runs x86-64 code on AArch64: the compat check says so");
    }
  }

  /** The loader's own tests run without the emulator module on the class path, as production may. */
  @Test
  void thisProcessHasNoEmulatorAndSaysSo() {
    assumeTrue(HostTarget.current().equals(Optional.of(Target.X86_64)), "an x86-64 host");
    assertFalse(Executors.canRun(Target.AARCH64));
    assertEquals(Optional.empty(), Executors.create(Target.AARCH64));
    assertTrue(Executors.missingEmulator(Target.AARCH64).orElseThrow().contains("kiln-emulator jar"));
  }
}
