package dev.kiln.loader.sys;

import java.lang.foreign.Arena;

/**
 * Closes a shared {@link Arena} only with room on the stack to finish the close (issue 35).
 *
 * <p>Why every such close needs it, read in JDK 25's {@code jdk.internal.foreign}: a shared
 * session's {@code close()} is {@code justClose()} then {@code resourceList.cleanup()}, and
 * {@code SharedSession.justClose()} first swaps the acquire count from 0 to -1, then writes the
 * state {@code CLOSED}, then runs the all-thread handshake ({@code ScopedMemoryAccess.closeScope}).
 * A {@code StackOverflowError} between the swap and the write leaves the count at -1 with the state
 * still open, and every later close (or acquire) waits in {@code sharedSessionAlreadyClosed()} for
 * the state to change, which never comes: the thread spins for ever. One after the write leaves the
 * session closed with its cleanups (the {@code munmap}s, the budgets given back) never run and no
 * way to run them: a second close throws "Already closed", and {@code scope().isAlive()} is false.
 * Nothing Kiln does after the fact can repair either; only not starting the close without room can.
 * A confined session has no such window (its {@code justClose()} writes the state in one field write
 * after its checks), but its cleanups are lost the same way; Kiln closes confined arenas only in
 * try-with-resources around one downcall, whose allocations are {@code malloc}s with nothing else
 * registered.
 */
public final class SharedArenaClose {
  private SharedArenaClose() {}

  /**
   * Closes {@code arena} unless it is closed already, after checking that {@link ThreadStack#STEP}
   * bytes of stack are left (the close, its handshake and its cleanups take a few KiB interpreted).
   *
   * @param what names the owner in the {@link StackOverflowError} (made into a string only then)
   * @throws StackOverflowError before anything changed, if less is left: the caller's step stays
   *     undone, for its retry to finish
   */
  public static void closeIfOpen(Arena arena, Object what) {
    if (arena.scope().isAlive()) {
      ThreadStack.requireRoom(ThreadStack.STEP, what);
      arena.close();
    }
  }
}
