package dev.kiln.emulator;

import dev.kiln.loader.exec.GuardedUpcall;
import dev.kiln.loader.exec.UpcallShape;
import dev.kiln.loader.sys.SharedArenaClose;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * One Unicorn AArch64 engine of a {@link UnicornExecutor}, used for the entries of one nesting
 * depth (an entry made by a host function that emulated code called runs on the next engine, since
 * a running engine cannot be started again). Host memory appears in the guest at its own address:
 * the executor's stack and stub page are mapped when the engine is made, everything else (code,
 * VMContexts, memories, tables, value arrays) when the guest first touches it, from the unmapped-
 * memory hook, with the host's protections ({@link #guestPermissions}: code R-X, data RW-, never
 * both), in windows {@link GuestWindows} records. Both hooks are added before the first {@code
 * uc_emu_start}: Unicorn may ignore a hook added after the code it covers was translated.
 */
final class EmulatedCpu implements AutoCloseable {
  /**
   * Granule of lazy mapping: the faulting address's aligned 1 MiB window, cut to the host mapping
   * containing it. Small enough not to cover much stale host memory, large enough that a memory or
   * a heap region is mapped in a few faults.
   */
  static final long WINDOW = 1L << 20;

  private static final MethodHandle ON_CODE;
  private static final MethodHandle ON_UNMAPPED;
  private static final MethodHandle ON_UNMAPPED_FAILED;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      ON_CODE = lookup.findVirtual(EmulatedCpu.class, "onCode", UpcallShape.TYPE);
      ON_UNMAPPED = lookup.findVirtual(EmulatedCpu.class, "onUnmapped", UpcallShape.TYPE);
      ON_UNMAPPED_FAILED = lookup.findVirtual(EmulatedCpu.class, "onUnmappedFailed",
          UpcallShape.TYPE.insertParameterTypes(0, Throwable.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** What the code hook on the stub page calls. */
  @FunctionalInterface
  interface HostCallHandler {
    /**
     * The guest reached the stub-page slot at {@code address}: make its host call and, last, send
     * the guest back to x30. Whatever it throws leaves the guest on the slot's {@code UDF}, which
     * stops the emulation ({@link HostCallStubs}).
     */
    void onHostCall(EmulatedCpu cpu, long address) throws Throwable;
  }

  final Unicorn unicorn;
  private final HostCallHandler handler;
  private final Arena hooks = Arena.ofShared();
  private final GuestWindows windows;
  private long codeWritesSeen = CodeWrites.count();
  private long faults;
  /** What the unmapped-memory hook threw in the current emulation run, or null. */
  private Throwable mappingFailure;
  /** The address the hook last found no host memory at (the run stopped there), or -1. */
  private long refusedAddress = -1;

  /**
   * @param mapping the engine's {@link GuestWindows.Mapper}: {@code unicorn -> unicorn::mapIdentity},
   *     or a test's failure in front of it
   */
  EmulatedCpu(HostCallHandler handler, Function<Unicorn, GuestWindows.Mapper> mapping, long stackBase, long stackSize,
      long stubBase, long stubSize) {
    this.handler = handler;
    this.unicorn = Unicorn.openArm64();
    try {
      windows = new GuestWindows(mapping.apply(unicorn));
      windows.map(stackBase, stackBase + stackSize, Unicorn.UC_PROT_READ | Unicorn.UC_PROT_WRITE);
      // The guest reaches the stub page's slots and never writes it (Java fills them).
      windows.map(stubBase, stubBase + stubSize, Unicorn.UC_PROT_READ | Unicorn.UC_PROT_EXEC);
      // Unicorn's hooks have C signatures the upcall shape covers (UpcallShape says why it is exact):
      // void hook(uc_engine*, uint64_t address, uint32_t size, void* user_data), and bool
      // hook(uc_engine*, uc_mem_type, uint64_t address, int size, int64_t value, void* user_data),
      // whose sixth argument nobody reads; a bool result is the low byte of the long.
      // No recovery: a hook that throws has not moved the pc, and the slot's UDF stops the guest.
      MemorySegment code = GuardedUpcall.of(ON_CODE.bindTo(this), 0).stub(hooks);
      unicorn.addHook(Unicorn.UC_HOOK_CODE, code, stubBase, stubBase + stubSize - 1);
      MemorySegment unmapped = GuardedUpcall.of(ON_UNMAPPED.bindTo(this), ON_UNMAPPED_FAILED.bindTo(this), 0)
          .stub(hooks);
      unicorn.addHook(Unicorn.UC_HOOK_MEM_UNMAPPED, unmapped, 1, 0);
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /** Lazy mappings made so far (for measurements). */
  long faults() {
    return faults;
  }

  /** Drops translations of code the host rewrote since this engine last ran. */
  void forgetRewrittenCode() {
    long now = CodeWrites.count();
    if (codeWritesSeen == now) {
      return;
    }
    Optional<List<long[]>> ranges = CodeWrites.since(codeWritesSeen);
    if (ranges.isEmpty()) {
      // Fell behind the log: forget the translations of everything this engine mapped.
      for (GuestWindows.Window window : windows.all()) {
        unicorn.removeCache(window.start(), window.end());
      }
    } else {
      for (long[] range : ranges.get()) {
        // Only what this engine mapped can have been translated.
        for (GuestWindows.Window part : windows.within(range[0], range[1])) {
          unicorn.removeCache(part.start(), part.end());
        }
      }
    }
    codeWritesSeen = now;
  }

  /**
   * What the unmapped-memory hook threw since the last call, if anything (the run stopped there),
   * forgotten once read.
   */
  Optional<Throwable> takeMappingFailure() {
    Throwable failure = mappingFailure;
    mappingFailure = null;
    return Optional.ofNullable(failure);
  }

  /**
   * The address the run stopped at because the host has no memory there, if it did, forgotten once
   * read.
   */
  OptionalLong takeRefusedAddress() {
    long address = refusedAddress;
    refusedAddress = -1;
    return address == -1 ? OptionalLong.empty() : OptionalLong.of(address);
  }

  /** The code hook ({@code void hook(uc_engine*, uint64_t address, uint32_t size, void*)}). */
  @SuppressWarnings("unused") // called from native code through the hook's upcall stub
  private long onCode(long engine, long address, long size, long userData, long unused) throws Throwable {
    handler.onHostCall(this, address);
    return 0;
  }

  /**
   * The guest touched an address no mapping covers: map the host memory there, if the host has it
   * readable, and let Unicorn retry. Returning false stops the emulation with Unicorn's unmapped
   * access error: the guest touched memory the host does not have. A throw is {@link
   * #onUnmappedFailed}'s.
   */
  @SuppressWarnings("unused") // called from native code through the hook's upcall stub
  private long onUnmapped(long engine, long type, long address, long size, long value) {
    Optional<HostMappings.Mapping> host = HostMappings.containing(address);
    if (host.isEmpty() || !host.get().readable()) {
      refusedAddress = address;
      return 0;
    }
    Optional<GuestWindows.Window> window = windows.freeAround(address,
        Math.max(host.get().start(), address & -WINDOW), Math.min(host.get().end(), (address & -WINDOW) + WINDOW));
    if (window.isEmpty()) {
      return 0;
    }
    windows.map(window.get().start(), window.get().end(), guestPermissions(host.get()));
    faults++;
    return 1;
  }

  /**
   * The unmapped-memory hook's guard ({@link GuardedUpcall}) calls this with whatever {@link
   * #onUnmapped} threw (an {@code OutOfMemoryError} reading {@code /proc/self/maps} or recording the
   * window, Unicorn refusing the mapping): the guest did nothing wrong, so the entry must report
   * this failure, not the unmapped access Unicorn reports for a hook that answers false (red team
   * 31 F2). Recorded and the emulation stopped, both without allocating (a field write, and {@code
   * uc_emu_stop}); the executor throws it once the run returns.
   */
  @SuppressWarnings("unused") // called by the unmapped-memory hook's guard
  private long onUnmappedFailed(Throwable failure, long engine, long type, long address, long size, long value) {
    mappingFailure = failure;
    unicorn.stop();
    return 0;
  }

  /**
   * What the guest may do with a host mapping: read it, and write it or run it, never both. Code
   * the loader publishes is R-X on the host and stays so for the guest (compiled code that wrote it
   * stops with a write-protection error); data (memories, tables, VMContexts, the GC heap) is RW- and
   * never runs. A host mapping that is both (the JVM's own code cache) is data to the guest: no
   * code of a module lies in one, so nothing the guest should run is lost, and the guest cannot
   * write code it then runs.
   */
  static int guestPermissions(HostMappings.Mapping host) {
    int perms = Unicorn.UC_PROT_READ;
    if (host.writable()) {
      perms |= Unicorn.UC_PROT_WRITE;
    } else if (host.executable()) {
      perms |= Unicorn.UC_PROT_EXEC;
    }
    return perms;
  }

  /** Resumable: each part is closed once, and a close a throwable interrupted finishes at the next. */
  @Override
  public void close() {
    unicorn.close();
    SharedArenaClose.closeIfOpen(hooks, "closing an emulated CPU");
  }
}
