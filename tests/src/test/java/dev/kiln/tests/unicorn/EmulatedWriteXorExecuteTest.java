package dev.kiln.tests.unicorn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import dev.kiln.loader.exec.Executors;
import dev.kiln.tests.support.ForkedJvm;
import org.junit.jupiter.api.Test;

/**
 * Under the emulator a guest can neither write its code nor run its data (issue 35): host pages
 * are mapped into Unicorn with the host's protections, code R-X and data RW-, never both, instead of
 * RWX. Each attempt stops the entry with Unicorn's protection error, and the JVM lives.
 */
class EmulatedWriteXorExecuteTest {
  @Test
  void theGuestCannotWriteItsCodeOrRunItsData() {
    assumeTrue(Executors.canRun(Target.AARCH64), "this host cannot emulate AArch64");
    ForkedJvm.Outcome child = ForkedJvm.run(EmulatedWriteXorExecute.class);
    assertEquals(0, child.exit(), child.describe());
    assertEquals("""
        write own code: EmulatorException: emulated code stopped: Write to write-protected memory (UC_ERR_WRITE_PROT) (uc_err 12)
        run data: EmulatorException: emulated code stopped: Fetch from non-executable memory (UC_ERR_FETCH_PROT) (uc_err 14), values[0] = 0
        """, child.out(), child.describe());
  }
}
