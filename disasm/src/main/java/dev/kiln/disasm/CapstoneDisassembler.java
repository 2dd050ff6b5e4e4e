package dev.kiln.disasm;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@link Disassembler} over Capstone 4, bound through JNA ({@link CapstoneLibrary}). The library is a
 * system Capstone 4 where there is one ({@code libcapstone.so.4}: Debian's {@code libcapstone4}), else
 * the one Maven Central's {@code com.github.zhkl0228:capstone} bundles ({@link BundledCapstone}), which
 * decodes ARM code only.
 *
 * <p>The C API used (capstone.h of Capstone 4.0): {@code cs_version}, {@code cs_support(arch)}, {@code cs_open(arch, mode,
 * &handle)}, {@code cs_option(handle, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT)} for x86, {@code
 * cs_disasm(handle, code, size, address, 0, &insns)}, {@code cs_free(insns, count)}, {@code
 * cs_close(&handle)}. The {@code cs_insn} layout differs between major versions (Capstone 5 widened
 * {@code bytes} to 24), so the library's major version is checked first and anything but 4 is
 * reported as unavailable rather than misread.
 */
public final class CapstoneDisassembler extends CapstoneSession {
  private static final int SUPPORTED_MAJOR = 4;
  private static final String SYSTEM_LIBRARY = "libcapstone.so.4";
  /** {@code -Dkiln.capstone=bundled} skips the system library: what a machine without one sees. */
  static final String PROPERTY = "kiln.capstone";
  /** The same switch from the environment, which also reaches forked test JVMs and child processes. */
  static final String ENVIRONMENT = "KILN_CAPSTONE";

  private static final CsInsnLayout CS_INSN = CsInsnLayout.CAPSTONE_4_LP64;

  /**
   * The bound library, which one it is, and which ISAs it decodes; loaded once, or the reason it could
   * not be.
   */
  private record Loaded(CapstoneLibrary capstone, String source, Set<Isa> isas) {}

  private static final class Holder {
    static final Loaded NATIVE;
    static final RuntimeException FAILURE;

    static {
      Loaded loaded = null;
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

  private final Loaded lib;
  private final long handle;

  private CapstoneDisassembler(Isa isa, Loaded lib, long handle) {
    super(isa);
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
    Loaded lib = Holder.NATIVE;
    LongByReference handleOut = new LongByReference();
    check(lib, lib.capstone().cs_open(arch(isa), mode(isa), handleOut), "cs_open");
    long handle = handleOut.getValue();
    if (attSyntax(isa)) {
      check(lib, lib.capstone().cs_option(handle, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT), "cs_option(CS_OPT_SYNTAX, ATT)");
    }
    return new CapstoneDisassembler(isa, lib, handle);
  }

  @Override
  protected void decode(byte[] code, long address, List<DisassembledInstruction> into) {
    PointerByReference insnsOut = new PointerByReference();
    long count = lib.capstone().cs_disasm(handle, code, code.length, address, 0, insnsOut);
    if (count == 0) {
      return;
    }
    Pointer insns = insnsOut.getValue();
    long stride = CS_INSN.struct().byteSize();
    try {
      // The array cs_disasm allocated: count records, valid until cs_free.
      MemorySegment records = MemorySegment.ofAddress(Pointer.nativeValue(insns)).reinterpret(count * stride);
      for (long i = 0; i < count; i++) {
        into.add(CS_INSN.read(records, i * stride));
      }
    } finally {
      lib.capstone().cs_free(insns, count);
    }
  }

  @Override
  protected void release() {
    check(lib, lib.capstone().cs_close(new LongByReference(handle)), "cs_close");
  }

  private static void check(Loaded lib, int err, String what) {
    if (err != 0) {
      throw new IllegalStateException(what + " failed: " + lib.capstone().cs_strerror(err) + " (cs_err " + err + ")");
    }
  }

  private static Loaded load() {
    CapstoneLibrary capstone = null;
    String source;
    String selection = selection();
    UnsatisfiedLinkError noSystemLibrary = null;
    if (!"bundled".equals(selection) && !"wasm".equals(selection)) {
      try {
        capstone = Native.load(SYSTEM_LIBRARY, CapstoneLibrary.class);
      } catch (UnsatisfiedLinkError e) {
        noSystemLibrary = e;
      }
    }
    if (capstone != null) {
      source = "system " + SYSTEM_LIBRARY;
    } else {
      Path bundled = BundledCapstone.extract();
      if (bundled == null) {
        throw new DisassemblerUnavailableException("no Capstone 4: " + SYSTEM_LIBRARY + " is not installed"
            + " and com.github.zhkl0228:capstone has no library for this platform", noSystemLibrary);
      }
      capstone = Native.load(bundled.toString(), CapstoneLibrary.class);
      source = "the copy bundled with com.github.zhkl0228:capstone";
    }
    IntByReference major = new IntByReference();
    IntByReference minor = new IntByReference();
    // Returns (major << 8) + minor and fills both out-parameters; the out-parameters are read.
    capstone.cs_version(major, minor);
    if (major.getValue() != SUPPORTED_MAJOR) {
      throw new DisassemblerUnavailableException("Capstone " + major.getValue() + "." + minor.getValue()
          + " found (" + source + "); Kiln's binding reads Capstone " + SUPPORTED_MAJOR + "'s cs_insn layout");
    }
    // cs_support(arch): whether the library was built with that architecture (the bundled one has the
    // ARM ones only).
    Set<Isa> isas = EnumSet.noneOf(Isa.class);
    for (Isa isa : Isa.values()) {
      if (capstone.cs_support(arch(isa)) != 0) {
        isas.add(isa);
      }
    }
    return new Loaded(capstone, source, Set.copyOf(isas));
  }
}
