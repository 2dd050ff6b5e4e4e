package dev.kiln.tests.hostcall;

import dev.kiln.wasi.WasiFunction;
import java.lang.foreign.MemorySegment;

/** Where the fuzzer's WASI calls run: one guest's memory and its WASI functions. */
interface FuzzGuest extends AutoCloseable {
  /** The guest's linear memory, which the fuzzer fills and checks between calls. */
  MemorySegment memory();

  /**
   * Makes one call and returns its errno; anything the call throws is a finding (a host function
   * that failed in Java instead of answering with an errno).
   */
  int call(WasiFunction function, long[] args);

  /** Describes what lies outside the memory that a call changed, or null if nothing did. */
  String damageOutside();

  /** A name for the failure report: the target and the kind of memory. */
  String describe();

  @Override
  void close();
}
