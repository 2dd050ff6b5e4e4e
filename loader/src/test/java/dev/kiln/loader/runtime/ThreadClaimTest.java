package dev.kiln.loader.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ThreadClaim}'s two ways in: the biased thread's (a volatile write and two reads) against
 * the general way's compare-and-set, with real threads ({@code NativeStoreTest} has two threads
 * arriving at once, through the store's entry). The first test is the one that catches a
 * biased way without its store-load ordering: with the announcement written as a plain (or opaque)
 * write, x86-64's store buffer lets both threads read the other's word before their own write is
 * visible, and both get in.
 */
class ThreadClaimTest {
  private static final String STORE = "store #test";

  /**
   * Two threads claiming one store as fast as they can, the store's bias moving between them each
   * time the other one gets in: never both inside, and both get in.
   */
  @Test
  void theBiasedWayAndTheGeneralWayNeverLetTwoThreadsInTogether() throws Exception {
    ThreadClaim claim = new ThreadClaim();
    contend(claim, 2, 20, claim::release);
  }

  /**
   * The same race with every claim let go as an owed release ({@link ThreadClaim#owed}, the way
   * the store lets go so that a {@code StackOverflowError} leaves a debt, not a held claim): the
   * debt is paid before the claim is handed over and not looked at after it, so no thread pays
   * another's debt out of a claim it does not hold. Paid after the hand-over, the other thread's
   * release threw "not claimed" (the GC-API fuzzer's two-thread sequences, CI of 2026-11-25); read
   * again after it, the releasing thread paid the next holder's debt (this test, in a later CI run).
   * Twice as many contenders as the machine has cores, and one more, so that the system preempts
   * them in the middle of letting go, the few nanoseconds between the hand-over and a debt paid
   * late, and no wait inside, so that the next holder's debt comes soon after: a debt paid after
   * the hand-over was found in 4 of 4 runs (2026-11-25, 2 cores).
   */
  @Test
  void anOwedReleaseIsPaidBeforeTheClaimIsHandedOver() throws Exception {
    ThreadClaim claim = new ThreadClaim();
    contend(claim, 2 * Runtime.getRuntime().availableProcessors() + 1, 0, () -> {
      claim.owed++;
      claim.settleOwed();
    });
  }

