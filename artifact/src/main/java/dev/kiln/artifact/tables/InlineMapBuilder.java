package dev.kiln.artifact.tables;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.internal.ByteSink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes {@code .kiln.inline} ({@link InlineMap}): inline sites, then (text offset, innermost site)
 * pairs in increasing text-offset order. A pair whose site equals the previous pair's is dropped,
 * as the address map drops repeats; a map without sites is the empty table and one empty column.
 */
public final class InlineMapBuilder {
  private record Site(FuncKey callee, int callWasmOffset, int parent) {}

  private final List<Site> sites = new ArrayList<>();
  private int[] textOffsets = new int[32];
  private int[] siteAt = new int[32];
  private int size;
  private int lastTextOffset = -1;

  /** An empty builder. */
  public InlineMapBuilder() {}

  /**
   * Declares a site: {@code callee} inlined at the call at {@code callWasmOffset} of {@code
   * parent}'s callee ({@link InlineMap#NONE}: of the function itself); returns its index.
   */
  public int site(FuncKey callee, int callWasmOffset, int parent) {
    if (parent != InlineMap.NONE && (parent < 0 || parent >= sites.size())) {
      throw new IllegalArgumentException("parent site " + parent + " is not declared yet");
    }
    sites.add(new Site(callee, callWasmOffset, parent));
    return sites.size() - 1;
  }

  /** Code from {@code textOffset} on is that of {@code site} ({@link InlineMap#NONE}: not inlined). */
  public InlineMapBuilder add(int textOffset, int site) {
    if (textOffset <= lastTextOffset || textOffset < 0) {
      throw new IllegalArgumentException("text offsets must be strictly increasing: 0x"
          + Integer.toHexString(textOffset) + " after 0x" + Integer.toHexString(lastTextOffset));
    }
    if (site != InlineMap.NONE && (site < 0 || site >= sites.size())) {
      throw new IllegalArgumentException("no inline site " + site);
    }
    lastTextOffset = textOffset;
    if (size > 0 ? siteAt[size - 1] == site : site == InlineMap.NONE) {
      return this;
    }
    if (size == siteAt.length) {
      siteAt = Arrays.copyOf(siteAt, size * 2);
      textOffsets = Arrays.copyOf(textOffsets, size * 2);
    }
    textOffsets[size] = textOffset;
    siteAt[size++] = site;
    return this;
  }

  /** The encoded section, its column's blocks restarting at each of {@code functionStarts}. */
  public byte[] build(int[] functionStarts) {
    TextBlocks.Writer blocks = new TextBlocks.Writer(functionStarts);
    ByteSink data = blocks.data();
    int s = 0;
    for (int i = 0; i < size; i++) {
      int next = siteAt[i] + 1; // NONE becomes 0
      int distance = blocks.entry(textOffsets[i]);
      if (distance < 0) {
        data.varint(next);
      } else {
        data.varint(distance).zigzag(next - s);
      }
      s = next;
    }
    byte[] column = blocks.build();
    ByteSink out = new ByteSink(4 + InlineMap.SITE_BYTES * sites.size() + column.length);
    out.u32(sites.size());
    for (Site site : sites) {
      out.u32(site.callee().namespace()).u32(site.callee().index()).u32(site.callWasmOffset()).u32(site.parent());
    }
    return out.bytes(column).toByteArray();
  }
}
