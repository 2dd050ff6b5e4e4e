package dev.kiln.wasi;

import dev.kiln.wasi.fs.PathResolution;
import dev.kiln.wasi.sys.KernelRandom;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * What a guest is given: its arguments (argv[0] first, by convention the program name), its
 * environment (in order), its three standard streams (fds 0-2) and its preopened directories (fds
 * 3 onwards, in this order). {@code random} feeds random_get; a seeded generator makes runs
 * reproducible, the default is the kernel's getrandom ({@link KernelRandom}: a {@link
 * java.security.SecureRandom} would cost a fresh JVM tens of milliseconds at the guest's first
 * random_get, which Rust programs make on their first HashMap).
 * {@code pathResolution} is how guest paths are kept beneath their directory as the embedder chose
 * it, null when it did not ({@link #resolution()} is the one in effect).
 * {@code maxOpenFiles} is the most descriptors the guest may hold open at once, its streams and
 * preopens included (default {@value #DEFAULT_MAX_OPEN_FILES}, the soft RLIMIT_NOFILE most Linux
 * systems give a process): each holds a host file descriptor, and a path_open past it is EMFILE
 * ({@link dev.kiln.wasi.fs.FdTable}).
 */
public record WasiConfig(List<String> args, Map<String, String> env, InputStream stdin,
    OutputStream stdout, OutputStream stderr, List<Preopen> preopens, RandomGenerator random,
    PathResolution pathResolution, int maxOpenFiles) {

  /** The open-descriptor limit when the embedder sets none. */
  public static final int DEFAULT_MAX_OPEN_FILES = 1024;

  public WasiConfig {
    if (maxOpenFiles < 1) {
      throw new IllegalArgumentException("maxOpenFiles must be at least 1, got " + maxOpenFiles);
    }
    args = List.copyOf(args);
    env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    preopens = List.copyOf(preopens);
  }

  /**
   * The chosen {@link PathResolution}, else the best the running kernel offers ({@link
   * PathResolution#best()}). Asked only when a directory is preopened: finding the best probes the
   * kernel, binding a C function and making a system call that a guest without a directory never
   * needs (the probe once cost such a run a second downcall shape, 10-14 ms:
   * docs/history/performance-journal.md, "A WASI run without --dir").
   */
  public PathResolution resolution() {
    return pathResolution != null ? pathResolution : PathResolution.best();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Defaults: no args, no env, no preopens, the JVM's System.in/out/err, the kernel's getrandom. */
  public static final class Builder {
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<Preopen> preopens = new ArrayList<>();
    private InputStream stdin = System.in;
    private OutputStream stdout = System.out;
    private OutputStream stderr = System.err;
    private RandomGenerator random = KernelRandom.INSTANCE;
    private PathResolution pathResolution;
    private int maxOpenFiles = DEFAULT_MAX_OPEN_FILES;

    private Builder() {}

    public Builder args(List<String> values) {
      args.addAll(values);
      return this;
    }

    public Builder arg(String value) {
      args.add(value);
      return this;
    }

    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    public Builder preopen(Preopen p) {
      preopens.add(p);
      return this;
    }

    public Builder stdin(InputStream in) {
      stdin = in;
      return this;
    }

    public Builder stdout(OutputStream out) {
      stdout = out;
      return this;
    }

    public Builder stderr(OutputStream err) {
      stderr = err;
      return this;
    }

    public Builder random(RandomGenerator r) {
      random = r;
      return this;
    }

    /** How guest paths are resolved beneath their directory (default: {@link WasiConfig#resolution()}). */
    public Builder pathResolution(PathResolution how) {
      pathResolution = how;
      return this;
    }

    /** The most descriptors the guest may hold open at once (default {@value #DEFAULT_MAX_OPEN_FILES}). */
    public Builder maxOpenFiles(int max) {
      maxOpenFiles = max;
      return this;
    }

    public WasiConfig build() {
      return new WasiConfig(args, env, stdin, stdout, stderr, preopens, random, pathResolution, maxOpenFiles);
    }
  }
}
