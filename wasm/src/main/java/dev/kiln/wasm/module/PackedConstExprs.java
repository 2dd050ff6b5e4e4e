package dev.kiln.wasm.module;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable list of constant expressions of one module's bytes, stored as two {@link PackedInts}
 * (where each starts and ends): eight bytes an item instead of a {@link ConstExpr} object and its
 * reference (28), so an element segment of expression items ({@code ref.func N} is three bytes or
 * more) holds under three bytes of Java heap per byte of input. {@link #get} makes the record.
 */
public final class PackedConstExprs extends AbstractList<ConstExpr> implements RandomAccess {
  private final byte[] source;
  private final PackedInts starts;
  private final PackedInts ends;

  private PackedConstExprs(byte[] source, PackedInts starts, PackedInts ends) {
    this.source = source;
    this.starts = starts;
    this.ends = ends;
  }

  /** {@code exprs} packed, or itself if it already is; every expression must be of one byte array. */
  public static PackedConstExprs copyOf(List<ConstExpr> exprs) {
    if (exprs instanceof PackedConstExprs packed) {
      return packed;
    }
    Builder builder = new Builder(exprs.size());
    for (ConstExpr e : exprs) {
      builder.add(e);
    }
    return builder.build();
  }

  @Override
  public ConstExpr get(int index) {
    return new ConstExpr(source, starts.getInt(index), ends.getInt(index));
  }

  @Override
  public int size() {
    return starts.size();
  }

  /** Collects the expressions of one byte array. */
  public static final class Builder {
    private byte[] source;
    private final PackedInts.Builder starts;
    private final PackedInts.Builder ends;

    /** A builder with room for {@code expected} items (a guess: a declared count may lie). */
    public Builder(int expected) {
      starts = new PackedInts.Builder(expected);
      ends = new PackedInts.Builder(expected);
    }

    /** @throws IllegalArgumentException if {@code e} is of another byte array than the ones before */
    public void add(ConstExpr e) {
      if (source == null) {
        source = e.source();
      } else if (source != e.source()) {
        throw new IllegalArgumentException("constant expressions of different modules in one list");
      }
      starts.add(e.start());
      ends.add(e.end());
    }

    public PackedConstExprs build() {
      return new PackedConstExprs(source == null ? new byte[0] : source, starts.build(), ends.build());
    }
  }
}
