package dev.kiln.compiler.driver;

import dev.kiln.artifact.FuncKey;
import java.util.Arrays;

/**
 * The jobs of defined functions whose compile waits until compiled code calls them ({@code
 * Compiler.runUntilCalledCompiled}), by defined index. Asked once per relocation of every compiled
 * function, with the relocation's raw target key: an array by defined index rather than a map by
 * key, whose lookup boxed the 64-bit key (a Long per relocation of the module's code).
 */
final class CallAwaitingJobs {
  private static final int NONE = -1;
  /** The high 32 bits of a defined function's raw key ({@link FuncKey#raw()}). */
  private final long definedNamespace;
  private final int[] jobOf;

  /** None waiting, among {@code definedCount} defined functions of module {@code module}. */
  CallAwaitingJobs(int module, int definedCount) {
    definedNamespace = FuncKey.definedWasmFunction(module, 0).raw() >>> 32;
    jobOf = new int[definedCount];
    Arrays.fill(jobOf, NONE);
  }

  /** Job {@code job} compiles defined function {@code definedIndex} once something calls it. */
  void await(int definedIndex, int job) {
    jobOf[definedIndex] = job;
  }

  /** The defined functions {@link #jobOf} answers for: indices 0 up to this, exclusive. */
  int definedCount() {
    return jobOf.length;
  }

  /** The job waiting for defined function {@code definedIndex}, or -1. */
  int jobOf(int definedIndex) {
    return jobOf[definedIndex];
  }

  /** The job waiting for defined function {@code definedIndex}, no longer waiting; -1 if none was. */
  int take(int definedIndex) {
    int job = jobOf[definedIndex];
    jobOf[definedIndex] = NONE;
    return job;
  }

  /**
   * Whether a job waits for the function a call's relocation names by {@code rawTargetKey}; only
   * reads, so the compile's threads ask it side by side while no job is taken.
   */
  boolean waitsFor(long rawTargetKey) {
    int index = (int) rawTargetKey;
    return rawTargetKey >>> 32 == definedNamespace && index >= 0 && index < jobOf.length && jobOf[index] != NONE;
  }

  /**
   * The job waiting for the function a call's relocation names by {@code rawTargetKey}, no longer
   * waiting; -1 if none was (a function already compiled, or not a defined function at all).
   */
  int takeCalled(long rawTargetKey) {
    int index = (int) rawTargetKey;
    if (rawTargetKey >>> 32 != definedNamespace || index < 0 || index >= jobOf.length) {
      return NONE;
    }
    return take(index);
  }
}
