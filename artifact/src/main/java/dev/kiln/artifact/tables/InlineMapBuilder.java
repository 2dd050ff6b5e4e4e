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
  private final OffsetColumn.Builder offsets = new OffsetColumn.Builder();
  private int[] siteAt = new int[32];
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
    if (textOffset <= lastTextOffset) {
      throw new IllegalArgumentException("text offsets must be strictly increasing: 0x"
          + Integer.toHexString(textOffset) + " after 0x" + Integer.toHexString(lastTextOffset));
    }
    if (site != InlineMap.NONE && (site < 0 || site >= sites.size())) {
      throw new IllegalArgumentException("no inline site " + site);
    }
    lastTextOffset = textOffset;
    int n = offsets.size();
    if (n > 0 ? siteAt[n - 1] == site : site == InlineMap.NONE) {
      return this;
    }
    offsets.add(textOffset);
    if (n == siteAt.length) {
      siteAt = Arrays.copyOf(siteAt, n * 2);
    }
    siteAt[n] = site;
    return this;
  }

  /** The encoded section. */
  public byte[] build() {
    ByteSink out = new ByteSink();
    out.u32(sites.size());
    for (Site s : sites) {
      out.u32(s.callee().namespace()).u32(s.callee().index()).u32(s.callWasmOffset()).u32(s.parent());
    }
    offsets.writeHeaderAndOffsets(out);
    for (int i = 0; i < offsets.size(); i++) {
      out.u32(siteAt[i]);
    }
    return out.toByteArray();
  }
}
