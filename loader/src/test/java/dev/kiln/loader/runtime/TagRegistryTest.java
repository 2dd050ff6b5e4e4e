package dev.kiln.loader.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.info.FuncType;
import dev.kiln.loader.sys.ArraysThatRunOut;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/**
 * The rule of {@link TagRegistry} without compiled code: a tag whose last instance is freed leaves
 * at once when the heap holds no object, else stays, charged {@link TagRegistry#RETAINED_BYTES} to
 * the store's memory limit, until a collection reports the live exception objects' tags ({@link
 * LiveTags}); the tags such a collection does not name leave and give their charge back. Enough
 * waiting tags, or a refused charge, make a collection due.
 */
class TagRegistryTest {
  private static ExceptionTag tag(long identity) {
    return new ExceptionTag() {
      @Override
      public long identity() {
        return identity;
      }

      @Override
      public FuncType type() {
        return new FuncType(List.of(), List.of());
      }

      @Override
      public int typeId() {
        return 0;
      }
    };
  }

  private static LiveTags liveTags(long... identities) {
    LiveTags live = new LiveTags();
    for (long identity : identities) {
      live.add(identity);
    }
    return live;
  }

  @Test
  void aTagStaysWhileALiveObjectNamesItAndIsChargedMeanwhile() {
    try (NativeStore store = new NativeStore(StoreLimits.DEFAULTS)) {
      StoreResources.Budget memory = store.resources().memoryBytes();
      TagRegistry tags = new TagRegistry(memory);
      ExceptionTag named = tag(1);
      ExceptionTag unnamed = tag(2);
      ExceptionTag imported = tag(3);
      tags.register(named);
      tags.register(unnamed);
      tags.register(imported);
      tags.register(imported); // a second instance imports it
      long before = memory.used();
      tags.release(named, true);
      tags.release(unnamed, true);
      tags.release(imported, true);
      assertEquals(3, tags.size(), "kept until a collection tells");
      assertEquals(before + 2 * TagRegistry.RETAINED_BYTES, memory.used(), "each tag kept past its instances is charged");
      tags.collected(liveTags(1, 3), 0);
      assertEquals(2, tags.size());
      assertTrue(tags.tag(1).isPresent());
      assertFalse(tags.tag(2).isPresent(), "no live object names it");
      assertTrue(tags.tag(3).isPresent(), "an instance still holds it");
      assertEquals(before + TagRegistry.RETAINED_BYTES, memory.used());
      tags.collected(liveTags(), 0);
      assertEquals(1, tags.size());
      assertEquals(before, memory.used(), "every charge given back");
    }
  }

  /**
   * An {@code OutOfMemoryError} where the list of tags past their instances grows leaves the tag as
   * it was, held by its instance: the free's retry lets it go, and the next collection that finds no
   * object naming it lets every tag go (issue 35: the count went down before the list grew, and a
   * retry counted it down again past a list it was never on, keeping the tag for the store's life).
   */
  @Test
  void anOutOfMemoryErrorWhereTheListGrowsLeavesTheTagForTheRetry() {
    ArraysThatRunOut arrays = new ArraysThatRunOut(1);
    TagRegistry tags = new TagRegistry(null, arrays);
    int count = 40;
    for (int t = 0; t < count; t++) {
      tags.register(tag(t));
    }
    int failed = -1;
    for (int t = 0; t < count; t++) {
      try {
        tags.release(tag(t), true);
      } catch (OutOfMemoryError injected) {
        failed = t;
        tags.release(tag(t), true); // the instance free's retry
      }
    }
    assertTrue(arrays.ranOut(), "the list never grew");
    assertEquals(16, failed, "the list's first growth");
    assertEquals(count, tags.size(), "kept until a collection tells");
    tags.collected(liveTags(), 0);
    assertEquals(0, tags.size(), "a tag no instance holds and no object names stayed");
  }

