package dev.kiln.loader.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tags a store's instances hold, by identity ({@link ExceptionTag#identity()}): how the runtime
 * names the tag of an exception object that reaches the host. One per store (a store attachment);
 * instances only add to it, and the store drops it when it closes.
 */
public final class TagRegistry {
  private final Map<Long, ExceptionTag> byIdentity = new HashMap<>();

  /** Adds {@code tag}, which an instance of the store holds. */
  public synchronized void register(ExceptionTag tag) {
    byIdentity.putIfAbsent(tag.identity(), tag);
  }

  /** The tag whose identity is {@code identity}, if an instance of the store holds it. */
  public synchronized Optional<ExceptionTag> tag(long identity) {
    return Optional.ofNullable(byIdentity.get(identity));
  }
}
