package dev.kiln.wasi;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.GuestMemory;
import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.abi.WasiException;
import dev.kiln.wasi.fs.WaitLimit;
import dev.kiln.wasi.sys.KernelRandom;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The process-level functions of wasi_snapshot_preview1.witx: arguments and environment (copied out
 * as NUL-terminated UTF-8 strings plus a pointer array, the C argv/environ shape), clocks, random
 * bytes, sched_yield and proc_exit/proc_raise.
 */
public final class ProcessFunctions {
  private final WasiContext context;
  private final List<byte[]> args;
  private final List<byte[]> environ;

  ProcessFunctions(WasiContext context) {
    this.context = context;
    this.args = new ArrayList<>();
    for (String a : context.config().args()) {
      args.add(cString(a));
    }
    this.environ = new ArrayList<>();
    for (Map.Entry<String, String> e : context.config().env().entrySet()) {
      environ.add(cString(e.getKey() + "=" + e.getValue()));
    }
  }

  private static byte[] cString(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    return java.util.Arrays.copyOf(utf8, utf8.length + 1);
  }

  /** args_sizes_get(argc: *size, argv_buf_size: *size). */
  public int argsSizesGet(MemorySegment memory, int argcPtr, int bufSizePtr) {
    return sizes(new GuestMemory(memory), args, argcPtr, bufSizePtr);
  }

  /** args_get(argv: **u8, argv_buf: *u8). */
  public int argsGet(MemorySegment memory, int argvPtr, int bufPtr) {
    return strings(new GuestMemory(memory), args, argvPtr, bufPtr);
  }

  /** environ_sizes_get(count: *size, buf_size: *size). */
  public int environSizesGet(MemorySegment memory, int countPtr, int bufSizePtr) {
    return sizes(new GuestMemory(memory), environ, countPtr, bufSizePtr);
  }

  /** environ_get(environ: **u8, environ_buf: *u8). */
  public int environGet(MemorySegment memory, int environPtr, int bufPtr) {
    return strings(new GuestMemory(memory), environ, environPtr, bufPtr);
  }

  private static int sizes(GuestMemory m, List<byte[]> strings, int countPtr, int sizePtr) {
    return WasiCall.errno(() -> {
      int total = 0;
      for (byte[] s : strings) {
        total += s.length;
      }
      long count = m.range(countPtr, 4);
      long size = m.range(sizePtr, 4);
      m.putI32(count, strings.size());
      m.putI32(size, total);
    });
  }

  /**
   * Writes the pointer array and the strings it points to. Both ranges are checked whole before
   * anything is written (in 64-bit arithmetic, so a pointer near 2^32 cannot wrap round to the
   * bottom of memory), and a call that fails writes nothing. The pointers written are witx u32
   * {@code pointer}s: in a memory64 memory larger than 4 GiB a buffer reaching past 2^32 holds
   * strings no u32 can name, so it is refused ({@link Errno#FAULT}) rather than given pointers cut
   * to 32 bits that would point near address 0.
   */
  private static int strings(GuestMemory m, List<byte[]> strings, int pointersPtr, int bufPtr) {
    return WasiCall.errno(() -> {
      long bytes = 0;
      for (byte[] s : strings) {
        bytes += s.length;
      }
      long pointers = m.range(pointersPtr, 4L * strings.size());
      long buffer = m.range(bufPtr, bytes);
      if (buffer + bytes > 1L << 32) {
        throw new WasiException(Errno.FAULT, "strings past 4 GiB cannot be named by u32 pointers");
      }
      long at = buffer;
      for (int i = 0; i < strings.size(); i++) {
        byte[] s = strings.get(i);
        m.putI32(pointers + 4L * i, (int) at);
        m.write(at, s);
        at += s.length;
      }
    });
  }

