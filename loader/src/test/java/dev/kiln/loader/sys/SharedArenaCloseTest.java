package dev.kiln.loader.sys;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue 35: a close that a {@code StackOverflowError} interrupts is finished by the next close,
 * never left half done for good. A shared arena's close cannot be finished (JDK 25's {@code
 * SharedSession.justClose}: an overflow after its count swap and before its state write makes every
 * later close spin for ever; one after the state write leaves the cleanups, here the {@code
 * munmap}, never run), so it must not start without room to finish ({@link SharedArenaClose}); an
 * image file's and a guard-fault entry's close mark themselves done only after their steps. Each is
 * closed at every depth of a window at the end of a thread's stack, then closed again at the top:
 * that close must return (a hang is the child JVM's time limit running out) and nothing of it may
 * be left (pages in {@code /proc/self/maps}, a descriptor in {@code /proc/self/fd}, a registered
 * range or a changed count of entries).
 */
class SharedArenaCloseTest {
  /** Levels above the stack's end at which each kind is closed: all the child does, three times over. */
  private static final int WINDOW = 3_000;

  /**
   * In a child JVM that only interprets (-Xint), where every call the JDK's close makes is a frame
   * the overflow can land in, on a thread with a small stack.
   */
  @Test
  void aCloseInterruptedAnywhereIsFinishedByTheNext() throws Exception {
    String output = StackEndSweeps.inAChildJvm(SharedArenaCloseTest.class);
    assertTrue(output.contains("a guard-fault entry: interrupted "), output);
  }

  /** The child JVM's sweep; exits 1 with the first broken invariant. */
  public static void main(String[] args) throws InterruptedException {
    StackEndSweeps.onASmallStack(SharedArenaCloseTest::sweep);
  }

  private static void sweep() throws Exception {
    int end = StackEndSweeps.stackEnd();
    sweepCloses("a reservation", end, () -> {
      VirtualMemory pages = VirtualMemory.reserve(VirtualMemory.pageSize());
      long address = pages.address();
      return new Made(pages, () -> StackEndSweeps.mapped(address));
    });
    int[] images = {0};
    sweepCloses("an image file", end, () -> {
      String name = "kiln-sweep-" + images[0]++;
      ImageFile image = ImageFile.create(name, VirtualMemory.pageSize(), bytes -> { });
      long address = image.contents().address();
      return new Made(image, () -> StackEndSweeps.mapped(address) || descriptorOpen(name));
    });
    long start = 1L << 40;
    int registered = WasmFaults.registeredMemories();
    sweepCloses("a guard-fault entry", end, () -> new Made(WasmFaults.registerMemory(1, start, start + 4096),
        () -> WasmFaults.inMemoryReservation(start) || WasmFaults.registeredMemories() != registered));
  }

  /** Something to close, and whether anything of it is left (read after its close). */
  private record Made(AutoCloseable closeable, Left left) {}

  private interface Left {
    boolean left() throws IOException;
  }

  private interface Make {
    Made make() throws Exception;
  }

  /**
   * Closes one thing {@code make} makes at every depth of a window above {@code end} (made and
   * closed once at the top first: the sweep is about the close, not first uses); where that close
   * was interrupted, closes it again at the top, which must return, and then nothing of it may be
   * left (checked at once, before anything else can take what it gave back).
   */
  private static void sweepCloses(String what, int end, Make make) throws Exception {
    make.make().closeable().close();
    int interrupted = 0;
    int completed = 0;
    for (int depth = Math.max(0, end - WINDOW); depth <= end; depth++) {
      Made made = make.make();
      if (StackEndSweeps.callAtDepth(depth, () -> closeUnchecked(made.closeable()))) {
        completed++;
        continue;
      }
      interrupted++;
      made.closeable().close(); // must finish, not spin: the child's time limit is the test's
      if (made.left().left()) {
        throw new AssertionError(what + ", depth " + depth + ": still there after a second close");
      }
    }
    if (interrupted == 0 || completed == 0) {
      throw new AssertionError(what + ": the window missed the stack's end: " + interrupted + " interrupted, "
          + completed + " completed");
    }
    System.out.println(what + ": interrupted " + interrupted + ", completed " + completed);
  }

  private static void closeUnchecked(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether a descriptor of this process is open on the memfd named {@code name}. */
  private static boolean descriptorOpen(String name) throws IOException {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          if (Files.readSymbolicLink(fd).toString().startsWith("/memfd:" + name + " ")) {
            return true;
          }
        } catch (IOException gone) {
          // the listing's own descriptor, closed by now
        }
      }
    }
    return false;
  }
}
