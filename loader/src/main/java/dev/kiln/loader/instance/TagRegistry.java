package dev.kiln.loader.instance;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tags a store's instances hold, by identity ({@link TagInstance#identity()}): how the runtime
 * names the tag of an exception object that reaches the host. One per store (a store attachment);
 * instances only add to it, and the store drops it when it closes.
 */
public final class TagRegistry {
  private final Map<Long, TagInstance> byIdentity = new HashMap<>();

  synchronized void register(TagInstance tag) {
    byIdentity.putIfAbsent(tag.identity(), tag);
  }

  /** The tag whose identity is {@code identity}, if an instance of the store holds it. */
  public synchronized Optional<TagInstance> tag(long identity) {
    return Optional.ofNullable(byIdentity.get(identity));
  }
}