  /**
   * {@code threads} threads claiming {@code claim} as fast as they can for three seconds, each
   * staying inside for {@code spinsInside} spin-wait hints and letting go with {@code letGo}: never
   * two inside, never a debt left by the previous holder, and each gets in.
   */
  private static void contend(ThreadClaim claim, int threads, int spinsInside, Runnable letGo) throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger debtsFound = new AtomicInteger();
    CyclicBarrier start = new CyclicBarrier(threads);
    Callable<Integer> contender = () -> {
      start.await();
      // Long enough for some thousands of both threads' claims to meet (the window is the few
      // nanoseconds a write stays in the store buffer) on a machine whose other work takes turns
      // with these threads: a biased way whose announcement was an opaque write (no fence) let both
      // in, in 3 of 6 runs at a load of 18-19 (2026-11-25).
      long end = System.nanoTime() + 3_000_000_000L;
      int won = 0;
      while (System.nanoTime() < end) {
        try {
          claim.acquire(STORE, "run wasm in it");
        } catch (IllegalStateException busy) {
          continue;
        }
        if (inside.incrementAndGet() != 1) {
          overlaps.incrementAndGet();
        }
        if (claim.owed != 0) {
          debtsFound.incrementAndGet();
        }
        for (int spin = 0; spin < spinsInside; spin++) {
          Thread.onSpinWait();
        }
        inside.decrementAndGet();
        letGo.run();
        won++;
      }
      return won;
    };
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = pool.invokeAll(Collections.nCopies(threads, contender));
      assertEquals(0, overlaps.get(), "two threads inside one store at once");
      assertEquals(0, debtsFound.get(), "a thread got the store with the previous holder's release still owed");
      for (Future<Integer> result : results) {
        assertTrue(result.get() > 0, "a thread never got the store");
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void theBiasedThreadInsideRefusesAnotherAndTheStoreMovesOnOnceItLeaves() throws Exception {
    ThreadClaim claim = new ThreadClaim();
    claim.acquire(STORE, "instantiate");
    claim.release();
    // This thread holds the bias now; its next claim, and one nested in it, take the biased way.
    claim.acquire(STORE, "run wasm in it");
    claim.acquire(STORE, "run wasm in it");
    claim.release();
    String refusal = inThread("other", () -> assertThrows(IllegalStateException.class,
        () -> claim.acquire(STORE, "run wasm in it")).getMessage());
    assertEquals(STORE + " is in use by thread \"" + Thread.currentThread().getName() + "\"; thread \"other\" cannot"
        + " run wasm in it (a store runs on one thread at a time)", refusal);
    claim.release();
    assertThrows(IllegalStateException.class, claim::release, "released more often than claimed");
    // The other thread takes it the general way and the bias with it; then this thread claims it back.
    inThread("other", () -> {
      claim.acquire(STORE, "run wasm in it");
      claim.acquire(STORE, "run wasm in it");
      claim.release();
      claim.release();
      return null;
    });
    claim.acquire(STORE, "run wasm in it");
    String second = inThread("third", () -> assertThrows(IllegalStateException.class,
        () -> claim.acquire(STORE, "close it")).getMessage());
    assertTrue(second.contains("in use by thread \"" + Thread.currentThread().getName() + "\""), second);
    claim.release();
  }

  /**
   * A confined claim lets its thread in and nest, and refuses every other thread, also while
   * nobody holds it (where the shared claim above lets the other thread in): to take it, to let it
   * go (which would take the owner's count), and as its holder.
   */
  @Test
  void aConfinedClaimIsItsThreadsAloneWhetherHeldOrNot() throws Exception {
    ThreadClaim claim = ThreadClaim.confinedTo(Thread.currentThread());
    String owner = Thread.currentThread().getName();
    String idle = inThread("other", () -> assertThrows(WrongThreadException.class,
        () -> claim.acquire(STORE, "run wasm in it")).getMessage());
    assertEquals(STORE + " is confined to thread \"" + owner + "\"; thread \"other\" cannot run wasm in it", idle);
    assertThrows(WrongThreadException.class, () -> inThreadRethrowing(() -> claim.requireOwnerToClose(STORE, "close it")));
    claim.requireOwnerToClose(STORE, "close it");
    claim.acquire(STORE, "instantiate", "a module");
    claim.acquire(STORE, "run wasm in it");
    assertTrue(claim.heldByCurrentThread());
    assertEquals(false, inThread("other", claim::heldByCurrentThread));
    assertThrows(IllegalStateException.class, () -> inThreadRethrowing(claim::release));
    String held = inThread("other", () -> assertThrows(WrongThreadException.class,
        () -> claim.acquire(STORE, "close it")).getMessage());
    assertTrue(held.contains("confined to thread \"" + owner + "\""), held);
    claim.release();
    assertTrue(claim.heldByCurrentThread(), "one claim still held");
    claim.release();
    assertEquals(false, claim.heldByCurrentThread());
    assertThrows(IllegalStateException.class, claim::release, "released more often than claimed");
  }

  /**
   * Taken to make room for another store: only when nobody holds it (this thread neither, nor the
   * biased thread inside, nor another thread of a confined claim), and a thread that wants the store
   * meanwhile, its biased thread included, waits until it is let go instead of being refused.
   */
  @Test
  void aClaimTakenToMakeRoomIsTakenOnlyIdleAndMakesOthersWait() throws Exception {
    ThreadClaim claim = new ThreadClaim();
    claim.acquire(STORE, "run wasm in it");
    assertEquals(null, claim.tryAcquireToMakeRoom(), "this thread is inside the store");
    assertEquals(false, inThread("other", () -> claim.tryAcquireToMakeRoom() != null), "the biased thread is inside");
    claim.release();
    inThread("other", () -> {
      claim.acquire(STORE, "run wasm in it");
      try {
        assertEquals(false, inThread("third", () -> claim.tryAcquireToMakeRoom() != null), "a general-way holder is inside");
      } finally {
        claim.release();
      }
      return null;
    });
    ThreadClaim confinedHere = ThreadClaim.confinedTo(Thread.currentThread());
    assertEquals(false, inThread("other", () -> confinedHere.tryAcquireToMakeRoom() != null));

    // the store's own thread has it last: its next claim takes the biased way
    ExecutorService ownThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "own"));
    ownThread.submit(() -> {
      claim.acquire(STORE, "run wasm in it");
      claim.release();
    }).get();
    CountDownLatch taken = new CountDownLatch(1);
    CountDownLatch letGo = new CountDownLatch(1);
    CompletableFuture<Boolean> makingRoom = CompletableFuture.supplyAsync(() -> {
      boolean got = claim.tryAcquireToMakeRoom() != null;
      taken.countDown();
      try {
        assertTrue(claim.heldByCurrentThread());
        letGo.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      } finally {
        if (got) {
          claim.release();
        }
      }
      return got;
    });
    assertTrue(taken.await(30, TimeUnit.SECONDS));
    // the store's own thread arrives while the claim is taken, and so does another: both wait,
    // neither is refused for the room being made. Once it is let go they race each other, and the
    // one that comes while the other is inside is refused as any second user is: naming that
    // other waiter, never the thread that made room.
    ExecutorService anotherThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "another"));
    try {
      Callable<String> enter = () -> {
        try {
          claim.acquire(STORE, "run wasm in it");
        } catch (IllegalStateException refused) {
          return refused.getMessage();
        }
        claim.release();
        return "in";
      };
      Future<String> own = ownThread.submit(enter);
      Future<String> another = anotherThread.submit(enter);
      Thread.sleep(200);
      assertEquals(false, own.isDone() || another.isDone(), "a thread went in while another made room in the store");
      letGo.countDown();
      assertEquals(true, makingRoom.get(30, TimeUnit.SECONDS));
      String ownOutcome = own.get(30, TimeUnit.SECONDS);
      String anotherOutcome = another.get(30, TimeUnit.SECONDS);
      assertTrue(ownOutcome.equals("in") || ownOutcome.contains("in use by thread \"another\""), ownOutcome);
      assertTrue(anotherOutcome.equals("in") || anotherOutcome.contains("in use by thread \"own\""), anotherOutcome);
      assertTrue(ownOutcome.equals("in") || anotherOutcome.equals("in"), "one of them gets in");
    } finally {
      ownThread.shutdown();
      anotherThread.shutdown();
    }
  }

  /**
   * Two threads claiming one store either way while a third keeps taking it to make room: never two
   * inside at once, and each gets in.
   */
  @Test
  @Timeout(120) // a claim two threads corrupted can leave a third spinning for ever
  void makingRoomNeverLetsTwoThreadsInTogether() throws Exception {
    ThreadClaim claim = new ThreadClaim();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    CyclicBarrier start = new CyclicBarrier(3);
    long end = System.nanoTime() + 2_000_000_000L;
    Callable<Integer> user = () -> {
      start.await();
      int won = 0;
      while (System.nanoTime() < end) {
        try {
          claim.acquire(STORE, "run wasm in it");
        } catch (IllegalStateException busy) {
          continue;
        }
        won += insideAlone(inside, overlaps);
        claim.release();
      }
      return won;
    };
    Callable<Integer> makingRoom = () -> {
      start.await();
      int won = 0;
      while (System.nanoTime() < end) {
        if (claim.tryAcquireToMakeRoom() != null) {
          won += insideAlone(inside, overlaps);
          claim.release();
        }
      }
      return won;
    };
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<Integer>> results = pool.invokeAll(List.of(user, user, makingRoom));
      assertEquals(0, overlaps.get(), "two threads inside one store at once");
      for (Future<Integer> result : results) {
        assertTrue(result.get() > 0, "a thread never got the store");
      }
    } finally {
      pool.shutdown();
    }
  }

  private static int insideAlone(AtomicInteger inside, AtomicInteger overlaps) {
    if (inside.incrementAndGet() != 1) {
      overlaps.incrementAndGet();
    }
    for (int spin = 0; spin < 20; spin++) {
      Thread.onSpinWait();
    }
    inside.decrementAndGet();
    return 1;
  }

  /**
   * A confined claim whose owner thread has ended is taken to close the store by one thread; a
   * second closer is refused while it holds it, and nothing but closing is let in.
   */
  @Test
  void aConfinedClaimWhoseOwnerEndedIsTakenToCloseByOneThread() throws Exception {
    CountDownLatch end = new CountDownLatch(1);
    Thread owner = new Thread(() -> {
      try {
        end.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }, "owner");
    owner.start();
    ThreadClaim claim = ThreadClaim.confinedTo(owner);
    assertThrows(WrongThreadException.class, () -> claim.acquireToClose(STORE, "close it"), "the owner is alive");
    assertThrows(WrongThreadException.class, () -> claim.requireOwnerToClose(STORE, "close it"));
    end.countDown();
    owner.join();
    claim.requireOwnerToClose(STORE, "close it");
    claim.acquireToClose(STORE, "close it");
    assertTrue(claim.heldByCurrentThread());
    assertThrows(WrongThreadException.class, () -> claim.acquire(STORE, "run wasm in it"), "only closing");
    String second = inThread("other", () -> assertThrows(IllegalStateException.class,
        () -> claim.acquireToClose(STORE, "close it")).getMessage());
    assertTrue(second.contains("in use by thread \"" + Thread.currentThread().getName() + "\""), second);
    assertThrows(IllegalStateException.class, () -> inThreadRethrowing(claim::release));
    claim.release();
    assertEquals(false, claim.heldByCurrentThread());
  }

  /**
   * A claim taken to make room whose release threw (a {@code StackOverflowError} at its frame,
   * issue 35) is marked abandoned by the frame that took it ({@code
   * NativeStore#decideOwnersForAnotherStore}), and the next thread to want the store takes it over
   * instead of waiting for it for ever: the making-room thread uses another store and need never
   * come back to pay the releases it owes here. That thread no longer holds the store, and what it
   * owed is never paid out of a later claim.
   */
  @Test
  // without the takeover the acquire below waits for ever, on a thread the timeout abandons
  @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aClaimAbandonedWhileMakingRoomIsTakenOverByTheNextThread() throws Exception {
    ThreadClaim claim = new ThreadClaim();
    boolean heldAfterAbandoning = inThread("making-room", () -> {
      ThreadClaim.MakingRoom room = claim.tryAcquireToMakeRoom();
      claim.acquire(STORE, "free an instance"); // nested, as a free inside the decision claims
      claim.owed += 2; // the frames count their releases first; both releases then threw
      room.abandoned = true;
      return claim.heldByCurrentThread();
    });
    assertEquals(false, heldAfterAbandoning, "the thread that abandoned it still holds the store");
    claim.acquire(STORE, "run wasm in it");
    claim.acquire(STORE, "read a global");
    claim.owed++; // the nested claim's release, counted first and paid (ThreadClaim#settleOwed)
    claim.settleOwed();
    assertTrue(claim.heldByCurrentThread(), "a release the abandoned claim owed was paid out of this one");
    claim.release();
    assertEquals(false, claim.heldByCurrentThread());
    inThreadRethrowing(() -> {
      claim.acquire(STORE, "run wasm in it");
      claim.release();
    });
    claim.acquire(STORE, "run wasm in it");
    claim.release();
    assertEquals(false, claim.heldByCurrentThread());
  }

  /**
   * A thread whose releases overflowed and which then ended (red team 24 F2) leaves the store
   * claimed by a dead thread: the next thread takes the claim over, pays what the dead one owed out
   * of that claim, not its own, and the store then moves on as ever. Both ways the dead thread could
   * have come in: the general way (its first claim) and the biased way (a later one).
   */
  @Test
  void aClaimWhoseHolderEndedOwingItsReleasesIsTakenOverByTheNextThread() throws Exception {
    for (boolean biasedWay : new boolean[] {false, true}) {
      ThreadClaim claim = new ThreadClaim();
      boolean[] heldWhenEnding = new boolean[1];
      Thread dying = new Thread(() -> {
        if (biasedWay) {
          claim.acquire(STORE, "run wasm in it");
          claim.release(); // the bias is this thread's now
        }
        claim.acquire(STORE, "run wasm in it");
        claim.acquire(STORE, "read a global"); // nested
        claim.owed += 2; // both frames counted their releases first; both releases then overflowed
        heldWhenEnding[0] = claim.heldByCurrentThread();
      }, "dying");
      dying.start();
      dying.join(); // its end happens-before join's return (JLS 17.4.4)
      assertTrue(heldWhenEnding[0], "the dying thread holds the store");
      claim.acquire(STORE, "run wasm in it");
      assertTrue(claim.heldByCurrentThread());
      assertEquals(0, claim.owed, "the dead thread's releases were paid at the takeover");
      claim.acquire(STORE, "read a global");
      claim.release();
      assertTrue(claim.heldByCurrentThread(), "a release the dead thread owed was paid out of this claim");
      claim.release();
      assertEquals(false, claim.heldByCurrentThread());
      inThreadRethrowing(() -> {
        claim.acquire(STORE, "run wasm in it");
        claim.release();
      });
    }
  }

  /**
   * Making room takes over a claim its holder left when it ended, as every other claim does, in
   * each way a dead thread can hold it (the general way, the biased way, a making-room record it
   * abandoned or never let go): the dead thread's releases are paid out of that claim and the
   * making-room claim is then released like any (issue 35: it returned null, so another store's
   * instantiation found no room while the store stayed held by nobody alive).
   */
  @Test
  void makingRoomTakesOverAClaimWhoseHolderEnded() throws Exception {
    for (String way : new String[] {"general", "biased", "making room"}) {
      ThreadClaim claim = new ThreadClaim();
      Thread dying = new Thread(() -> {
        if (way.equals("biased")) {
          claim.acquire(STORE, "run wasm in it");
          claim.release(); // the bias is this thread's now
        }
        if (way.equals("making room")) {
          claim.tryAcquireToMakeRoom();
        } else {
          claim.acquire(STORE, "run wasm in it");
        }
        claim.acquire(STORE, "read a global"); // nested
        claim.owed += 2; // both frames counted their releases first; both releases then overflowed
      }, "dying");
      dying.start();
      dying.join(); // its end happens-before join's return (JLS 17.4.4)
      ThreadClaim.MakingRoom room = claim.tryAcquireToMakeRoom();
      assertTrue(room != null, "the " + way + " claim of a dead thread was passed over");
      assertTrue(claim.heldByCurrentThread(), way);
      assertEquals(0, claim.owed, "the dead thread's releases were paid at the takeover, " + way);
      claim.acquire(STORE, "free an instance");
      claim.release();
      assertTrue(claim.heldByCurrentThread(), "a release the dead thread owed was paid out of this claim, " + way);
      claim.release();
      assertEquals(false, claim.heldByCurrentThread(), way);
      inThreadRethrowing(() -> {
        claim.acquire(STORE, "run wasm in it");
        claim.release();
      });
    }
  }

  /**
   * A claim whose holder is alive is refused as before, however long ago it came in: only a
   * terminated thread's claim is taken over.
   */
  @Test
  void aLiveHolderIsNeverTakenOver() throws Exception {
    ThreadClaim claim = new ThreadClaim();
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch leave = new CountDownLatch(1);
    Thread holder = new Thread(() -> {
      claim.acquire(STORE, "run wasm in it");
      claim.owed++; // owing, but alive
      inside.countDown();
      try {
        leave.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      claim.settleOwed();
    }, "holder");
    holder.start();
    inside.await();
    String refused = assertThrows(IllegalStateException.class, () -> claim.acquire(STORE, "run wasm in it"))
        .getMessage();
    assertTrue(refused.contains("in use by thread \"holder\""), refused);
    leave.countDown();
    holder.join();
    claim.acquire(STORE, "run wasm in it");
    claim.release();
    assertEquals(false, claim.heldByCurrentThread());
  }

  /** Runs {@code body} on another thread and throws here what it threw there. */
  private static void inThreadRethrowing(Runnable body) throws Exception {
    RuntimeException thrown = inThread("other", () -> {
      try {
        body.run();
        return null;
      } catch (RuntimeException e) {
        return e;
      }
    });
    if (thrown != null) {
      throw thrown;
    }
  }

  private static <T> T inThread(String name, Callable<T> body) throws Exception {
    ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, name));
    try {
      return thread.submit(body).get();
    } finally {
      thread.shutdown();
    }
  }
}
