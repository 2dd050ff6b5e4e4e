package dev.kiln.loader.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 37 item 5: AArch64 code on an x86-64 host without Unicorn was refused as "compiled for
 * aarch64 but this runtime runs x86_64", which does not say that one package would make it run.
 */
class ExecutorsTest {
  @Test
  void onlyAMissingEmulatorIsNamedAsTheReason() {
    String reason = Executors.missingEmulator(Target.X86_64, Target.AARCH64, false).orElseThrow();
    assertTrue(reason.contains("apt-get install libunicorn2"), reason);
    assertEquals(Optional.empty(), Executors.missingEmulator(Target.X86_64, Target.AARCH64, true));
    assertEquals(Optional.empty(), Executors.missingEmulator(Target.X86_64, Target.X86_64, false));
    assertEquals(Optional.empty(), Executors.missingEmulator(Target.AARCH64, Target.X86_64, false),
        "no emulator of Kiln's runs x86-64 code on AArch64: the compat check says so");
  }
}
