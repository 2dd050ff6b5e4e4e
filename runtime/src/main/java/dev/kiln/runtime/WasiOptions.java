package dev.kiln.runtime;

import dev.kiln.loader.sys.ThreadStack;
import dev.kiln.wasi.Preopen;
import dev.kiln.wasi.ProcessOutput;
import dev.kiln.wasi.WasiConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a WASI preview1 guest is given ({@link Linker#wasi}): its arguments, environment, standard
 * streams and preopened directories. Nothing of the host is visible unless named here: no inherited
 * environment, no directory that was not preopened. Every guest path is opened beneath its preopen
 * by the kernel ({@code openat2(RESOLVE_BENEATH)}), so no symlink or {@code ..} leads out of it.
 *
 * <pre>{@code
 * ByteArrayOutputStream out = new ByteArrayOutputStream();
 * linker.wasi(WasiOptions.builder().arg("app").env("LANG", "C").stdout(out).preopen(Path.of("data"), "/data").build());
 * }</pre>
 */
public final class WasiOptions {
  /** The most descriptors a guest holds open at once when {@link Builder#maxOpenFiles} is not set. */
  public static final int DEFAULT_MAX_OPEN_FILES = WasiConfig.DEFAULT_MAX_OPEN_FILES;

  private final WasiConfig config;

  private WasiOptions(WasiConfig config) {
    this.config = config;
  }

  /**
   * A builder starting with no arguments, no environment, no preopens, and the JVM's {@code
   * System.in}, {@code System.out} and {@code System.err} as the guest's fds 0-2.
   *
   * @return a new builder
   */
  public static Builder builder() {
    ThreadStack.requireRoomToLink("WasiOptions.builder");
    return new Builder();
  }

  WasiConfig config() {
    return config;
  }

  /** The settings of {@link WasiOptions}; each setter returns this builder. */
  public static final class Builder {
    private final WasiConfig.Builder config = WasiConfig.builder();

    private Builder() {}

    /**
     * Appends one argument; the first is {@code argv[0]}, by convention the program's name.
     *
     * @param value the argument
     * @return this builder
     */
    public Builder arg(String value) {
      config.arg(Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Appends arguments in order.
     *
     * @param values the arguments
     * @return this builder
     */
    public Builder args(List<String> values) {
      config.args(List.copyOf(values));
      return this;
    }

    /**
     * Adds the environment variable {@code name=value}, after the earlier ones.
     *
     * @param name the name
     * @param value the value
     * @return this builder
     */
    public Builder env(String name, String value) {
      config.env(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * The guest's standard input (fd 0).
     *
     * @param in the stream
     * @return this builder
     */
    public Builder stdin(InputStream in) {
      config.stdin(Objects.requireNonNull(in, "in"));
      return this;
    }

    /**
     * The guest's standard output (fd 1), e.g. a {@code ByteArrayOutputStream} to capture it. The
     * stream is the embedder's and trusted: the guest's writes reach it in pieces of 64 KiB on the
     * calling thread, the store's epoch deadline is checked between pieces (a write past it ends
     * short), but a {@code write} that blocks holds the call, its deadline and the store until it
     * returns (Java cannot interrupt it). Under a deadline, give untrusted guests a stream that
     * never blocks: a buffer, one that fails or drops when full, or {@link #inheritStdout()}.
     *
     * @param out the stream
     * @return this builder
     */
    public Builder stdout(OutputStream out) {
      config.stdout(Objects.requireNonNull(out, "out"));
      return this;
    }

    /**
     * The guest's standard error (fd 2); the stream must not block, as for {@link #stdout}.
     *
     * @param err the stream
     * @return this builder
     */
    public Builder stderr(OutputStream err) {
      config.stderr(Objects.requireNonNull(err, "err"));
      return this;
    }

    /**
     * The guest's standard output is this process's own (file descriptor 1), written as the
     * descriptor itself rather than through a Java stream: a write to a pipe nobody reads then waits
     * for room in slices and ends with the {@code interrupt} trap at the store's epoch deadline,
     * which no write to a Java {@link OutputStream} can (docs/SECURITY.md, section 5).
     *
     * @return this builder
     */
    public Builder inheritStdout() {
      config.stdout(ProcessOutput.STDOUT);
      return this;
    }

    /**
     * The guest's standard error is this process's own (file descriptor 2), as {@link #inheritStdout}.
     *
     * @return this builder
     */
    public Builder inheritStderr() {
      config.stderr(ProcessOutput.STDERR);
      return this;
    }

    /**
     * Preopens the host directory {@code host}, which the guest sees as {@code guestPath} (fds 3
     * onwards, in the order added).
     *
     * @param host a directory of the host
     * @param guestPath the name the guest opens it by, e.g. {@code "/data"} or {@code "."}
     * @return this builder
     */
    public Builder preopen(Path host, String guestPath) {
      config.preopen(new Preopen(Objects.requireNonNull(host, "host"), guestPath));
      return this;
    }

    /**
     * The most descriptors the guest may hold open at once, its standard streams and preopens
     * included (default {@value WasiOptions#DEFAULT_MAX_OPEN_FILES}): each holds a host file
     * descriptor, so a guest opening files in a loop would otherwise take all of the process's.
     * A path_open past it fails with EMFILE, as open(2) does at RLIMIT_NOFILE; the streams and
     * preopens are given whatever the limit.
     *
     * @param max the limit, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is below 1
     */
    public Builder maxOpenFiles(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxOpenFiles must be at least 1, got " + max);
      }
      config.maxOpenFiles(max);
      return this;
    }

    /**
     * The options.
     *
     * @return new options with these settings
     */
    public WasiOptions build() {
      return new WasiOptions(config.build());
    }
  }
}
