package dev.kiln.artifact.info;

import java.util.Objects;
import java.util.Optional;

/**
 * An element segment (WebAssembly 2.0 section 2.5.7).
 *
 * @param tableIndex the target table (active segments; 0 otherwise)
 * @param offset where in the table the items go (active segments only)
 * @param elementType the reference type of the items
 */
public record ElementSegment(SegmentMode mode, int tableIndex, Optional<ConstExpr> offset, ValType elementType,
    ElementItems items) {
  public ElementSegment {
    Objects.requireNonNull(mode);
    Objects.requireNonNull(offset);
    Objects.requireNonNull(items);
    if (!elementType.isReference()) {
      throw new IllegalArgumentException("element type must be a reference type, got " + elementType);
    }
    if (offset.isPresent() != (mode == SegmentMode.ACTIVE)) {
      throw new IllegalArgumentException("an offset expression belongs to active segments only");
    }
  }
}
