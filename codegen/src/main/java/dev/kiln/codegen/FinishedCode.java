package dev.kiln.codegen;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A function's code after every label use has been patched: the bytes, what the linker must still do
 * (relocations) and where traps can happen. Both lists are sorted by offset.
 *
 * <p>Only {@link CodeBuffer#finish} makes one, and hands over what it built: the code array (already
 * trimmed to size) and its lists, which the finished buffer no longer writes. Not a record, whose
 * canonical constructor would copy the bytes a second time; readers still get copies or read-only
 * views, and {@link CompiledFunction} reads the bytes through {@link #bytes()} to make its own copy.
 */
public final class FinishedCode {
  private final byte[] code;
  private final List<Reloc> relocs;
  private final List<TrapSite> trapSites;

  FinishedCode(byte[] code, List<Reloc> relocs, List<TrapSite> trapSites) {
    this.code = code;
    this.relocs = Collections.unmodifiableList(relocs);
    this.trapSites = Collections.unmodifiableList(trapSites);
  }

  /** A copy of the machine code. */
  public byte[] code() {
    return code.clone();
  }

  /** The machine code itself, for {@link CompiledFunction}, which copies it. */
  byte[] bytes() {
    return code;
  }

  /** Calls to other functions, sorted by offset. */
  public List<Reloc> relocs() {
    return relocs;
  }

  /** Trapping instructions, sorted by offset. */
  public List<TrapSite> trapSites() {
    return trapSites;
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
