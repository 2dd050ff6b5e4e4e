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
  /**
   * Bytes of stack a close asks for: half of {@link ThreadStack#STEP}. The close, its handshake and
   * its cleanups take a few KiB interpreted. Less than a step's own margin, so that a step that
   * checked {@code STEP} at its start (a free, a store's close) and reaches its arena's close a few
   * frames deeper is never refused here: a nested check that asked as much as the outer one would
   * fail where the outer passed, in the middle of a step that may not be safe to repeat. A caller
   * that checked nothing is refused before the close starts.
   */
  public static final long ROOM = ThreadStack.STEP / 2;

  private SharedArenaClose() {}

  /**
   * Closes {@code arena} unless it is closed already, after checking that {@link #ROOM} bytes of
   * stack are left. Never from an arena's cleanup: an overflow thrown there loses the cleanups after it.
   *
   * <p>A view of the arena's memory that another thread passed to a native call holds the arena
   * until the call returns (the JDK acquires a segment's session for the call), and the close is
   * refused having changed nothing ({@code SharedSession.justClose} fails its count's swap before
   * it writes anything); the embedder then gets a message saying so and what to do, not the JDK's
   * "Session is acquired by 1 clients", and the caller's step stays undone for its retry.
   *
   * @param what names the owner in the messages (made into a string only then)
   * @throws StackOverflowError before anything changed, if less is left: the caller's step stays
   *     undone, for its retry to finish
   * @throws IllegalStateException before anything changed, if another thread's native call holds
   *     a view of the memory
   */
  public static void closeIfOpen(Arena arena, Object what) {
    if (arena.scope().isAlive()) {
      ThreadStack.requireRoom(ROOM, what);
      try {
        arena.close();
      } catch (IllegalStateException acquired) {
        if (!arena.scope().isAlive()) {
          throw acquired; // closed after all: not a view in use
        }
        throw new IllegalStateException("the memory cannot be freed yet (" + what + "): another thread's native"
            + " call holds a view of it (a MemorySegment argument keeps it mapped until the call returns);"
            + " close again once that call returned", acquired);
      }
    }
  }
}
