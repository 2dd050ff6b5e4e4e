package dev.kiln.loader.runtime;

import dev.kiln.loader.sys.TableArrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * The tags a store's instances hold, by identity ({@link ExceptionTag#identity()}): how the runtime
 * names the tag of an exception object that reaches the host. One per store ({@link
 * NativeStore#tagRegistry}). (A collection finds an object's references from its header's type id,
 * not from here.)
 *
 * <p>A tag stays while something can still name it: a live instance that defines or imports it
 * (each {@link #register} until its {@link #release}), or a live exception object of the store
 * whose tag word is its identity. The second is decided by the collector, not by how the object
 * got where it is: an exception object may be kept anywhere a reference goes (a local, a frame's
 * legacy {@code catch}, a global or table of any instance, a struct, a Java handle, a host
 * function's result), and compiled code stores one without calling anything. So a tag whose last
 * instance is freed while the heap holds objects stays until the next collection, which reports
 * the tag of every exception object it copied ({@link #collected}); a tag no live object names then
 * leaves. A tag kept past its instances is charged {@link #RETAINED_BYTES} to the store's memory
 * limit until it leaves, and enough of them make a collection due ({@link #collectionDue}), so an
 * instance per request in a long-lived store keeps at most a bounded number of tags between
 * collections whatever it throws (red team 10 F7: every tag of every closed instance stayed, 5,000
 * tags x 2,000 instantiations held 950 MiB of Java heap under a 16 MiB limit; red team 19 F1: a tag
 * let go while an exception kept in another instance's global still named it, and the exception
 * reached Java as a trap without its tag and payload).
 */
public final class TagRegistry {
  /**
   * What the Java heap holds for one tag kept past its instances: this map's entry, its boxed key
   * and {@link Holders}, and the tag object (red team 10 measured about 95 bytes a tag), rounded up.
   */
  public static final long RETAINED_BYTES = 128;

  /**
   * The fewest tags kept past their instances since the last collection that make one due: a
   * collection copies the live heap, so it waits for as many tags as the last one kept, and for
   * their records to weigh as much as the heap it copies ({@link #collectionDue}).
   */
  static final int MIN_KEPT_FOR_COLLECTION = 256;

  /**
   * A tag, how many live instances hold it, whether it waits past them for a collection's answer
   * (in {@link #pastInstances}) and whether it is charged for that; and its key in {@link
   * #byIdentity}, boxed once when it came, so that a collection removes it without boxing one.
   */
  private static final class Holders {
    final ExceptionTag tag;
    final Long key;
    int instances;
    boolean waiting;
    boolean charged;

    Holders(ExceptionTag tag, Long key) {
      this.tag = tag;
      this.key = key;
    }
  }

  private final Map<Long, Holders> byIdentity = new HashMap<>();
  /**
   * The tags no live instance holds, kept for the exception objects that may name them: what a
   * collection decides about, without a walk over the live instances' tags.
   */
  private Holders[] pastInstances = new Holders[16];
  /** How many of {@link #pastInstances} are in use, from 0. */
  private int pastCount;
  /** Where {@link #pastInstances} grows ({@link TableArrays}: a test's runs out on cue). */
  private final TableArrays arrays;
  /** What a tag kept past its instances is charged to; null for a registry of no store (tests). */
  private final StoreResources.Budget memory;
  /** Tags kept past their last instance since the last collection. */
  private int keptSinceCollection;
  /** Tags past their instances the last collection found named by a live exception object. */
  private int keptByLastCollection;
  /** The live bytes the last collection left. */
  private long liveBytesAtLastCollection;
  /** Whether the memory limit refused the charge of a tag kept since the last collection. */
  private boolean chargeRefused;

  /** A registry whose tags kept past their instances are charged to {@code memory}. */
  TagRegistry(StoreResources.Budget memory) {
    this(memory, TableArrays.HEAP);
  }

  /** A registry charging {@code memory} whose list of tags past their instances grows by {@code arrays}. */
  TagRegistry(StoreResources.Budget memory, TableArrays arrays) {
    this.memory = memory;
    this.arrays = arrays;
  }

  /** A registry that charges nothing (a test's, outside any store). */
  public TagRegistry() {
    this(null);
  }

  /** Adds {@code tag} for one more instance of the store that holds it (defines or imports it). */
  public synchronized void register(ExceptionTag tag) {
    Holders holders = byIdentity.computeIfAbsent(tag.identity(), identity -> new Holders(tag, identity));
    holders.instances++;
    uncharge(holders);
  }

  /**
   * Undoes one {@link #register} of {@code tag} (its instance is freed). When no live instance holds
   * it any more, the tag leaves now if {@code objectsMayNameIt} is false (the store's heap holds no
   * object at all), else it stays, charged, until a collection finds no live exception object of it.
   */
  synchronized void release(ExceptionTag tag, boolean objectsMayNameIt) {
    // Every allocation (the boxed key, room in the list) before the count goes down: an
    // OutOfMemoryError after it left a tag no instance held on no list, kept for the store's life,
    // and a retried release counted it down twice (issue 35).
    Long identity = tag.identity();
    Holders holders = byIdentity.get(identity);
    if (holders == null) {
      return;
    }
    boolean waits = holders.instances == 1 && (objectsMayNameIt || holders.waiting);
    if (waits && !holders.waiting && pastCount == pastInstances.length) {
      pastInstances = arrays.copyOf(pastInstances, pastCount * 2);
    }
    if (--holders.instances > 0) {
      return;
    }
    if (!waits) {
      byIdentity.remove(identity);
      return;
    }
    keptSinceCollection++;
    if (!holders.waiting) {
      holders.waiting = true;
      pastInstances[pastCount++] = holders;
    }
    if (memory != null) {
      // kept either way: an object may name it; a refusal makes a collection due instead
      holders.charged = memory.tryTake(RETAINED_BYTES);
      chargeRefused |= !holders.charged;
    }
  }

  /**
   * A collection ended: of the tags no live instance holds, those {@code live} names (the tags of
   * the exception objects it copied) stay, the rest leave and give their charge back.
   *
   * <p>Each tag that leaves the list is swapped with the last one, from the end down, so the list
   * holds every tag once after each step and a throwable at any step leaves no tag on it twice and
   * none on it that left the registry; and nothing here allocates (the map's key was boxed when the
   * tag came). Issue 35: the tags that stayed were moved to the front in place and the count set
   * only at the end, so an {@code OutOfMemoryError} half way (a boxed key for the removal) left a
   * tag that stayed on the list twice, and one that left still on it.
   *
   * @param live the tag identities of the exception objects the collection copied ({@link LiveTags})
   * @param liveBytes the bytes the collection left live
   */
  synchronized void collected(LongPredicate live, long liveBytes) {
    for (int i = pastCount - 1; i >= 0; i--) {
      Holders holders = pastInstances[i];
      if (holders.instances > 0) {
        holders.waiting = false; // an instance holds it again
      } else if (live.test(holders.tag.identity())) {
        continue;
      } else {
        byIdentity.remove(holders.key, holders);
        uncharge(holders);
      }
      pastInstances[i] = pastInstances[pastCount - 1];
      pastInstances[--pastCount] = null;
    }
    keptByLastCollection = pastCount;
    keptSinceCollection = 0;
    chargeRefused = false;
    liveBytesAtLastCollection = liveBytes;
  }

  /**
   * Whether enough tags were kept past their instances since the last collection to make one: at
   * least {@link #MIN_KEPT_FOR_COLLECTION}, as many as the last collection kept, and enough that
   * their charges reach the live bytes the collection would copy (each collection's cost is then
   * paid for by what it can give back); or any once the memory limit refused one's charge.
   */
  synchronized boolean collectionDue() {
    if (keptSinceCollection == 0) {
      return false;
    }
    return chargeRefused || (keptSinceCollection >= Math.max(MIN_KEPT_FOR_COLLECTION, keptByLastCollection)
        && keptSinceCollection * RETAINED_BYTES >= liveBytesAtLastCollection);
  }

  private void uncharge(Holders holders) {
    if (holders.charged) {
      memory.release(RETAINED_BYTES);
      holders.charged = false;
    }
  }

  /** The tag whose identity is {@code identity}, if a live instance of the store or an exception object may name it. */
  public synchronized Optional<ExceptionTag> tag(long identity) {
    Holders holders = byIdentity.get(identity);
    return holders == null ? Optional.empty() : Optional.of(holders.tag);
  }

  /** How many tags wait past their instances for a collection's answer (for tests: each once). */
  synchronized int waiting() {
    return pastCount;
  }

  /** How many tags the registry holds now. */
  public synchronized int size() {
    return byIdentity.size();
  }
}
