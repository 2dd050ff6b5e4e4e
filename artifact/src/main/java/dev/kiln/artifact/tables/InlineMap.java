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
 * u32 call wasm offset, u32 parent site}; then a {@link TextBlocks} table whose payload is {@code s
 * = innermost site + 1} of the code from that offset on (0: the function's own code), as {@code
 * varint s} for a block's first entry and {@code varint distance, zigzag varint change of s} for
 * the others. Site {@code s} was inlined at the call at its wasm offset, which lies in its parent's
 * callee, or ({@link #NONE}) in the function the code belongs to. A parent always precedes its
 * child, so every walk up the parents ends; {@link #open} checks that and every callee, and a
 * site decoded from the column is checked to exist.
 */
public final class InlineMap {
  /** No site: the function's own code, or the end of a walk up the parents (u32 all ones). */
  public static final int NONE = -1;

  static final String SECTION = ".kiln.inline";
  static final int SITE_BYTES = 16;

  private final MemorySegment section;
  private final int siteCount;
  private final TextBlocks column;

  private InlineMap(MemorySegment section, int siteCount, TextBlocks column) {
    this.section = section;
    this.siteCount = siteCount;
    this.column = column;
  }

  /**
   * Opens and validates the inline map in {@code section} for a {@code .text} of {@code textSize}
   * bytes: the site table whole, the column's block index; each block is validated when decoded.
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
    TextBlocks column = TextBlocks.open(in, SECTION, tableEnd, textSize);
    return new InlineMap(section, (int) sites, column);
  }

  /** The innermost inline site of the code at {@code textOffset}, or {@link #NONE}. */
  public int siteAt(int textOffset) {
    int block = column.floor(textOffset);
    if (block < 0) {
      return NONE;
    }
    TextBlocks.Walk walk = column.walk(block);
    int s = first(walk);
    while (walk.hasNext()) {
      int next = step(walk, s);
      if (walk.textOffset() > textOffset) {
        break;
      }
      s = next;
    }
    return s - 1;
  }

  /** Every column entry in text order, (text offset, innermost site or {@link #NONE}). */
  public void forEach(TextEntryConsumer consumer) {
    for (int b = 0; b < column.count(); b++) {
      TextBlocks.Walk walk = column.walk(b);
      int s = first(walk);
      consumer.accept(walk.textOffset(), s - 1);
      while (walk.hasNext()) {
        s = step(walk, s);
        consumer.accept(walk.textOffset(), s - 1);
      }
    }
  }

  private int first(TextBlocks.Walk walk) {
    return checked(walk, walk.in.position(), walk.in.varint32("inline site"));
  }

  private int step(TextBlocks.Walk walk, int s) {
    long at = walk.in.position();
    long distance = Integer.toUnsignedLong(walk.in.varint32("text distance"));
    long siteAt = walk.in.position();
    int next = s + walk.in.zigzag32("inline site change");
    walk.next(distance, at);
    return checked(walk, siteAt, next);
  }

  /** {@code s} (a site + 1) if it names no site or an existing one. */
  private int checked(TextBlocks.Walk walk, long at, int s) {
    if (Integer.toUnsignedLong(s) > siteCount) {
      throw walk.in.corruptAt(at, "entry names inline site " + Integer.toUnsignedString(s - 1) + " of " + siteCount);
    }
    return s;
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
