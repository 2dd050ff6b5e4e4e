package dev.kiln.tests.x64;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import dev.kiln.loader.exec.Executors;
import dev.kiln.tests.support.ForkedJvm;
import org.junit.jupiter.api.Test;

/**
 * The fault handler takes only what the kernel reports as a fault ({@code si_code} SEGV_MAPERR or
 * SEGV_ACCERR): a SIGSEGV sent with {@code tgkill} to a thread running wasm, whose {@code siginfo}
 * carries the sender's pid (under 1 MiB) where an address would be, went on to be a {@code null
 * reference} trap (found by helper-101). Now it reaches the JVM, which ends the child process as it
 * does for any SIGSEGV it cannot place.
 */
class SentSigsegvTest {
  @Test
  void aSentSigsegvIsNoTrap() {
    assumeTrue(Executors.canRun(Target.X86_64), "x86-64 code does not run here");
    ForkedJvm.Outcome child = ForkedJvm.run(SentSigsegv.class);
    assertTrue(child.out().contains("sent: 0"), child.describe());
    assertFalse(child.out().contains("outcome:"), "the wasm call ended: " + child.describe());
    assertNotEquals(0, child.exit(), child.describe());
  }
}
