package dev.kiln.compiler.driver;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.compiler.testsupport.ThreadAllocation;
import dev.kiln.wasm.ImplementationLimitException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link CodeSizeLimit} charges a function and how far its limit goes. */
class CodeSizeLimitTest {
  /**
   * Red team 36 F1: a function was charged its code alone, so an empty one (126 bytes with its
   * trampoline against the 272 it brought) lent the rest to functions of long expansions, and the
   * linker's padding to the function alignment was charged to nobody.
   */
  @Test
  void aFunctionIsChargedItsPlacedCodeAndNeverLessThanItsShare() {
    assertEquals(CodeSizeLimit.PER_FUNCTION, CodeSizeLimit.charge(Target.X86_64, code(6)));
    assertEquals(CodeSizeLimit.PER_FUNCTION, CodeSizeLimit.charge(Target.AARCH64, code(120)));
    assertEquals(288, CodeSizeLimit.charge(Target.X86_64, code(257)), "padded to 32 bytes");
    assertEquals(272, CodeSizeLimit.charge(Target.AARCH64, code(257)), "padded to 16 bytes");
  }

  /**
   * Red team 36 F1: a limit past what AArch64's BL reaches (128 MiB) let 2,000,000 empty functions
   * compile for 49 s of CPU before the linker refused them; red team 37 F1: held against what
   * functions are charged (256 each at least), 263,000 small functions, 59 MB of code, were refused.
   * The reach is held against the code as placed.
   */
  @Test
  void theCodeAsPlacedIsHeldToWhatTheTargetCanLink() {
    long bodyBytes = 100L << 20; // 16 a byte of it is 1.6 GB: only the reach can refuse
    CodeSizeLimit aarch64 = CodeSizeLimit.forModule(Target.AARCH64, bodyBytes, 0, CodeSizeLimit.MIN_LIMIT);
    CompiledFunction small = code(16);
    for (int f = 0; f < 600_000; f++) { // 153 MB charged at 256 each, 9.6 MB placed
      aarch64.charge(small, f, 0);
    }
    CompiledFunction mebibyte = code(1 << 20);
    assertThrows(ImplementationLimitException.class, () -> {
      for (int f = 0; f < 128; f++) {
        aarch64.charge(mebibyte, f, 0);
      }
    });
    CodeSizeLimit x64 = CodeSizeLimit.forModule(Target.X86_64, bodyBytes, 0, CodeSizeLimit.MIN_LIMIT);
    assertDoesNotThrow(() -> {
      for (int f = 0; f < 129; f++) {
        x64.charge(mebibyte, f, 0);
      }
    });
  }

  /** Charging reads the code's size: a copy of the code per charge was 1.1% of yosys's compile's bytes. */
  @Test
  void chargingAFunctionDoesNotCopyItsCode() {
    CodeSizeLimit limit = CodeSizeLimit.forModule(Target.X86_64, 100L << 20, 0, CodeSizeLimit.MIN_LIMIT);
    CompiledFunction mebibyte = code(1 << 20);
    limit.charge(mebibyte, 0, 0); // the first call's class loading is not the charge's
    ThreadAllocation allocation = ThreadAllocation.start();
    for (int f = 1; f <= 8; f++) {
      limit.charge(mebibyte, f, 0);
    }
    assertTrue(allocation.bytes() < 64 << 10, allocation.bytes() + " bytes for eight charges of 1 MiB functions");
  }

  private static CompiledFunction code(int bytes) {
    return new CompiledFunction(new byte[bytes], List.of(), List.of(), List.of());
  }
}