  /**
   * clock_res_get(id, resolution: *timestamp). Realtime comes from {@link Instant#now()}, which
   * Linux fills to the microsecond; monotonic from {@link System#nanoTime()}; the CPU-time clocks
   * from the JVM's thread and process accounting, microsecond granularity at best.
   */
  public int clockResGet(MemorySegment memory, int clockId, int resolutionPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> m.putI64(GuestMemory.pointer(resolutionPtr), switch (clockId) {
      case Layouts.CLOCK_REALTIME -> 1_000L;
      case Layouts.CLOCK_MONOTONIC -> 1L;
      case Layouts.CLOCK_PROCESS_CPUTIME, Layouts.CLOCK_THREAD_CPUTIME -> 1_000L;
      default -> throw new WasiException(Errno.INVAL, "clock " + clockId);
    }));
  }

  /** clock_time_get(id, precision, time: *timestamp); precision is a hint Kiln does not need. */
  public int clockTimeGet(MemorySegment memory, int clockId, long precision, int timePtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> m.putI64(GuestMemory.pointer(timePtr), now(clockId)));
  }

  /** The current value of clock {@code clockId} in nanoseconds, or {@link Errno#INVAL}. */
  long now(int clockId) {
    return switch (clockId) {
      case Layouts.CLOCK_REALTIME -> {
        Instant t = Instant.now();
        yield t.getEpochSecond() * 1_000_000_000L + t.getNano();
      }
      case Layouts.CLOCK_MONOTONIC -> context.monotonicNanos();
      case Layouts.CLOCK_PROCESS_CPUTIME ->
          ProcessHandle.current().info().totalCpuDuration()
              .orElseThrow(() -> new WasiException(Errno.NOTSUP, "no process CPU time"))
              .toNanos();
      case Layouts.CLOCK_THREAD_CPUTIME -> {
        long t = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        if (t < 0) {
          throw new WasiException(Errno.NOTSUP, "no thread CPU time");
        }
        yield t;
      }
      default -> throw new WasiException(Errno.INVAL, "clock " + clockId);
    };
  }

  /**
   * random_get(buf: *u8, buf_len: size). Up to 4 GiB, produced {@link WaitLimit#CHUNK_BYTES} at a
   * time with the deadline checked between two: the call returns only an errno, so no partial fill
   * can be reported, and a deadline passing ends it with the trap a waiting call ends with ({@link
   * WaitLimit}). The default source writes straight into guest memory (native, as every instance's
   * is): no Java array between the kernel and the guest; any other goes through one of at most
   * {@value #RANDOM_STAGING} bytes, whatever the guest asks for.
   */
  public int randomGet(MemorySegment memory, int bufPtr, int length) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      long total = Integer.toUnsignedLong(length);
      long at = m.range(bufPtr, total);
      RandomGenerator source = context.config().random();
      KernelRandom kernel = source instanceof KernelRandom k && memory.isNative() ? k : null;
      byte[] staging = kernel == null ? new byte[(int) Math.min(total, RANDOM_STAGING)] : null;
      for (long done = 0; done < total; ) {
        if (done > 0) {
          context.waitLimit().check();
        }
        long n = Math.min(total - done, WaitLimit.CHUNK_BYTES);
        if (kernel != null) {
          kernel.fill(memory.asSlice(at + done, n));
        } else {
          fill(source, staging, m, at + done, n);
        }
        done += n;
      }
    });
  }

  /** The most bytes a generator other than the kernel's fills at once (a Java array). */
  private static final int RANDOM_STAGING = 1 << 16;

  /** Fills the {@code length} guest bytes at {@code at} from {@code source} through {@code staging}. */
  private static void fill(RandomGenerator source, byte[] staging, GuestMemory m, long at, long length) {
    for (long done = 0; done < length; done += staging.length) {
      source.nextBytes(staging);
      m.write(at + done, staging, 0, (int) Math.min(staging.length, length - done));
    }
  }

  /** sched_yield(): gives the host thread's time slice away. */
  public int schedYield() {
    Thread.yield();
    return Errno.SUCCESS.code();
  }

  /**
   * The exit statuses proc_exit ends an execution with: 0 to 125 (the witx {@code exitcode} is a
   * u32). A process's status keeps only its low 8 bits (POSIX {@code exit}), so 256 would reach the
   * shell as 0, success, and 126 to 255 read as "cannot execute", "not found" or "killed by signal
   * n" (128 + n); as in Wasmtime 49 ("exit with invalid exit status outside of [0..126)"), a larger
   * status ends the execution with a trap instead ({@link InvalidExitStatus}).
   */
  public static final int EXIT_STATUS_LIMIT = 126;

  /**
   * proc_exit(rval): never returns; ends the execution with {@link ProcExit}, or with {@link
   * InvalidExitStatus} for a status of {@link #EXIT_STATUS_LIMIT} or more.
   */
  public void procExit(int code) {
    context.fds().closeAll();
    if (Integer.compareUnsigned(code, EXIT_STATUS_LIMIT) >= 0) {
      throw new InvalidExitStatus(code);
    }
    throw new ProcExit(code);
  }

  /**
   * proc_raise(sig): signals are not part of the sandbox (the witx marks it deprecated and hosts
   * like Wasmtime do not provide it), so every signal is {@link Errno#NOTSUP}.
   */
  public int procRaise(int signal) {
    return Errno.NOTSUP.code();
  }
}
