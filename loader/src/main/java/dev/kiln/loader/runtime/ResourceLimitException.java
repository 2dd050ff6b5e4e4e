package dev.kiln.loader.runtime;

/**
 * An instance, memory or table that the store's {@link StoreLimits} do not allow: made past a count,
 * or created with more bytes or elements than are left. Nothing of it stays allocated. (Growing an
 * existing memory or table past a limit is no exception: {@code grow} returns -1.)
 */
public final class ResourceLimitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ResourceLimitException(String message) {
    super(message);
  }
}
