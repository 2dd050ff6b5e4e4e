package dev.kiln.loader.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.exec.NativeExecutor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When the store frees its objects: handle, users, pins, calls in progress, the store's close. */
class LifetimeTest {
  private final NativeStore store = new NativeStore();
  /** Names of the objects freed so far, in order. */
  private final List<String> freed = new ArrayList<>();

  @AfterEach
  void close() {
    store.close();
  }

  private Lifetime adopt(String name, boolean pinned) {
    return store.adopt(name, () -> freed.add(name), pinned);
  }

  @Test
  void closingAnUnusedObjectFreesItOnce() {
    Lifetime a = adopt("a", false);
    assertTrue(a.isOpen());
    a.close();
    a.close();
    assertEquals(List.of("a"), freed);
    assertFalse(a.isOpen());
    assertFalse(a.isAlive());
    assertEquals("a was freed (closed, and no instance uses it any more)",
        assertThrows(IllegalStateException.class, a::checkAlive).getMessage());
  }

  /**
   * A free that throws part way (a {@code StackOverflowError} at one of its calls, or any failure) is
   * finished by the next point that frees, its second close here, which runs what it left and no
   * step twice: dropped before it ran, an interrupted free lost the object, its pool slot with it,
   * for good (issue 35, red team 22 F2). What {@link Lifetime#whenFreed} added runs once, after it.
   */
  @Test
  void aFreeThatThrowsIsFinishedByTheNextCloseNotLost() {
    List<String> steps = new ArrayList<>();
    int[] failuresLeft = {1};
    Lifetime a = store.adopt("a", () -> {
      if (!steps.contains("first step")) {
        steps.add("first step");
      }
      if (failuresLeft[0]-- > 0) {
        throw new StackOverflowError("an overflow at the free's second step");
      }
      steps.add("second step");
    }, false);
    a.whenFreed(() -> steps.add("afterwards"));
    assertThrows(StackOverflowError.class, a::close);
    assertFalse(a.isAlive(), "begun: no longer alive");
    assertEquals(List.of("first step"), steps);
    a.close();
    assertEquals(List.of("first step", "second step", "afterwards"), steps);
    a.close();
    store.close();
    assertEquals(List.of("first step", "second step", "afterwards"), steps, "run again after it finished");
  }

  /** A free the store's close could not finish is finished by the next close, and the store closes then. */
  @Test
  void aStoreCloseThatAFreeInterruptedIsFinishedByTheNextClose() {
    int[] failuresLeft = {1};
    store.adopt("failing", () -> {
      if (failuresLeft[0]-- > 0) {
        throw new StackOverflowError("an overflow in the free");
      }
      freed.add("failing");
    }, false);
    adopt("plain", false);
    assertThrows(StackOverflowError.class, store::close);
    assertTrue(store.isClosed(), "closed to everything else at once");
    assertEquals(List.of("plain"), freed, "the other objects freed all the same");
    store.close();
    assertEquals(List.of("plain", "failing"), freed);
  }

  @Test
  void aClosedObjectLivesUntilItsLastUserIsReleased() {
    Lifetime exporter = adopt("exporter", false);
    Lifetime importer = adopt("importer", false);
    exporter.use(importer);
    exporter.use(importer);
    exporter.close();
    assertFalse(exporter.isOpen(), "closed for Java");
    assertTrue(exporter.isAlive(), "still used");
    assertEquals("exporter is closed", assertThrows(IllegalStateException.class, exporter::checkOpen).getMessage());
    exporter.release(importer);
    assertEquals(List.of(), freed);
    exporter.release(importer);
    assertEquals(List.of("exporter"), freed);
  }

  @Test
  void nothingNewCanUseAClosedObject() {
    Lifetime a = adopt("a", false);
    Lifetime importer = adopt("importer", false);
    a.use(importer);
    a.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.use(importer));
    assertEquals("a is closed; nothing new can link to it", e.getMessage());
  }

  @Test
  void aPinnedObjectLivesUntilTheStoreClosesWhichFreesEverythingInReverse() {
    Lifetime first = adopt("first", true);
    Lifetime second = adopt("second", false);
    Lifetime third = adopt("third", false);
    third.pin();
    second.use(third);
    first.close();
    second.close();
    third.close();
    assertEquals(List.of(), freed, "pinned or used: none of them goes before the store");
    store.close();
    assertEquals(List.of("third", "second", "first"), freed);
    assertDoesNotThrow(() -> second.release(third), "a release after the store closed is harmless");
    assertDoesNotThrow(first::close);
  }

  /** The open check of every call reads one flag, which the store's free clears too. */
  @Test
  void anObjectTheStoreFreesWithItsHandleOpenIsNoLongerOpen() {
    Lifetime kept = adopt("kept", false);
    store.close();
    assertFalse(kept.isAlive());
    assertFalse(kept.isOpen());
    assertEquals("kept is closed", assertThrows(IllegalStateException.class, kept::checkOpen).getMessage());
  }

  @Test
  void anObjectClosedWhileWasmRunsIsFreedWhenTheOutermostEntryReturns() {
    Lifetime running = adopt("running", false);
    store.entries().enter(NativeExecutor.forHost());
    store.entries().enter(NativeExecutor.forHost());
    running.close();
    assertTrue(running.isAlive(), "its code may be on the stack");
    store.entries().exit();
    assertTrue(running.isAlive());
    store.entries().exit();
    assertEquals(List.of("running"), freed);
  }

  @Test
  void anotherThreadCannotCloseAnObjectWhileTheStoreIsInUse() throws Exception {
    Lifetime a = adopt("a", false);
    store.entries().enter(NativeExecutor.forHost());
    try {
      Throwable[] seen = new Throwable[1];
      Thread other = new Thread(() -> seen[0] = assertThrows(IllegalStateException.class, a::close));
      other.start();
      other.join();
      assertTrue(seen[0].getMessage().contains("cannot close a"), String.valueOf(seen[0]));
      assertTrue(a.isOpen());
    } finally {
      store.entries().exit();
    }
  }

  @Test
  void functionReferencesMustBeVmFuncRefsOfLiveObjectsAndPinThem() {
    long base = 0x10_0000L;
    Lifetime owner = adopt("owner", false);
    store.registerFunctionReferences(base, 3, owner);
    store.checkFunctionReference(0);
    assertEquals(List.of(), freed);
    for (long bad : new long[] {base - VmLayout.FUNC_REF_SIZE, base + 8, base + 3 * VmLayout.FUNC_REF_SIZE, 1}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.checkFunctionReference(bad));
      assertTrue(e.getMessage().contains(" is not a function reference of " + store), e.getMessage());
      assertFalse(e.getMessage().contains("0x"), "the word is not echoed: " + e.getMessage());
      if (bad > 0xFFFF) {
        assertFalse(e.getMessage().contains(Long.toHexString(bad)), "the word is not echoed: " + e.getMessage());
      }
    }
    store.checkFunctionReference(base + 2 * VmLayout.FUNC_REF_SIZE);
    owner.close();
    assertTrue(owner.isAlive(), "a reference handed to the store pins its owner");
    store.unregisterFunctionReferences(base);
    assertThrows(IllegalArgumentException.class, () -> store.checkFunctionReference(base));
  }
}
