package dev.kiln.wasi;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.GuestMemory;
import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.abi.Rights;
import dev.kiln.wasi.abi.WasiException;
import dev.kiln.wasi.fs.Descriptor;
import dev.kiln.wasi.fs.DirectoryDescriptor;
import dev.kiln.wasi.fs.FileDescriptor;
import dev.kiln.wasi.fs.StreamDescriptor;
import dev.kiln.wasi.fs.WaitLimit;
import dev.kiln.wasi.sys.Linux;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * poll_oneoff(in: *subscription, out: *event, nsubscriptions, nevents: *size): waits until at least
 * one subscription is ready and reports every ready one. A clock subscription is ready at its
 * deadline (timeout relative to the clock's value when the call started, or absolute with
 * subscription_clock_abstime). A regular file is always ready (nbytes: bytes left to read); an
 * output stream is always writable; an input stream is readable once it has bytes available, which
 * is checked every millisecond while nothing else is ready. A subscription naming a bad descriptor
 * or clock is ready at once with that errno in its event (witx event.error), as poll(2) reports
 * POLLNVAL per entry. A timeout of 2^63 or more (u64) is never reached, and a wait that the
 * caller's deadline ends traps ({@link WaitLimit}); so does a scan of many subscriptions, checked
 * every {@link #SUBSCRIPTIONS_PER_CHECK}.
 */
public final class PollFunctions {
  /** How often an input stream is rechecked while waiting. */
  private static final long STREAM_RECHECK_NANOS = 1_000_000;
  /**
   * The most subscriptions one call takes (more is {@link Errno#INVAL}, as poll(2) refuses more
   * descriptors than RLIMIT_NOFILE): each becomes a Java object while the call waits, so a guest
   * must not name as many as its memory holds.
   */
  static final int MAX_SUBSCRIPTIONS = 1 << 16;
  /**
   * How many subscriptions are looked at between two checks of the deadline: a file's costs two
   * system calls (statx, lseek), so a scan of {@link #MAX_SUBSCRIPTIONS} is tens of milliseconds,
   * and ready descriptors make the call return without ever waiting.
   */
  static final int SUBSCRIPTIONS_PER_CHECK = 1 << 10;

  private final WasiContext context;
  private final ProcessFunctions clocks;

  PollFunctions(WasiContext context, ProcessFunctions clocks) {
    this.context = context;
    this.clocks = clocks;
  }

  private record Subscription(long userdata, int type, int clockId, long deadline, int fd) {}

  private record Event(long userdata, Errno error, int type, long nbytes, int flags) {}

  public int pollOneoff(MemorySegment memory, int in, int out, int nsubscriptions,
      int neventsPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      if (nsubscriptions == 0) {
        throw new WasiException(Errno.INVAL, "no subscriptions");
      }
      long count = Integer.toUnsignedLong(nsubscriptions);
      if (count > MAX_SUBSCRIPTIONS) {
        throw new WasiException(Errno.INVAL, count + " subscriptions");
      }
      long events = m.range(out, count * Layouts.EVENT_SIZE);
      long nevents = m.range(neventsPtr, 4);
      // The subscriptions are copied out once and parsed from the copy: the guest's memory is not
      // read again while the call waits.
      byte[] copied = m.read(GuestMemory.pointer(in), (int) (count * Layouts.SUBSCRIPTION_SIZE));
      ByteBuffer raw = ByteBuffer.wrap(copied)
          .order(ByteOrder.LITTLE_ENDIAN);
      List<Subscription> subscriptions = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        subscriptions.add(read(raw, i * Layouts.SUBSCRIPTION_SIZE));
      }
      List<Event> ready;
      while ((ready = ready(subscriptions)).isEmpty()) {
        context.waitLimit().check();
        waitForNext(subscriptions);
      }
      for (int i = 0; i < ready.size(); i++) {
        write(m, events + (long) i * Layouts.EVENT_SIZE, ready.get(i));
      }
      m.putI32(nevents, ready.size());
    });
  }

  private Subscription read(ByteBuffer raw, int at) {
    long userdata = raw.getLong(at + Layouts.SUBSCRIPTION_USERDATA);
    int type = Byte.toUnsignedInt(raw.get(at + Layouts.SUBSCRIPTION_TAG));
    return switch (type) {
      case Layouts.EVENTTYPE_CLOCK -> {
        int id = raw.getInt(at + Layouts.SUBSCRIPTION_CLOCK_ID);
        long timeout = raw.getLong(at + Layouts.SUBSCRIPTION_CLOCK_TIMEOUT);
        boolean absolute = (raw.getShort(at + Layouts.SUBSCRIPTION_CLOCK_FLAGS)
            & Layouts.SUBCLOCKFLAG_ABSTIME) != 0;
        long deadline;
        try {
          // witx timestamps are u64: one of 2^63 or more is later than any clock reading.
          deadline = absolute ? (timeout < 0 ? Long.MAX_VALUE : timeout)
              : saturatingAdd(clocks.now(id), timeout);
        } catch (WasiException badClock) {
          deadline = Long.MIN_VALUE; // reported as an event carrying the errno
        }
        yield new Subscription(userdata, type, id, deadline, -1);
      }
      case Layouts.EVENTTYPE_FD_READ, Layouts.EVENTTYPE_FD_WRITE ->
          new Subscription(userdata, type, -1, 0, raw.getInt(at + Layouts.SUBSCRIPTION_FD));
      default -> throw new WasiException(Errno.INVAL, "eventtype " + type);
    };
  }

  private static long saturatingAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 || Long.compareUnsigned(b, Long.MAX_VALUE) > 0
        ? Long.MAX_VALUE : sum;
  }

  private List<Event> ready(List<Subscription> subscriptions) throws IOException {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < subscriptions.size(); i++) {
      if (i > 0 && i % SUBSCRIPTIONS_PER_CHECK == 0) {
        context.waitLimit().check();
      }
      Subscription s = subscriptions.get(i);
      Event e = s.type() == Layouts.EVENTTYPE_CLOCK ? clockEvent(s) : fdEvent(s);
      if (e != null) {
        events.add(e);
      }
    }
    return events;
  }

  private Event clockEvent(Subscription s) {
    long now;
    try {
      now = clocks.now(s.clockId());
    } catch (WasiException e) {
      return new Event(s.userdata(), e.errno(), s.type(), 0, 0);
    }
    return now >= s.deadline() ? new Event(s.userdata(), Errno.SUCCESS, s.type(), 0, 0) : null;
  }

  private Event fdEvent(Subscription s) throws IOException {
    Descriptor d;
    try {
      d = context.fds().get(s.fd());
      d.require(Rights.POLL_FD_READWRITE.bit());
    } catch (WasiException e) {
      return new Event(s.userdata(), e.errno(), s.type(), 0, 0);
    }
    boolean read = s.type() == Layouts.EVENTTYPE_FD_READ;
    return switch (d) {
      case FileDescriptor f -> new Event(s.userdata(), Errno.SUCCESS, s.type(),
          read ? Math.max(0, Linux.statx(f.fd(), "", Linux.AT_EMPTY_PATH).size()
              - Linux.lseek(f.fd(), 0, Linux.SEEK_CUR)) : 0, 0);
      case StreamDescriptor st -> {
        if (read && !st.readable() || !read && !st.writable()) {
          yield new Event(s.userdata(), Errno.BADF, s.type(), 0, 0);
        }
        long available = read ? st.available() : 0;
        yield read && available == 0 ? null
            : new Event(s.userdata(), Errno.SUCCESS, s.type(), available, 0);
      }
      case DirectoryDescriptor _ -> new Event(s.userdata(), Errno.ISDIR, s.type(), 0, 0);
    };
  }

  /**
   * Sleeps until the earliest clock deadline, or one recheck interval if a stream is awaited, or
   * one {@link WaitLimit} slice if a deadline may end the call first.
   */
  private void waitForNext(List<Subscription> subscriptions) {
    long wait = Long.MAX_VALUE;
    for (Subscription s : subscriptions) {
      if (s.type() == Layouts.EVENTTYPE_CLOCK) {
        wait = Math.min(wait, Math.max(0, s.deadline() - clocks.now(s.clockId())));
      } else {
        wait = Math.min(wait, STREAM_RECHECK_NANOS);
      }
    }
    LockSupport.parkNanos(context.waitLimit().slice(Math.max(wait, 1)));
  }

  private static void write(GuestMemory m, long at, Event e) {
    m.putI64(at + Layouts.EVENT_USERDATA, e.userdata());
    m.putI64(at + Layouts.EVENT_ERROR, 0); // error, type and padding up to fd_readwrite
    m.putU16(at + Layouts.EVENT_ERROR, e.error().code());
    m.putU8(at + Layouts.EVENT_TYPE, e.type());
    m.putI64(at + Layouts.EVENT_NBYTES, e.nbytes());
    m.putI64(at + Layouts.EVENT_FLAGS, e.flags()); // flags and padding to the end of the event
  }
}
