package dev.kiln.artifact.tables;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.internal.ByteSink;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code .kiln.inline} ({@link InlineMap}): inline sites, then (text offset, innermost site)
 * pairs in increasing text-offset order. A pair whose site equals the previous pair's is dropped,
 * as the address map drops repeats; a map without sites is the empty table and one empty column.
 */
public final class InlineMapBuilder {
  private record Site(FuncKey callee, int callWasmOffset, int parent) {}

  private final List<Site> sites = new ArrayList<>();
  private final OffsetPairs entries = new OffsetPairs();
  private int lastTextOffset = -1;
  /** Each site field's width so far: as wide as its largest value needs (1-4 bytes). */
  private int calleeWidth = 1;
  private int callWidth = 1;
  private int parentWidth = 1;

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
    if (callee.kind() != dev.kiln.artifact.FuncKeyKind.DEFINED_WASM_FUNCTION
        || !sites.isEmpty() && sites.getFirst().callee().namespace() != callee.namespace()) {
      // The table stores the callees' namespace once (docs/cwasm-format.md section 6a).
      throw new IllegalArgumentException("inline site callee " + callee + " is not a defined function of the"
          + " first site's module");
    }
    sites.add(new Site(callee, callWasmOffset, parent));
    calleeWidth = Math.max(calleeWidth, width(callee.index()));
    callWidth = Math.max(callWidth, width(callWasmOffset));
    parentWidth = Math.max(parentWidth, width(parent + 1));
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
    if (entries.size() > 0 ? entries.lastValue() == site : site == InlineMap.NONE) {
      return this;
    }
    entries.add(textOffset, site);
    return this;
  }

  /** The encoded section, its column's blocks restarting at each of {@code functionStarts}. */
  public byte[] build(int[] functionStarts) {
    byte[] column = new ColumnEncoder(functionStarts).encodeAll(entries);
    // Each field as wide as its largest value needs, the same for every site, so a site is still
    // found by its index.
    int siteBytes = calleeWidth + callWidth + parentWidth;
    ByteSink out = new ByteSink(InlineMap.HEADER_BYTES + siteBytes * sites.size() + column.length);
    out.u32(sites.size()).u8(calleeWidth).u8(callWidth).u8(parentWidth).u8(0);
    out.u32(sites.isEmpty() ? FuncKey.definedWasmFunction(0, 0).namespace() : sites.getFirst().callee().namespace());
    CompileDeadline.forEach(Phase.ASSEMBLY, sites.size(), i -> {
      Site site = sites.get(i);
      put(out, site.callee().index(), calleeWidth);
      put(out, site.callWasmOffset(), callWidth);
      put(out, site.parent() + 1, parentWidth); // NONE becomes 0
    });
    return out.bytes(column).toByteArray();
  }

  /** The column's encoding state from one entry to the next. */
  private static final class ColumnEncoder extends OffsetPairs.Encoder {
    private int s;

    ColumnEncoder(int[] functionStarts) {
      super(functionStarts);
    }

    @Override
    void encode(int textOffset, int site) {
      int next = site + 1; // NONE becomes 0
      int distance = blocks.entry(textOffset);
      if (distance < 0) {
        data.varint(next);
      } else {
        data.varint(distance).zigzag(next - s);
      }
      s = next;
    }
  }

  /** The bytes the unsigned {@code value} needs, 1-4. */
  private static int width(int value) {
    return Math.max(1, (32 - Integer.numberOfLeadingZeros(value) + 7) / 8);
  }

  private static void put(ByteSink out, int value, int width) {
    for (int i = 0; i < width; i++) {
      out.u8(value >>> (8 * i));
    }
  }
}
