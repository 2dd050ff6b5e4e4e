package dev.kiln.runtime;

import java.lang.ref.Cleaner;

/**
 * Whether an object handle ({@link AnyRef}, {@link ExnRef}) made for a host call's argument lasts
 * only as long as that call: its slot is freed when the call returns unless the host keeps it, so a
 * guest passing a fresh object on every call to a host function that ignores it never fills the
 * store's handle table, whenever the JVM collects (red team 10 F5). Any other handle (a result, a
 * kept argument) lasts until it becomes unreachable, when {@code release} runs from the cleaner.
 */
final class CallScope {
  private final Cleaner.Cleanable release;
  /** Made for a host call's argument and neither kept nor the call over yet. */
  private boolean scopedToCall;
  /** Freed when the host call it was an argument of returned ({@link #endCall}). */
  private boolean callEnded;

  /** @param release frees the handle's slot, once (a cleaner's registration) */
  CallScope(Cleaner.Cleanable release) {
    this.release = release;
  }

  /**
   * Keeps the handle {@code handle} after the host call it is an argument of returns.
   *
   * @throws IllegalStateException if the call has already returned, which freed the slot
   */
  synchronized void keep(Object handle) {
    if (callEnded) {
      throw new IllegalStateException("a " + handle + " was an argument of a host call that returned without keeping it");
    }
    scopedToCall = false;
  }

  /** Makes the handle, a host call's argument, last only as long as the call ({@link #keep}). */
  synchronized void scopeToCall() {
    scopedToCall = true;
  }

  /** The host call the handle is an argument of returned: its slot is freed unless it was kept. */
  void endCall() {
    synchronized (this) {
      if (!scopedToCall) {
        return;
      }
      scopedToCall = false;
      callEnded = true;
    }
    release.clean(); // once: the cleaner will not free the slot again when the handle is collected
  }

  /**
   * Refuses the handle {@code handle} once its call ended without keeping it ({@code keep}, the
   * handle class's method the message names).
   *
   * @throws IllegalArgumentException if its slot was freed so
   */
  synchronized void requireLive(Object handle, String keep) {
    if (callEnded) {
      throw new IllegalArgumentException("a " + handle + " was an argument of a host call that returned without"
          + " keeping it (" + keep + "): its slot is freed");
    }
  }
}