  /**
   * A collection interrupted half way, by an {@code OutOfMemoryError} out of the test of its live
   * tags here (the boxed key of a removal, before), leaves every tag waiting on the list once and
   * none that left the registry: the next collection settles each as it should (issue 35: the tags
   * that stayed had moved to the front in place, the count was set at the end, and one stayed on the
   * list twice).
   */
  @Test
  void aCollectionInterruptedHalfWayLeavesEachWaitingTagOnceOnTheList() {
    TagRegistry tags = new TagRegistry();
    int count = 6;
    for (long identity = 1; identity <= count; identity++) {
      tags.register(tag(identity));
      tags.release(tag(identity), true);
    }
    assertEquals(count, tags.waiting());
    // Even identities are named: the third tag tested runs out after one that stays and one that
    // leaves, whichever end the collection starts from
    int[] tested = {0};
    LongPredicate runsOut = identity -> {
      if (++tested[0] == 3) {
        throw new OutOfMemoryError("Java heap space (injected at the third tag)");
      }
      return identity % 2 == 0;
    };
    assertThrows(OutOfMemoryError.class, () -> tags.collected(runsOut, 0));
    assertEquals(count - 1, tags.size(), "the tag no object named left the registry");
    assertEquals(tags.size(), tags.waiting(), "the waiting tags, each once on the list");
    tags.collected(liveTags(2, 4, 6), 0);
    assertEquals(3, tags.size());
    assertEquals(3, tags.waiting());
    tags.collected(liveTags(), 0);
    assertEquals(0, tags.size());
    assertEquals(0, tags.waiting());
  }

  @Test
  void withNoObjectInTheHeapATagLeavesAtOnce() {
    try (NativeStore store = new NativeStore(StoreLimits.DEFAULTS)) {
      TagRegistry tags = new TagRegistry(store.resources().memoryBytes());
      long before = store.resources().memoryBytes().used();
      tags.register(tag(1));
      tags.release(tag(1), false);
      assertEquals(0, tags.size());
      assertFalse(tags.collectionDue());
      assertEquals(before, store.resources().memoryBytes().used());
    }
  }

  @Test
  void enoughWaitingTagsOrARefusedChargeMakeACollectionDue() {
    try (NativeStore store = new NativeStore(StoreLimits.DEFAULTS)) {
      TagRegistry tags = new TagRegistry(store.resources().memoryBytes());
      for (int i = 1; i <= TagRegistry.MIN_KEPT_FOR_COLLECTION; i++) {
        assertFalse(tags.collectionDue(), "after " + (i - 1) + " kept tags");
        tags.register(tag(i));
        tags.release(tag(i), true);
      }
      assertTrue(tags.collectionDue());
      tags.collected(liveTags(), 0);
      assertFalse(tags.collectionDue());
      // a large live heap: the waiting tags' charges must weigh as much before it is copied again
      long liveBytes = 1000 * TagRegistry.RETAINED_BYTES;
      tags.collected(liveTags(), liveBytes);
      for (int i = 1; i <= 1000; i++) {
        tags.register(tag(i));
        tags.release(tag(i), true);
        assertEquals(i == 1000, tags.collectionDue(), "after " + i + " kept tags, " + liveBytes + " live bytes");
      }
    }
    long limit = 64 * 1024;
    try (NativeStore store = new NativeStore(StoreLimits.DEFAULTS.withMaxMemoryBytes(limit))) {
      StoreResources.Budget memory = store.resources().memoryBytes();
      memory.tryTake(limit - memory.used());
      TagRegistry tags = new TagRegistry(memory);
      tags.register(tag(1));
      tags.release(tag(1), true);
      assertEquals(1, tags.size(), "kept though the limit refused its charge: an object may name it");
      assertTrue(tags.collectionDue(), "a refused charge makes a collection due at once");
      tags.collected(liveTags(), 0);
      assertEquals(0, tags.size());
      assertEquals(limit, memory.used(), "nothing given back that was not taken");
    }
  }

  @Test
  void liveTagsHoldsEveryIdentityAdded() {
    LiveTags live = new LiveTags();
    List<Long> added = new ArrayList<>();
    for (long identity = 1; identity <= 5000; identity += 3) {
      live.add(identity);
      live.add(identity); // runs of one tag
      added.add(identity);
    }
    for (long identity = 1; identity <= 5002; identity++) {
      assertEquals(added.contains(identity), live.test(identity), "identity " + identity);
    }
  }
}
