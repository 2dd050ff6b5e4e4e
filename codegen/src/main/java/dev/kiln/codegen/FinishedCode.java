package dev.kiln.codegen;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A function's code after every label use has been patched: the bytes, what the linker must still do
 * (relocations) and where traps can happen. Both lists are sorted by offset.
 *
 * @param code the machine code; a defensive copy is kept and handed out
 * @param relocs calls to other functions, sorted by offset
 * @param trapSites trapping instructions, sorted by offset
 */
public record FinishedCode(byte[] code, List<Reloc> relocs, List<TrapSite> trapSites) {
  public FinishedCode {
    code = Objects.requireNonNull(code, "code").clone();
    relocs = List.copyOf(relocs);
    trapSites = List.copyOf(trapSites);
  }

  @Override
  public byte[] code() {
    return code.clone();
  }

  /** Number of code bytes. */
  public int size() {
    return code.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FinishedCode f
        && Arrays.equals(code, f.code)
        && relocs.equals(f.relocs)
        && trapSites.equals(f.trapSites);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(code) + relocs.hashCode()) + trapSites.hashCode();
  }

  @Override
  public String toString() {
    return "FinishedCode[" + code.length + " bytes, " + relocs.size() + " relocs, " + trapSites.size()
        + " trap sites]";
  }
}
