package dev.kiln.codegen.disasm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@link Disassembler} over Capstone 4, bound with the FFM API. The library is a system Capstone 4 where
 * there is one ({@code libcapstone.so.4}: Debian's {@code libcapstone4}), else the one Maven Central's
 * {@code com.github.zhkl0228:capstone} bundles ({@link BundledCapstone}), which decodes ARM code only.
 *
 * <p>The C API used (capstone.h of Capstone 4.0): {@code cs_version}, {@code cs_support(arch)}, {@code cs_open(arch, mode,
 * &handle)}, {@code cs_option(handle, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT)} for x86, {@code
 * cs_disasm(handle, code, size, address, 0, &insns)}, {@code cs_free(insns, count)}, {@code
 * cs_close(&handle)}. {@code csh} is a {@code size_t}. The {@code cs_insn} layout differs between major
 * versions (Capstone 5 widened {@code bytes} to 24), so the library's major version is checked first and
 * anything but 4 is reported as unavailable rather than misread.
 */
public final class CapstoneDisassembler implements Disassembler {

  // capstone.h, enum cs_arch / cs_mode / cs_opt_type / cs_opt_value (Capstone 4.0).
  private static final int CS_ARCH_ARM64 = 1;
  private static final int CS_ARCH_X86 = 3;
  private static final int CS_MODE_LITTLE_ENDIAN = 0;
  private static final int CS_MODE_64 = 1 << 3;
  private static final int CS_OPT_SYNTAX = 1;
  private static final int CS_OPT_SYNTAX_ATT = 2;
  private static final int SUPPORTED_MAJOR = 4;
  private static final String SYSTEM_LIBRARY = "libcapstone.so.4";
  /** {@code -Dkiln.capstone=bundled} skips the system library: what a machine without one sees. */
  static final String PROPERTY = "kiln.capstone";
  /** The same switch from the environment, which also reaches forked test JVMs and child processes. */
  static final String ENVIRONMENT = "KILN_CAPSTONE";

  private static final CsInsnLayout CS_INSN = CsInsnLayout.CAPSTONE_4_LP64;

  /**
   * The bound library functions, which library they came from, and which ISAs it decodes; loaded once,
   * or the reason they could not be.
   */
  private record Native(MethodHandle open, MethodHandle option, MethodHandle disasm, MethodHandle free,
      MethodHandle close, MethodHandle strerror, String source, Set<Isa> isas) {}

  private static final class Holder {
    static final Native NATIVE;
    static final RuntimeException FAILURE;

    static {
      Native loaded = null;
      RuntimeException failure = null;
      try {
        loaded = load();
      } catch (RuntimeException | LinkageError e) {
        failure = e instanceof DisassemblerUnavailableException d ? d
            : new DisassemblerUnavailableException("cannot load Capstone 4: " + e, e);
      }
      NATIVE = loaded;
      FAILURE = failure;
    }
  }

  private final Isa isa;
  private final Native lib;
  private final long handle;
  private boolean closed;

  private CapstoneDisassembler(Isa isa, Native lib, long handle) {
    this.isa = isa;
    this.lib = lib;
    this.handle = handle;
  }

  /**
   * Which Capstone this process was asked for: {@code -Dkiln.capstone}, else the environment's {@code
   * KILN_CAPSTONE}, else null (the default: the system library where there is one). {@code bundled}
   * and {@code wasm} both skip the system library here; {@code wasm} also tells {@code kiln objdump}
   * to use Capstone as WebAssembly for every ISA.
   */
  public static String selection() {
    return System.getProperty(PROPERTY, System.getenv(ENVIRONMENT));
  }

  /** True if Capstone can decode {@code isa} on this machine. */
  public static boolean isAvailable(Isa isa) {
    return unavailableReason(isa) == null;
  }

  /** Why Capstone cannot decode {@code isa} on this machine, or null if it can. */
  public static String unavailableReason(Isa isa) {
    if (Holder.FAILURE != null) {
      return Holder.FAILURE.getMessage();
    }
    if (!Holder.NATIVE.isas().contains(isa)) {
      return "the Capstone in use (" + Holder.NATIVE.source() + ") cannot decode " + isa
          + "; install Capstone 4 (Debian/Ubuntu: apt-get install libcapstone4)";
    }
    return null;
  }

  /**
   * Opens a Capstone handle for {@code isa}: 64-bit mode with AT&amp;T syntax for x86-64, little-endian
   * ARM64 for AArch64.
   *
   * @throws DisassemblerUnavailableException if Capstone cannot decode {@code isa} here
   */
  public static CapstoneDisassembler open(Isa isa) {
    Objects.requireNonNull(isa, "isa");
    String reason = unavailableReason(isa);
    if (reason != null) {
      throw new DisassemblerUnavailableException(reason, Holder.FAILURE);
    }
    Native lib = Holder.NATIVE;
    try (Arena local = Arena.ofConfined()) {
      MemorySegment handleOut = local.allocate(ValueLayout.JAVA_LONG);
      int arch = isa == Isa.X86_64 ? CS_ARCH_X86 : CS_ARCH_ARM64;
      int mode = isa == Isa.X86_64 ? CS_MODE_64 : CS_MODE_LITTLE_ENDIAN;
      check(lib, (int) lib.open().invokeExact(arch, mode, handleOut), "cs_open");
      long handle = handleOut.get(ValueLayout.JAVA_LONG, 0);
      if (isa == Isa.X86_64) {
        check(lib, (int) lib.option().invokeExact(handle, CS_OPT_SYNTAX, (long) CS_OPT_SYNTAX_ATT),
            "cs_option(CS_OPT_SYNTAX, ATT)");
      }
      return new CapstoneDisassembler(isa, lib, handle);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("Capstone call failed", t);
    }
  }

  @Override
  public Isa isa() {
    return isa;
  }

  @Override
  public synchronized List<DisassembledInstruction> disassemble(byte[] code, long address) {
    if (closed) {
      throw new IllegalStateException("disassembler is closed");
    }
    List<DisassembledInstruction> result = new ArrayList<>();
    if (code.length == 0) {
      return result;
    }
    try (Arena local = Arena.ofConfined()) {
      MemorySegment input = local.allocate(code.length);
      MemorySegment.copy(code, 0, input, ValueLayout.JAVA_BYTE, 0, code.length);
      MemorySegment insnsOut = local.allocate(ValueLayout.ADDRESS);
      long count = (long) lib.disasm().invokeExact(handle, input, (long) code.length, address, 0L,
          insnsOut);
      if (count == 0) {
        return result;
      }
      long stride = CS_INSN.struct().byteSize();
      MemorySegment insns = insnsOut.get(ValueLayout.ADDRESS, 0).reinterpret(count * stride);
      try {
        for (long i = 0; i < count; i++) {
          MemorySegment insn = insns.asSlice(i * stride, stride);
          int size = Short.toUnsignedInt(insn.get(ValueLayout.JAVA_SHORT, CS_INSN.size()));
          byte[] bytes = insn.asSlice(CS_INSN.bytes(), size).toArray(ValueLayout.JAVA_BYTE);
          result.add(new DisassembledInstruction(
              insn.get(ValueLayout.JAVA_LONG, CS_INSN.address()),
              bytes,
              insn.getString(CS_INSN.mnemonic()),
              insn.getString(CS_INSN.opStr())));
        }
      } finally {
        lib.free().invokeExact(insns, count);
      }
      return result;
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("cs_disasm failed", t);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try (Arena local = Arena.ofConfined()) {
      MemorySegment handleIn = local.allocate(ValueLayout.JAVA_LONG);
      handleIn.set(ValueLayout.JAVA_LONG, 0, handle);
      check(lib, (int) lib.close().invokeExact(handleIn), "cs_close");
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("cs_close failed", t);
    }
  }

  private static void check(Native lib, int err, String what) throws Throwable {
    if (err != 0) {
      MemorySegment message = ((MemorySegment) lib.strerror().invokeExact(err)).reinterpret(256);
      throw new IllegalStateException(what + " failed: " + message.getString(0) + " (cs_err " + err + ")");
    }
  }

  private static Native load() {
    String source;
    SymbolLookup lookup;
    Path bundled;
    try {
      String selection = selection();
      if ("bundled".equals(selection) || "wasm".equals(selection)) {
        throw new IllegalArgumentException("system library skipped by " + PROPERTY + "=" + selection);
      }
      lookup = SymbolLookup.libraryLookup(SYSTEM_LIBRARY, Arena.global());
      source = "system " + SYSTEM_LIBRARY;
    } catch (IllegalArgumentException noSystemLibrary) {
      bundled = BundledCapstone.extract();
      if (bundled == null) {
        throw new DisassemblerUnavailableException("no Capstone 4: " + SYSTEM_LIBRARY + " is not installed"
            + " and com.github.zhkl0228:capstone has no library for this platform");
      }
      lookup = SymbolLookup.libraryLookup(bundled, Arena.global());
      source = "the copy bundled with com.github.zhkl0228:capstone";
    }
    Linker linker = Linker.nativeLinker();
    MethodHandle version = linker.downcallHandle(find(lookup, "cs_version"),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    try (Arena local = Arena.ofConfined()) {
      MemorySegment major = local.allocate(ValueLayout.JAVA_INT);
      MemorySegment minor = local.allocate(ValueLayout.JAVA_INT);
      // Returns (major << 8) + minor and fills both out-parameters; the out-parameters are read.
      int combined = (int) version.invokeExact(major, minor);
      assert combined >> 8 == major.get(ValueLayout.JAVA_INT, 0);
      int majorVersion = major.get(ValueLayout.JAVA_INT, 0);
      if (majorVersion != SUPPORTED_MAJOR) {
        throw new DisassemblerUnavailableException("Capstone " + majorVersion + "."
            + minor.get(ValueLayout.JAVA_INT, 0) + " found; Kiln's binding reads Capstone "
            + SUPPORTED_MAJOR + "'s cs_insn layout");
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new DisassemblerUnavailableException("cs_version failed", t);
    }
    // cs_support(arch): whether the library was built with that architecture (the bundled one has the
    // ARM ones only).
    MethodHandle support = linker.downcallHandle(find(lookup, "cs_support"),
        FunctionDescriptor.of(ValueLayout.JAVA_BOOLEAN, ValueLayout.JAVA_INT));
    Set<Isa> isas = EnumSet.noneOf(Isa.class);
    try {
      if ((boolean) support.invokeExact(CS_ARCH_X86)) {
        isas.add(Isa.X86_64);
      }
      if ((boolean) support.invokeExact(CS_ARCH_ARM64)) {
        isas.add(Isa.AARCH64);
      }
    } catch (Throwable t) {
      throw new DisassemblerUnavailableException("cs_support failed", t);
    }
    return new Native(
        linker.downcallHandle(find(lookup, "cs_open"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS)),
        linker.downcallHandle(find(lookup, "cs_option"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG)),
        linker.downcallHandle(find(lookup, "cs_disasm"), FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.ADDRESS)),
        linker.downcallHandle(find(lookup, "cs_free"), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS,
            ValueLayout.JAVA_LONG)),
        linker.downcallHandle(find(lookup, "cs_close"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS)),
        linker.downcallHandle(find(lookup, "cs_strerror"), FunctionDescriptor.of(ValueLayout.ADDRESS,
            ValueLayout.JAVA_INT)),
        source, Set.copyOf(isas));
  }

  private static MemorySegment find(SymbolLookup lookup, String name) {
    return lookup.find(name).orElseThrow(
        () -> new DisassemblerUnavailableException("Capstone has no symbol " + name));
  }
}
