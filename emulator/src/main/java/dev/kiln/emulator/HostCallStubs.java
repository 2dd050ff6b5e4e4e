package dev.kiln.emulator;

import dev.kiln.loader.sys.Protection;
import dev.kiln.loader.sys.VirtualMemory;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * The emulator's stub page: host memory mapped into the guest in which every 4-byte slot is {@code
 * UDF #0} ({@code 0x00000000}, permanently undefined, Arm ARM C6.2.396). A slot's address is what
 * compiled code calls for one Java host function; the emulator's code hook on the page runs the
 * function before the slot's instruction would execute and, as the last thing it does, sets the pc
 * to x30, so the guest returns exactly as from a native callee. A hook that does not get that far
 * (the function or anything around it threw, or the slot is free) leaves the guest on the {@code
 * UDF}, which stops the emulation there: the guest never runs on past a host call that did not
 * happen (issue 35: with a {@code RET} in the slot it did, and took the stale x0 for the call's
 * answer). Slot 0 is the exit address: entries return there, and the emulation stops on reaching it.
 *
 * <p>Slots are handed out and given back by the executor's thread and by arena cleanups (any
 * thread), so allocation is synchronized.
 */
final class HostCallStubs implements AutoCloseable {
  /** Bytes of the stub page: 16384 slots. */
  static final long SIZE = 64 * 1024;
  private static final int UDF_0 = 0x00000000;
  private static final int SLOT = 4;

  /**
   * A Java function compiled code calls through a slot: {@code spread} is the target taking its
   * arguments as one {@code Object[]} and returning {@code Object}, built once so a call costs no
   * {@code invokeWithArguments} adaptation.
   */
  record HostCall(MethodHandle spread, FunctionDescriptor descriptor) {
    static HostCall of(MethodHandle target, FunctionDescriptor descriptor) {
      int arity = target.type().parameterCount();
      return new HostCall(target.asSpreader(Object[].class, arity)
          .asType(MethodType.methodType(Object.class, Object[].class)), descriptor);
    }
  }

  /** Slots {@link #calls} starts with: an executor's helpers and a store's few entries. */
  private static final int INITIAL_CALLS = 16;

  private final VirtualMemory page;
  /**
   * Function by slot, grown as slots are handed out up to the page's: each store's executor has
   * one, and most use a handful of slots (the page's 16,384 as an array were 64 KiB a store).
   */
  private HostCall[] calls = new HostCall[INITIAL_CALLS];
  /** Slots of the page. */
  private final int slots;
  private final Deque<Integer> free = new ArrayDeque<>();
  private int next = 1;

  HostCallStubs() {
    page = VirtualMemory.reserve(SIZE);
    page.protect(0, page.size(), Protection.READ_WRITE);
    MemorySegment words = page.segment();
    for (long offset = 0; offset < page.size(); offset += SLOT) {
      words.set(ValueLayout.JAVA_INT_UNALIGNED, offset, UDF_0);
    }
    page.protect(0, page.size(), Protection.READ_EXECUTE);
    slots = (int) (page.size() / SLOT);
  }

  long base() {
    return page.address();
  }

  long size() {
    return page.size();
  }

  /** Where entries return to. */
  long exitAddress() {
    return page.address();
  }

  /** A slot for {@code call}; its address is the function's. */
  synchronized long add(HostCall call) {
    int slot;
    if (!free.isEmpty()) {
      slot = free.pop();
    } else if (next < slots) {
      slot = next++;
      if (slot >= calls.length) {
        calls = Arrays.copyOf(calls, Math.min(calls.length * 2, slots));
      }
    } else {
      throw new EmulatorException("all " + (slots - 1) + " host-call slots of the emulator are in use");
    }
    calls[slot] = call;
    return page.address() + (long) slot * SLOT;
  }

  /** Frees the slot at {@code address}. */
  synchronized void remove(long address) {
    int slot = slotOf(address);
    if (slot > 0 && slot < calls.length && calls[slot] != null) {
      calls[slot] = null;
      free.push(slot);
    }
  }

  /** The function at {@code address}, or null (the exit slot, a freed slot). */
  synchronized HostCall at(long address) {
    int slot = slotOf(address);
    return slot < 0 || slot >= calls.length ? null : calls[slot];
  }

  /** Whether {@code address} is a slot of a host function (any slot of the page but the exit). */
  boolean isCallSlot(long address) {
    return slotOf(address) > 0;
  }

  private int slotOf(long address) {
    long offset = address - page.address();
    return offset < 0 || offset >= page.size() || offset % SLOT != 0 ? -1 : (int) (offset / SLOT);
  }

  @Override
  public void close() {
    page.close();
  }
}
