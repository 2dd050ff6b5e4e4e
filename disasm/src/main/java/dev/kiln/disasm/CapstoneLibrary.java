package dev.kiln.disasm;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The part of Capstone 4's C API (capstone.h of Capstone 4.0) Kiln calls, as a JNA interface. {@code
 * csh} and {@code size_t} are 64-bit on every platform the bundled libraries exist for (LP64 and
 * LLP64 alike), hence {@code long}; {@code cs_support} returns a C {@code bool}, one byte, declared so
 * that no garbage from the rest of the return register is read.
 *
 * <p>Public because JNA implements it with a {@link java.lang.reflect.Proxy}; the package is exported
 * only to Kiln's modules.
 */
public interface CapstoneLibrary extends Library {
  /** {@code int cs_version(int* major, int* minor)}: {@code (major << 8) + minor}. */
  int cs_version(IntByReference major, IntByReference minor);

  /** {@code bool cs_support(int query)}: whether the library was built with architecture {@code query}. */
  byte cs_support(int query);

  /** {@code cs_err cs_open(cs_arch arch, cs_mode mode, csh* handle)}. */
  int cs_open(int arch, int mode, LongByReference handle);

  /** {@code cs_err cs_option(csh handle, cs_opt_type type, size_t value)}. */
  int cs_option(long handle, int type, long value);

  /**
   * {@code size_t cs_disasm(csh handle, const uint8_t* code, size_t code_size, uint64_t address,
   * size_t count, cs_insn** insn)}: how many instructions were decoded into the array {@code *insn}
   * points to, which {@link #cs_free} releases.
   */
  long cs_disasm(long handle, byte[] code, long codeSize, long address, long count, PointerByReference insn);

  /** {@code void cs_free(cs_insn* insn, size_t count)}. */
  void cs_free(Pointer insn, long count);

  /** {@code cs_err cs_close(csh* handle)}. */
  int cs_close(LongByReference handle);

  /** {@code const char* cs_strerror(cs_err code)}. */
  String cs_strerror(int code);
}
