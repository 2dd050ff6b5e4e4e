package dev.kiln.emulator;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.loader.sys.SharedArenaClose;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The part of Unicorn 2's C API ({@code unicorn/unicorn.h}, Debian {@code libunicorn2}, {@code
 * libunicorn.so.2}) the emulator executor uses, bound through FFM, for one {@code uc_engine}. Every
 * call returns a {@code uc_err}; a non-zero one becomes an {@link EmulatorException} with {@code
 * uc_strerror}'s text. {@code uc_hook_add} and {@code uc_ctl} are variadic C functions, so they are
 * linked with {@link Linker.Option#firstVariadicArg} (the System V x86-64 ABI passes the count of
 * vector registers used in AL for variadic calls).
 *
 * <p>Not thread-safe: one engine is used by one thread at a time (its executor's store).
 */
final class Unicorn implements AutoCloseable {
  // unicorn.h: uc_arch UC_ARCH_ARM64 = 2, uc_mode UC_MODE_ARM = 0 (little-endian).
  static final int UC_ARCH_ARM64 = 2;
  static final int UC_MODE_ARM = 0;
  // uc_prot.
  static final int UC_PROT_READ = 1;
  static final int UC_PROT_WRITE = 2;
  static final int UC_PROT_EXEC = 4;
  // uc_hook_type bits.
  static final int UC_HOOK_CODE = 1 << 2;
  static final int UC_HOOK_MEM_READ_UNMAPPED = 1 << 4;
  static final int UC_HOOK_MEM_WRITE_UNMAPPED = 1 << 5;
  static final int UC_HOOK_MEM_FETCH_UNMAPPED = 1 << 6;
  static final int UC_HOOK_MEM_UNMAPPED =
      UC_HOOK_MEM_READ_UNMAPPED | UC_HOOK_MEM_WRITE_UNMAPPED | UC_HOOK_MEM_FETCH_UNMAPPED;
  // uc_control_type UC_CTL_TB_REMOVE_CACHE = 9, written with two arguments:
  // UC_CTL(type, nr, rw) = type | nr << 26 | rw << 30, UC_CTL_IO_WRITE = 1.
  private static final int CTL_REMOVE_CACHE = 9 | 2 << 26 | 1 << 30;

  /** What is missing when the library does not load, and how to get it. */
  static final String NOT_INSTALLED = "libunicorn.so.2 is not installed (Debian: apt-get install libunicorn2)";

  private static final Linker LINKER = Linker.nativeLinker();
  private static final Optional<SymbolLookup> LIBRARY = load();

  private final MemorySegment engine;
  // Shared, not confined: a store (and its engines) may move to another thread between entries.
  private final Arena scratchArena = Arena.ofShared();
  private final MemorySegment scratch = scratchArena.allocate(16, 16);
  private boolean closed;
  private boolean engineClosed;

  private Unicorn(MemorySegment engine) {
    this.engine = engine;
  }

  private static Optional<SymbolLookup> load() {
    try {
      return Optional.of(SymbolLookup.libraryLookup("libunicorn.so.2", Arena.global()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code libunicorn.so.2} could be loaded. */
  static boolean available() {
    return LIBRARY.isPresent();
  }

  /** A fresh AArch64 engine. */
  static Unicorn openArm64() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment handle = arena.allocate(ADDRESS);
      check((int) Calls.OPEN.invokeExact(UC_ARCH_ARM64, UC_MODE_ARM, handle), "uc_open(UC_ARCH_ARM64)");
      return new Unicorn(handle.get(ADDRESS, 0));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new EmulatorException("uc_open failed", t);
    }
  }

  /**
   * Maps host memory {@code [address, address + size)} at the same emulator address, with the
   * guest's permissions {@code perms} ({@code UC_PROT_*} bits). Allocates nothing unless it fails,
   * so that nothing can throw once Unicorn mapped a window {@link GuestWindows} recorded: the host
   * pointer goes as the 64-bit integer it is (the C ABIs pass a {@code void*} so), not as a segment
   * made for the call, and the failure's message is made only on failure.
   */
  void mapIdentity(long address, long size, int perms) {
    int error;
    try {
      error = (int) Calls.MEM_MAP_PTR.invokeExact(engine, address, size, perms, address);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new EmulatorException("uc_mem_map_ptr failed", t);
    }
    if (error != 0) {
      throw failed(error, "uc_mem_map_ptr(" + size + " bytes, perms " + perms + ")");
    }
  }

  /**
   * Register accesses allocate nothing unless they fail (the failure's message is made only then):
   * a host call makes several, and each was a string before (issue 35).
   */
  void writeRegister(int register, long value) {
    scratch.set(JAVA_LONG, 0, value);
    int error;
    try {
      error = (int) Calls.REG_WRITE.invokeExact(engine, register, scratch);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new EmulatorException("uc_reg_write failed", t);
    }
    if (error != 0) {
      throw failed(error, "uc_reg_write(" + register + ")");
    }
  }

  /** As {@link #writeRegister}, allocates nothing unless it fails. */
  long readRegister(int register) {
    scratch.set(JAVA_LONG, 0, 0L);
    int error;
    try {
      error = (int) Calls.REG_READ.invokeExact(engine, register, scratch);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new EmulatorException("uc_reg_read failed", t);
    }
    if (error != 0) {
      throw failed(error, "uc_reg_read(" + register + ")");
    }
    return scratch.get(JAVA_LONG, 0);
  }

  /** Adds a hook of {@code type} for addresses {@code [begin, end]} (begin > end: everywhere). */
  void addHook(int type, MemorySegment callback, long begin, long end) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment handle = arena.allocate(JAVA_LONG);
      check((int) Calls.HOOK_ADD.invokeExact(engine, handle, type, callback, MemorySegment.NULL, begin, end),
          "uc_hook_add(type " + type + ")");
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new EmulatorException("uc_hook_add failed", t);
    }
  }

  /**
   * Emulates from {@code begin} until the pc reaches {@code until}, without time or instruction
   * limits.
   *
   * @return the {@code uc_err} (0 = stopped at {@code until} or by {@link #stop()})
   */
  int start(long begin, long until) {
    try {
      return (int) Calls.EMU_START.invokeExact(engine, begin, until, 0L, 0L);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new EmulatorException("uc_emu_start failed", t);
    }
  }

  /** Asks a running emulation to stop once the current instruction (or hook) finishes. */
  void stop() {
    try {
      check((int) Calls.EMU_STOP.invokeExact(engine), "uc_emu_stop");
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new EmulatorException("uc_emu_stop failed", t);
    }
  }

  /** Drops translated blocks of {@code [begin, end)}: the host rewrote the code there. */
  void removeCache(long begin, long end) {
    try {
      check((int) Calls.CTL.invokeExact(engine, CTL_REMOVE_CACHE, begin, end),
          "uc_ctl(UC_CTL_TB_REMOVE_CACHE, 0x" + Long.toHexString(begin) + ", 0x" + Long.toHexString(end) + ")");
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new EmulatorException("uc_ctl failed", t);
    }
  }

  /** Unicorn's text for error code {@code error}. */
  static String errorText(int error) {
    try {
      MemorySegment text = (MemorySegment) Calls.STRERROR.invokeExact(error);
      return text.reinterpret(Integer.MAX_VALUE).getString(0);
    } catch (Throwable t) {
      return "uc_err " + error;
    }
  }

  private static void check(int error, String what) {
    if (error != 0) {
      throw failed(error, what);
    }
  }

  private static EmulatorException failed(int error, String what) {
    return new EmulatorException(what + " failed: " + errorText(error) + " (uc_err " + error + ")");
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (!engineClosed) {
      try {
        int ignored = (int) Calls.CLOSE.invokeExact(engine);
      } catch (RuntimeException | Error e) {
        throw e; // an overflow before uc_close ran: the next close calls it (issue 35)
      } catch (Throwable t) {
        // Nothing to recover: the engine is gone either way.
      }
      engineClosed = true;
    }
    SharedArenaClose.closeIfOpen(scratchArena, "closing an emulator engine");
    closed = true; // marked once everything ran: a close a throwable interrupted is finished by the next
  }

  /** The bound functions, in a holder so a host without the library can still load this class. */
  private static final class Calls {
    static final MethodHandle OPEN = bind("uc_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    static final MethodHandle CLOSE = bind("uc_close", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle MEM_MAP_PTR = bind("uc_mem_map_ptr",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG));
    static final MethodHandle REG_WRITE = bind("uc_reg_write", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    static final MethodHandle REG_READ = bind("uc_reg_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    static final MethodHandle HOOK_ADD = bind("uc_hook_add",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG),
        Linker.Option.firstVariadicArg(7));
    static final MethodHandle EMU_START = bind("uc_emu_start",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    static final MethodHandle EMU_STOP = bind("uc_emu_stop", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle CTL = bind("uc_ctl", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG),
        Linker.Option.firstVariadicArg(2));
    static final MethodHandle STRERROR = bind("uc_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... options) {
      SymbolLookup library = LIBRARY.orElseThrow(() -> new EmulatorException(NOT_INSTALLED));
      return LINKER.downcallHandle(library.find(name).orElseThrow(() ->
          new EmulatorException("libunicorn.so.2 has no " + name)), descriptor, options);
    }
  }
}
