package dev.kiln.runtime.tools;

/** Told as each unit of a compile finishes (from the compile's worker threads). */
@FunctionalInterface
public interface ProgressListener {
  /** Reports nothing. */
  ProgressListener NONE = (done, total) -> {};

  /**
   * @param done units finished so far, counting this one
   * @param total units in this compile
   */
  void finished(int done, int total);
}
