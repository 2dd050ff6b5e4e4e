package dev.kiln.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code kiln run --timings}: where one run's time goes, printed on stderr after it. Each step has
 * its wall time and the CPU time of the thread running the command (Linux's {@code
 * /proc/thread-self/schedstat}, proc(5): nanoseconds on the CPU), which other processes' load
 * does not inflate as it does wall time; the last field is the CPU time of all the process's
 * threads (JIT compilers, GC and the compile workers too).
 *
 * <p>The steps before Java ran come from the launcher, which exports its start and the moment it
 * exec'd the JVM as {@code KILN_LAUNCH_TIME} and {@code KILN_EXEC_TIME} (bash's {@code
 * $EPOCHREALTIME}, seconds with microseconds): "launcher" (JDK selection, the staleness checks),
 * "jvm" (JVM start and class loading up to {@code main}); then "parse" ({@code main} to the
 * command: parsing the command line, loading the command's class) and each {@link #mark}: the cache
 * lookup or the compile, loading (mapping, checks, publishing the code), linking host functions (FFM
 * upcall stubs), instantiating, the call.
 */
final class RunTimings {
  private record Step(String name, long wallNanos, long cpuNanos) {}

  private final boolean enabled;
  private final List<Step> steps = new ArrayList<>();
  private long lastWall;
  private long lastCpu;

  /** Timings that measure only when {@code enabled}; the first step begins now. */
  RunTimings(boolean enabled, long commandStartedNanos) {
    this.enabled = enabled;
    if (enabled) {
      lastWall = System.nanoTime();
      lastCpu = threadCpuNanos();
      if (Main.startedNanos != 0) {
        steps.add(new Step("parse", commandStartedNanos - Main.startedNanos, lastCpu - Main.startedCpuNanos));
      }
    }
  }

  /** Ends the step {@code name}, which began at the previous mark. */
  void mark(String name) {
    if (enabled) {
      long wall = System.nanoTime();
      long cpu = threadCpuNanos();
      steps.add(new Step(name, wall - lastWall, cpu - lastCpu));
      lastWall = wall;
      lastCpu = cpu;
    }
  }

  /** One line: {@code timings: launcher=W jvm=W parse=W/C ... total=W process_cpu=C} in ms. */
  void print(PrintWriter err) {
    if (!enabled) {
      return;
    }
    StringBuilder line = new StringBuilder("timings (wall/thread cpu ms):");
    long totalWall = 0;
    OptionalLong launch = epochMicros(System.getenv("KILN_LAUNCH_TIME"));
    OptionalLong exec = epochMicros(System.getenv("KILN_EXEC_TIME"));
    if (launch.isPresent() && exec.isPresent() && Main.startedNanos != 0) {
      // main's start on the epoch clock, worked out now: java.time is not loaded at start for this.
      long startedMicros = nowMicros() - (System.nanoTime() - Main.startedNanos) / 1000;
      long launcher = (exec.getAsLong() - launch.getAsLong()) * 1000;
      long jvm = (startedMicros - exec.getAsLong()) * 1000;
      line.append(" launcher=").append(Millis.of(launcher, 1)).append(" jvm=").append(Millis.of(jvm, 1))
          .append('/').append(Millis.of(Main.startedCpuNanos, 1));
      totalWall += launcher + jvm;
    }
    for (Step s : steps) {
      line.append(' ').append(s.name()).append('=').append(Millis.of(s.wallNanos(), 1))
          .append('/').append(Millis.of(s.cpuNanos(), 1));
      totalWall += s.wallNanos();
    }
    long processCpu = processCpuNanos();
    line.append(" total=").append(Millis.of(totalWall, 1)).append(" process_cpu=").append(Millis.of(processCpu, 1));
    err.println(line);
  }

  /**
   * {@code $EPOCHREALTIME}'s "SECONDS.MICROS" (the separator is the locale's) as microseconds since
   * the epoch. Read by hand: a first regular expression in a process costs more than this step.
   */
  static OptionalLong epochMicros(String text) {
    if (text == null || text.length() < 8) {
      return OptionalLong.empty();
    }
    int separator = text.length() - 7;
    long micros = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (i == separator ? c != '.' && c != ',' : c < '0' || c > '9') {
        return OptionalLong.empty();
      }
      if (i != separator) {
        micros = micros * 10 + (c - '0');
      }
    }
    return OptionalLong.of(micros);
  }

  /** Now, as microseconds since the epoch. */
  private static long nowMicros() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
  }

  /** The calling thread's time on the CPU so far, 0 where /proc does not say. */
  static long threadCpuNanos() {
    return schedstatNanos(Path.of("/proc/thread-self/schedstat"));
  }

  /** Every thread's time on the CPU so far (those still alive). */
  private static long processCpuNanos() {
    long sum = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        sum += schedstatNanos(task.resolve("schedstat"));
      }
    } catch (IOException e) {
      return 0;
    }
    return sum;
  }

  /** The first field of a schedstat file: nanoseconds spent on the CPU. */
  private static long schedstatNanos(Path schedstat) {
    try {
      String text = Files.readString(schedstat);
      return Long.parseLong(text.substring(0, text.indexOf(' ')));
    } catch (IOException | RuntimeException e) {
      return 0; // not Linux, or the thread ended while listing
    }
  }
}
