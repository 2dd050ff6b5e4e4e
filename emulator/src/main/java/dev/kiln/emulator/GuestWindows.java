package dev.kiln.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The windows of host memory one engine has mapped into the guest, kept equal to the engine's
 * mappings in Unicorn: the lazy-mapping hook maps only what they leave free (Unicorn refuses a
 * mapping that overlaps one it has), and {@link EmulatedCpu#forgetRewrittenCode} drops
 * translations only inside them.
 *
 * <p><b>Why a window is recorded before it is mapped</b> (red team 31 F2). Recording allocates (the
 * boxed bounds, a tree entry); recorded after Unicorn mapped, an {@code OutOfMemoryError} there
 * left the window mapped but unrecorded, so a neighbour's window could overlap it (Unicorn refused
 * it, and every later access there stopped the engine) and code rewritten in it kept its stale
 * translation. So {@link #map} records first, then maps, and nothing after the mapping can throw
 * ({@link Unicorn#mapIdentity} allocates nothing once Unicorn mapped). A window recorded whose
 * mapping threw is pending; every query drops it first, without allocating, so it is gone before
 * anything reads the record, whichever frames the failure skipped (a failed reallocation pops
 * handlers, see {@code GuardedUpcall}).
 */
final class GuestWindows {
  /** Maps host memory {@code [start, start + size)} at the same guest address ({@link Unicorn#mapIdentity}). */
  interface Mapper {
    void map(long start, long size, int perms);
  }

  /** Guest addresses {@code [start, end)}. */
  record Window(long start, long end) {}

  private final Mapper mapper;
  /** start -> end. */
  private final TreeMap<Long, Long> windows = new TreeMap<>();
  /** The key of the window {@link #map} recorded but whose mapping did not return, or null. */
  private Long pending;

  GuestWindows(Mapper mapper) {
    this.mapper = mapper;
  }

  /** Records {@code [start, end)}, then maps it with the guest's permissions {@code perms}. */
  void map(long start, long end, int perms) {
    dropPending();
    Long key = start;
    windows.put(key, end);
    pending = key;
    mapper.map(start, end - start, perms);
    pending = null;
  }

  /**
   * The part of {@code [start, end)} around {@code address} that no window covers (the hook's
   * window may overlap earlier windows of a neighbour), or empty if one covers {@code address}.
   */
  Optional<Window> freeAround(long address, long start, long end) {
    dropPending();
    Map.Entry<Long, Long> below = windows.floorEntry(address);
    if (below != null && below.getValue() > start) {
      start = below.getValue();
    }
    Long above = windows.higherKey(address);
    if (above != null && above < end) {
      end = above;
    }
    return start > address || end <= address ? Optional.empty() : Optional.of(new Window(start, end));
  }

  /** The parts of {@code [begin, end)} that windows cover, in address order. */
  List<Window> within(long begin, long end) {
    dropPending();
    List<Window> parts = new ArrayList<>();
    Long from = windows.floorKey(begin);
    for (Map.Entry<Long, Long> w : windows.subMap(from == null ? begin : from, true, end, false).entrySet()) {
      long partStart = Math.max(begin, w.getKey());
      long partEnd = Math.min(end, w.getValue());
      if (partStart < partEnd) {
        parts.add(new Window(partStart, partEnd));
      }
    }
    return parts;
  }

  /** Every window, in address order. */
  List<Window> all() {
    dropPending();
    List<Window> all = new ArrayList<>(windows.size());
    windows.forEach((start, end) -> all.add(new Window(start, end)));
    return all;
  }

  /** Forgets the window whose mapping threw: TreeMap.remove of a key it holds allocates nothing. */
  private void dropPending() {
    Long key = pending;
    if (key != null) {
      windows.remove(key);
      pending = null;
    }
  }
}
