package dev.kiln.disasm;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What Kiln's two Capstone bindings share, the native one ({@link CapstoneDisassembler}) and the one
 * over Capstone compiled to WebAssembly ({@code kiln objdump}'s): the arguments {@code cs_open} and
 * {@code cs_option} get for an ISA, and one handle's discipline (one decode at a time, none after
 * close, closed once). Each binding says only how it reaches {@code cs_disasm} and {@code cs_close}.
 */
public abstract class CapstoneSession implements Disassembler {
  // capstone.h, enum cs_arch / cs_mode / cs_opt_type / cs_opt_value: the same values in Capstone 4.0
  // and 5.0.
  private static final int CS_ARCH_ARM64 = 1;
  private static final int CS_ARCH_X86 = 3;
  private static final int CS_MODE_LITTLE_ENDIAN = 0;
  private static final int CS_MODE_64 = 1 << 3;
  /** {@code cs_option}'s type {@code CS_OPT_SYNTAX}. */
  protected static final int CS_OPT_SYNTAX = 1;
  /** {@code CS_OPT_SYNTAX}'s value {@code CS_OPT_SYNTAX_ATT}: x86-64 is printed in AT&amp;T syntax, as Kiln's own printer does. */
  protected static final int CS_OPT_SYNTAX_ATT = 2;

  private final Isa isa;
  private boolean closed;

  protected CapstoneSession(Isa isa) {
    this.isa = Objects.requireNonNull(isa, "isa");
  }

  /** {@code cs_open}'s {@code arch} for {@code isa}. */
  protected static int arch(Isa isa) {
    return isa == Isa.X86_64 ? CS_ARCH_X86 : CS_ARCH_ARM64;
  }

  /** {@code cs_open}'s {@code mode} for {@code isa}: 64-bit x86, little-endian ARM64. */
  protected static int mode(Isa isa) {
    return isa == Isa.X86_64 ? CS_MODE_64 : CS_MODE_LITTLE_ENDIAN;
  }

  /** Whether a handle for {@code isa} gets {@code cs_option(CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT)}. */
  protected static boolean attSyntax(Isa isa) {
    return isa == Isa.X86_64;
  }

  @Override
  public final Isa isa() {
    return isa;
  }

  @Override
  public final synchronized List<DisassembledInstruction> disassemble(byte[] code, long address) {
    if (closed) {
      throw new IllegalStateException("disassembler is closed");
    }
    List<DisassembledInstruction> result = new ArrayList<>();
    if (code.length > 0) {
      decode(code, address, result);
    }
    return result;
  }

  /**
   * Appends to {@code into} the instructions {@code code} (not empty) decodes to at {@code address},
   * up to the first bytes that are not one, as {@code cs_disasm} does.
   */
  protected abstract void decode(byte[] code, long address, List<DisassembledInstruction> into);

  @Override
  public final synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    release();
  }

  /** Closes the handle ({@code cs_close}) and whatever else the binding holds for it; called once. */
  protected abstract void release();
}
