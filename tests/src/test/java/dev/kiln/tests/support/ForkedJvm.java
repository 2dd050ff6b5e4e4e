package dev.kiln.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code main} of the test class path in a child JVM, for a scenario that would take the
 * whole JVM down if it regressed (a SIGSEGV or SIGBUS in native code cannot be caught): the test
 * JVM survives and reports the child's exit status and output instead.
 */
public final class ForkedJvm {
  /** Not a performance bound: only keeps a hung child from hanging the build. */
  private static final long HANG_GUARD_MINUTES = 5;

  private ForkedJvm() {}

  /**
   * What the child did: its exit status (128 + signal number when a signal killed it; the JVM's
   * fatal error handler exits with 134, SIGABRT, after a SIGSEGV or SIGBUS) and its output.
   */
  public record Outcome(int exit, String out, String err) {
    /** A description for an assertion message. */
    public String describe() {
      return "child JVM exit " + exit + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
  }

  /** Runs {@code main}'s {@code main(args)} with this JVM's class path and native access. */
  public static Outcome run(Class<?> main, String... args) {
    return run(List.of(), main, args);
  }

  /** As {@link #run(Class, String...)}, with {@code jvmOptions} (heap size and the like) too. */
  public static Outcome run(List<String> jvmOptions, Class<?> main, String... args) {
    return run(jvmOptions, main, true, args);
  }

  /**
   * As {@link #run(Class, String...)}, but the child's standard output is a pipe nobody reads: once
   * its 64 KiB are full (pipe(7)), every write to it waits. The outcome's {@code out} is empty.
   */
  public static Outcome runWithUnreadStdout(Class<?> main, String... args) {
    return run(List.of(), main, false, args);
  }

  private static Outcome run(List<String> jvmOptions, Class<?> main, boolean keepStdout, String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED",
        // Keep the child's crash report (hs_err) out of the working directory.
        "-XX:ErrorFile=" + System.getProperty("java.io.tmpdir") + "/kiln-forked-hs_err_%p.log"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("kiln-forked-", ".out");
      Path err = Files.createTempFile("kiln-forked-", ".err");
      try {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
        Process process = (keepStdout ? builder.redirectOutput(out.toFile()) : builder).start();
        if (!process.waitFor(HANG_GUARD_MINUTES, TimeUnit.MINUTES)) {
          process.destroyForcibly().waitFor();
          process.getInputStream().close();
          throw new IllegalStateException("child JVM " + main.getName() + " still running after "
              + HANG_GUARD_MINUTES + " minutes; killed");
        }
        return new Outcome(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
