package dev.kiln.loader.module;

import dev.kiln.artifact.tables.TextSites;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * One side table of a {@link LoadedModule} keyed by return address (the handler table, the stack
 * map table), decoded into {@link TextSites} on its first lookup and searched from then on without
 * touching native memory or allocating: a module that never throws, or never collects, pays
 * nothing. The tables were validated entry by entry when the module was loaded; this is only the
 * runtime's fast form of them.
 *
 * <p>Once the module's file is unmapped ({@link #release}), every lookup finds nothing: a decode
 * holds this object's monitor while it reads the mapping, and the release takes the same monitor
 * before the module unmaps the file, so no decode reads unmapped memory.
 */
final class DecodedSites<T> {
  private final Supplier<TextSites<T>> decode;
  private final TextSites<T> none;
  /** Null until the first lookup; read without the lock (it holds only Java arrays). */
  private volatile TextSites<T> sites;
  private boolean released;

  DecodedSites(Supplier<TextSites<T>> decode, IntFunction<T[]> newArray) {
    this.decode = decode;
    this.none = new TextSites<>(new int[0], newArray.apply(0));
  }

  /** The entry of the site whose return offset into {@code .text} is {@code returnOffset}, or null. */
  T find(int returnOffset) {
    TextSites<T> decoded = sites;
    return (decoded != null ? decoded : decodeOnce()).find(returnOffset);
  }

  private synchronized TextSites<T> decodeOnce() {
    if (sites == null) {
      sites = released ? none : decode.get();
    }
    return sites;
  }

  /** The file is about to be unmapped: from now on nothing is found. */
  synchronized void release() {
    released = true;
    sites = none;
  }
}
