package dev.kiln.artifact.tables;

import static dev.kiln.artifact.internal.SectionReader.U8;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.FuncKeyKind;
import dev.kiln.artifact.internal.SectionReader;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * {@code .kiln.inline} read in place: which inlined call the code at a text offset was copied
 * from, so a backtrace through inlined code lists every wasm function. Layout: {@code u32
 * siteCount}, {@code u8} widths (1-4 bytes) of the three site fields, {@code u8 0}, {@code u32}
 * the callees' FuncKey namespace; then per site, little-endian in those widths, the callee's
 * index, the call's wasm offset and the parent site + 1 (0: none); then a {@link TextBlocks} table whose payload is {@code s
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
  /** Site count, the three widths and a zero byte, the callees' namespace. */
  static final int HEADER_BYTES = 12;

  private final MemorySegment section;
  private final int siteCount;
  private final int calleeNamespace;
  private final int calleeWidth;
  private final int callWidth;
  private final int parentWidth;
  private final TextBlocks column;

  private InlineMap(MemorySegment section, int siteCount, int calleeNamespace, int[] widths, TextBlocks column) {
    this.section = section;
    this.siteCount = siteCount;
    this.calleeNamespace = calleeNamespace;
    this.calleeWidth = widths[0];
    this.callWidth = widths[1];
    this.parentWidth = widths[2];
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
    int[] widths = new int[3];
    for (int f = 0; f < 3; f++) {
      widths[f] = in.u8(4 + f, "site field width");
      if (widths[f] < 1 || widths[f] > 4) {
        throw in.corrupt(4 + f, "site field width " + widths[f] + " is not 1-4 bytes");
      }
    }
    if (in.u8(7, "reserved byte") != 0) {
      throw in.corrupt(7, "reserved byte is not 0");
    }
    int namespace = in.u32(8, "callee namespace");
    if (!FuncKeyKind.isValidNamespace(namespace)
        || new FuncKey(namespace, 0).kind() != FuncKeyKind.DEFINED_WASM_FUNCTION) {
      throw in.corrupt(8, "callee namespace 0x" + Integer.toHexString(namespace) + " names no defined wasm functions");
    }
    long siteBytes = widths[0] + widths[1] + widths[2];
    long tableEnd = HEADER_BYTES + sites * siteBytes;
    in.require(HEADER_BYTES, sites * siteBytes, "inline site table");
    InlineMap map = new InlineMap(section, (int) sites, namespace, widths, null);
    for (int s = 0; s < sites; s++) {
      int parentPlusOne = map.field(s, widths[0] + widths[1], widths[2]);
      if (Integer.toUnsignedLong(parentPlusOne) > s) {
        throw in.corrupt(map.sitePosition(s) + widths[0] + widths[1], "inline site " + s + " has parent "
            + (parentPlusOne - 1) + ", not an earlier site");
      }
    }
    return new InlineMap(section, (int) sites, namespace, widths, TextBlocks.open(in, SECTION, tableEnd, textSize));
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
    return new FuncKey(calleeNamespace, field(site, 0, calleeWidth));
  }

  /** The wasm offset of the call {@code site} replaced, in its parent's callee (or the function's own). */
  public int callWasmOffset(int site) {
    return field(site, calleeWidth, callWidth);
  }

  /** The site whose callee contained the call, or {@link #NONE}. */
  public int parent(int site) {
    return field(site, calleeWidth + callWidth, parentWidth) - 1;
  }

  private long sitePosition(int site) {
    return HEADER_BYTES + (long) Objects.checkIndex(site, siteCount) * (calleeWidth + callWidth + parentWidth);
  }

  /** The little-endian field of {@code width} bytes at {@code offset} in {@code site}'s record. */
  private int field(int site, int offset, int width) {
    long at = sitePosition(site) + offset;
    int value = 0;
    for (int i = 0; i < width; i++) {
      value |= Byte.toUnsignedInt(section.get(U8, at + i)) << (8 * i);
    }
    return value;
  }
}
