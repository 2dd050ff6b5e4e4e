package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kiln.loader.exec.ExecutorException;
import org.junit.jupiter.api.Test;

/**
 * What the API makes of the internal failures a caller cannot otherwise name: a caller of the API
 * (the {@code kiln} command among them) catches the API's types only, so an internal exception that
 * passed through untranslated would surface as an internal error with a stack trace.
 */
class FailuresTest {
  /**
   * An emulator that cannot run the code (Unicorn refusing a fetch) throws its own exception, a type
   * of a module the API does not read; the API reports it as a KilnException naming the executor.
   */
  @Test
  void anExecutorsFailureIsAKilnExceptionThatNamesTheExecutor() {
    ExecutorException failure = new ExecutorException("emulator",
        "uc_emu_start: UC_ERR_FETCH_UNMAPPED at 0x7f0000001000", null);

    KilnException reported = assertInstanceOf(KilnException.class, Failures.translate(failure));

    assertEquals("emulator: uc_emu_start: UC_ERR_FETCH_UNMAPPED at 0x7f0000001000", reported.getMessage());
    assertSame(failure, reported.getCause());
  }
}
