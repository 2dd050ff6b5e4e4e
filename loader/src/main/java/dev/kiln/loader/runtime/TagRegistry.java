package dev.kiln.loader.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tags a store's instances hold, by identity ({@link ExceptionTag#identity()}): how the runtime
 * names the tag of an exception object that reaches the host. One per store (a store attachment).
 * (A collection finds an object's references from its header's type id, not from here.)
 *
 * <p>A tag stays while something can still name it: a live instance that defines or imports it
 * (each {@link #register} until its {@link #release}), or an exception object of the store that
 * carries it ({@link #carry}, marked when the object is first thrown). Nothing tracks when the last
 * such object dies (an {@code exnref} to one may be anywhere, {@link StoreExceptions}), so a carried
 * tag stays until the store closes, and its entry is charged to the store's memory limit with the
 * first object that carries it ({@link #RETAINED_BYTES}). A tag
 * nothing names any longer leaves: an instance per request in a long-lived store otherwise kept
 * every tag it ever defined (red team 10 F7: 5,000 tags x 2,000 instantiations held 950 MiB of
 * Java heap under a 16 MiB limit).
 */
public final class TagRegistry {
  /**
   * What the Java heap holds for one tag kept past its instances: this map's entry, its boxed key
   * and {@link Holders}, and the tag object (red team 10 measured about 95 bytes a tag), rounded up.
   */
  public static final long RETAINED_BYTES = 128;

  /** A tag, how many live instances hold it, and whether an exception object carries it. */
  private static final class Holders {
    final ExceptionTag tag;
    int instances;
    boolean carried;

    Holders(ExceptionTag tag) {
      this.tag = tag;
    }
  }

  private final Map<Long, Holders> byIdentity = new HashMap<>();

  /** Adds {@code tag} for one more instance of the store that holds it (defines or imports it). */
  public synchronized void register(ExceptionTag tag) {
    byIdentity.computeIfAbsent(tag.identity(), identity -> new Holders(tag)).instances++;
  }

  /**
   * Undoes one {@link #register} of {@code tag} (its instance is freed): the tag leaves when no live
   * instance holds it and no exception object carries it.
   */
  public synchronized void release(ExceptionTag tag) {
    Holders holders = byIdentity.get(tag.identity());
    if (holders == null) {
      return;
    }
    holders.instances--;
    if (holders.instances <= 0 && !holders.carried) {
      byIdentity.remove(tag.identity());
    }
  }

  /**
   * Whether an exception object made now with the tag of {@code identity} would be the first to
   * carry it, so that its allocation must also pay {@link #RETAINED_BYTES}.
   */
  synchronized boolean firstCarrier(long identity) {
    Holders holders = byIdentity.get(identity);
    return holders != null && !holders.carried;
  }

  /** Keeps the tag of {@code identity} until the store closes: an exception object carries it. */
  synchronized void carry(long identity) {
    Holders holders = byIdentity.get(identity);
    if (holders != null) {
      holders.carried = true;
    }
  }

  /** The tag whose identity is {@code identity}, if an instance of the store holds it or an exception object carries it. */
  public synchronized Optional<ExceptionTag> tag(long identity) {
    Holders holders = byIdentity.get(identity);
    return holders == null ? Optional.empty() : Optional.of(holders.tag);
  }

  /** How many tags the registry holds now. */
  public synchronized int size() {
    return byIdentity.size();
  }
}
