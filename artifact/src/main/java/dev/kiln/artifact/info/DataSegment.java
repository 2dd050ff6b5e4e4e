package dev.kiln.artifact.info;

import java.util.Objects;
import java.util.Optional;

/**
 * A data segment. Its bytes are not here but at {@code [dataOffset, dataOffset + length)} of
 * {@code .kiln.data}, so the loader copies them straight from the mapped file.
 *
 * @param memoryIndex the target memory (active segments; 0 otherwise)
 * @param offset where in memory the bytes go (active segments only)
 */
public record DataSegment(SegmentMode mode, int memoryIndex, Optional<ConstExpr> offset, long dataOffset, long length) {
  public DataSegment {
    Objects.requireNonNull(mode);
    Objects.requireNonNull(offset);
    if (mode == SegmentMode.DECLARATIVE) {
      throw new IllegalArgumentException("data segments are active or passive");
    }
    if (offset.isPresent() != (mode == SegmentMode.ACTIVE)) {
      throw new IllegalArgumentException("an offset expression belongs to active segments only");
    }
    if (dataOffset < 0 || dataOffset > 0xFFFF_FFFFL || length < 0 || length > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("data range [" + dataOffset + ", +" + length + ") does not fit u32");
    }
  }

  public static DataSegment active(int memoryIndex, ConstExpr offset, long dataOffset, long length) {
    return new DataSegment(SegmentMode.ACTIVE, memoryIndex, Optional.of(offset), dataOffset, length);
  }

  public static DataSegment passive(long dataOffset, long length) {
    return new DataSegment(SegmentMode.PASSIVE, 0, Optional.empty(), dataOffset, length);
  }
}
