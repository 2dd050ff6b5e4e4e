package dev.kiln.compiler.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.FuncKey;
import org.junit.jupiter.api.Test;

/**
 * {@link CallAwaitingJobs}: a relocation naming a waiting defined function takes its job, once; one
 * naming anything else (another kind of key with the same index, another module, a builtin) takes
 * nothing.
 */
class CallAwaitingJobsTest {
  @Test
  void aCallOfAWaitingDefinedFunctionTakesItsJobOnce() {
    CallAwaitingJobs waiting = new CallAwaitingJobs(0, 4);
    waiting.await(2, 7);

    assertEquals(7, waiting.takeCalled(FuncKey.definedWasmFunction(0, 2).raw()));
    assertEquals(-1, waiting.takeCalled(FuncKey.definedWasmFunction(0, 2).raw()), "already taken");
    assertEquals(-1, waiting.jobOf(2));
  }

  @Test
  void keysOfOtherFunctionsTakeNothing() {
    CallAwaitingJobs waiting = new CallAwaitingJobs(0, 4);
    waiting.await(2, 7);

    assertEquals(-1, waiting.takeCalled(FuncKey.definedWasmFunction(0, 1).raw()), "not waiting");
    assertEquals(-1, waiting.takeCalled(FuncKey.definedWasmFunction(0, 9).raw()), "past the defined functions");
    assertEquals(-1, waiting.takeCalled(FuncKey.definedWasmFunction(1, 2).raw()), "another module");
    assertEquals(-1, waiting.takeCalled(FuncKey.arrayToWasmTrampoline(0, 2).raw()));
    assertEquals(-1, waiting.takeCalled(FuncKey.builtin(2).raw()));
    assertEquals(7, waiting.jobOf(2));
  }
}
