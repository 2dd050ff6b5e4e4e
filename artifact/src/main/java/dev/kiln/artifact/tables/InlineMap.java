package dev.kiln.artifact.tables;

import static dev.kiln.artifact.internal.SectionReader.U32;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.FuncKeyKind;
import dev.kiln.artifact.internal.SectionReader;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * {@code .kiln.inline} read in place: which inlined call the code at a text offset was copied
 * from, so a backtrace through inlined code lists every wasm function. Layout: {@code u32
 * siteCount}, then per site {@code u32 callee namespace, u32 callee index} (its FuncKey), {@code
 * u32 call wasm offset, u32 parent site}; then an offset column ({@link OffsetColumn}) whose
 * payload is the innermost site of the code from that offset on, or {@link #NONE} for a function's
 * own code. Site {@code s} was inlined at the call at its wasm offset, which lies in its parent's
 * callee, or ({@link #NONE}) in the function the code belongs to. A parent always precedes its
 * child, so every walk up the parents ends; {@link #open} checks that and every site reference.
 */
public final class InlineMap {
  /** No site: the function's own code, or the end of a walk up the parents (u32 all ones). */
  public static final int NONE = -1;

  static final String SECTION = ".kiln.inline";
  static final int SITE_BYTES = 16;

  private final MemorySegment section;
  private final int siteCount;
  private final MemorySegment columnSegment;
  private final OffsetColumn column;

  private InlineMap(MemorySegment section, int siteCount, MemorySegment columnSegment, OffsetColumn column) {
    this.section = section;
    this.siteCount = siteCount;
    this.columnSegment = columnSegment;
    this.column = column;
  }

  /**
   * Opens and validates the inline map in {@code section} for a {@code .text} of {@code textSize}
   * bytes.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException naming the first violation
   */
  public static InlineMap open(MemorySegment section, long textSize) {
    SectionReader in = new SectionReader(section, SECTION);
    long sites = Integer.toUnsignedLong(in.u32(0, "site count"));
    long tableEnd = 4 + sites * SITE_BYTES;
    in.require(4, sites * SITE_BYTES, "inline site table");
    for (long s = 0; s < sites; s++) {
      long at = 4 + s * SITE_BYTES;
      int namespace = in.u32(at, "callee namespace");
      if (!FuncKeyKind.isValidNamespace(namespace)
          || new FuncKey(namespace, 0).kind() != FuncKeyKind.DEFINED_WASM_FUNCTION) {
        throw in.corrupt(at, "inline site " + s + " names no defined wasm function (namespace 0x"
            + Integer.toHexString(namespace) + ")");
      }
      int parent = in.u32(at + 12, "parent site");
      if (parent != NONE && Integer.toUnsignedLong(parent) >= s) {
        throw in.corrupt(at + 12, "inline site " + s + " has parent " + Integer.toUnsignedString(parent)
            + ", not an earlier site");
      }
    }
    MemorySegment columnSegment = section.asSlice(tableEnd);
    OffsetColumn column = OffsetColumn.open(new SectionReader(columnSegment, SECTION), 4, textSize);
    for (int i = 0; i < column.count(); i++) {
      int site = columnSegment.get(U32, column.payloadPosition(i, 4));
      if (site != NONE && Integer.toUnsignedLong(site) >= sites) {
        throw in.corrupt(tableEnd + column.payloadPosition(i, 4), "entry " + i + " names inline site "
            + Integer.toUnsignedString(site) + " of " + sites);
      }
    }
    return new InlineMap(section, (int) sites, columnSegment, column);
  }

  /** The innermost inline site of the code at {@code textOffset}, or {@link #NONE}. */
  public int siteAt(int textOffset) {
    int i = column.floor(textOffset);
    return i < 0 ? NONE : columnSegment.get(U32, column.payloadPosition(i, 4));
  }

  public int siteCount() {
    return siteCount;
  }

  /** The function inlined at {@code site}. */
  public FuncKey callee(int site) {
    long at = sitePosition(site);
    return new FuncKey(section.get(U32, at), section.get(U32, at + 4));
  }

  /** The wasm offset of the call {@code site} replaced, in its parent's callee (or the function's own). */
  public int callWasmOffset(int site) {
    return section.get(U32, sitePosition(site) + 8);
  }

  /** The site whose callee contained the call, or {@link #NONE}. */
  public int parent(int site) {
    return section.get(U32, sitePosition(site) + 12);
  }

  private long sitePosition(int site) {
    return 4 + (long) Objects.checkIndex(site, siteCount) * SITE_BYTES;
  }
}
