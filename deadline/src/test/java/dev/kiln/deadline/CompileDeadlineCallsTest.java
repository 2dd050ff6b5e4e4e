package dev.kiln.deadline;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What a poll reads before it asks the scoped value: the count of {@link CompileDeadline#call}s
 * running. It is 0 outside every call (a poll then asks nothing and throws nothing), counts a call
 * for as long as its work runs, however the work ends, and a poll under a spent deadline still
 * throws, on its own thread only.
 */
class CompileDeadlineCallsTest {
  private static final CompileDeadline SPENT = CompileDeadline.after(Duration.ZERO);

  @Test
  void noCallRunningMeansNothingToAsk() {
    assertEquals(0, CompileDeadline.callsRunning());
    assertDoesNotThrow(() -> CompileDeadline.poll(Phase.FUNCTIONS));
    assertTrue(CompileDeadline.current().isEmpty());
  }

  @Test
  void aCallIsCountedWhileItsWorkRunsHoweverItEnds() {
    assertEquals(1, (int) CompileDeadline.after(Duration.ofHours(1)).call(CompileDeadline::callsRunning));
    assertEquals(0, CompileDeadline.callsRunning());
    assertThrows(CompileTimeoutException.class,
        () -> SPENT.call(() -> {
          CompileDeadline.poll(Phase.FUNCTIONS);
          return null;
        }));
    assertEquals(0, CompileDeadline.callsRunning(), "a call that threw is no longer counted");
  }

  @Test
  void anotherThreadsCallBindsNothingHere() {
    // The other thread polls while this thread's call runs (it waits for it): counted, not bound there.
    CompletableFuture<Void> elsewhere = SPENT.call(() -> {
      CompletableFuture<Void> poll = CompletableFuture.runAsync(() -> {
        assertEquals(1, CompileDeadline.callsRunning());
        CompileDeadline.poll(Phase.FUNCTIONS);
      });
      poll.exceptionally(e -> null).join();
      return poll;
    });
    assertDoesNotThrow(elsewhere::join);
  }
}
