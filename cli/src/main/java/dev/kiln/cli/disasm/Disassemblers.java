package dev.kiln.cli.disasm;

import dev.kiln.disasm.CapstoneDisassembler;
import dev.kiln.disasm.Disassembler;
import dev.kiln.disasm.DisassemblerUnavailableException;
import dev.kiln.disasm.Isa;

/**
 * Which Capstone disassembles for {@code kiln objdump}: the native Capstone 4 of {@link
 * CapstoneDisassembler} where it decodes the ISA (Debian's {@code libcapstone4} both, the copy bundled
 * from Maven Central AArch64 only), else Capstone 5.0 as WebAssembly on Kiln ({@link
 * WasmCapstoneDisassembler}). {@code -Dkiln.capstone=wasm} (or {@code KILN_CAPSTONE=wasm}) takes the
 * WebAssembly one for every ISA, what a machine without {@code libcapstone4} gets for x86-64, so tests
 * can prove that path anywhere.
 */
public final class Disassemblers {
  private Disassemblers() {}

  /**
   * A disassembler for {@code isa}.
   *
   * @throws DisassemblerUnavailableException with a one-line reason if no Capstone can decode it here
   */
  public static Disassembler open(Isa isa) {
    if (!"wasm".equals(CapstoneDisassembler.selection()) && CapstoneDisassembler.isAvailable(isa)) {
      return CapstoneDisassembler.open(isa);
    }
    return WasmCapstoneDisassembler.open(isa);
  }
}
