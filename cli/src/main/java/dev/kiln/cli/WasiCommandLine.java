package dev.kiln.cli;

import dev.kiln.runtime.Linker;
import dev.kiln.runtime.WasiOptions;
import dev.kiln.runtime.WasmModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code kiln run} gives a WASI guest: argv (the module's file name, then the ARGS after
 * {@code --}), the {@code --env NAME=VALUE} pairs in order, the process's own stdin/stdout/stderr,
 * and the {@code --dir HOST[::GUEST]} preopens (fds 3 onwards, in order). Nothing else of the host
 * is visible: no inherited environment, no directory that was not named.
 */
final class WasiCommandLine {
  /** The module name WASI preview1's functions are imported from. */
  private static final String WASI_MODULE = "wasi_snapshot_preview1";

  private WasiCommandLine() {}

  /**
   * The guest's options; {@code maxOpenFiles} is {@code --max-open-files}, null for the default.
   */
  static WasiOptions options(Path module, List<String> guestArgs, List<String> dirs, List<String> env,
      Integer maxOpenFiles) {
    WasiOptions.Builder options = WasiOptions.builder()
        .arg(module.getFileName().toString())
        .args(guestArgs)
        .stdin(System.in);
    if (Main.ownsStandardStreams) {
      // The descriptors themselves, so that a write to a pipe nobody reads ends at --timeout; a
      // caller in the same JVM (a test) gets what it put in System.out and System.err instead.
      options.inheritStdout().inheritStderr();
    } else {
      options.stdout(System.out).stderr(System.err);
    }
    for (String pair : env) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--env wants NAME=VALUE, got \"" + pair + "\"");
      }
      options.env(pair.substring(0, eq), pair.substring(eq + 1));
    }
    if (maxOpenFiles != null) {
      if (maxOpenFiles < 1) {
        throw new IllegalArgumentException("--max-open-files must be at least 1, got " + maxOpenFiles);
      }
      options.maxOpenFiles(maxOpenFiles);
    }
    for (String dir : dirs) {
      // HOST::GUEST, or HOST seen by the guest under the name written.
      int sep = dir.indexOf("::");
      options.preopen(Path.of(sep < 0 ? dir : dir.substring(0, sep)), sep < 0 ? dir : dir.substring(sep + 2));
    }
    return options.build();
  }

  /**
   * Whether {@code module} imports anything from WASI. One that does not gets no WASI at all: its
   * run then pays for no configuration, file table, host functions or system calls (probing the
   * kernel's path resolution, opening the preopens: some 10 ms of a cold JVM's time).
   */
  static boolean importedBy(WasmModule module) {
    return module.imports().stream().anyMatch(i -> i.module().equals(WASI_MODULE));
  }

  /**
   * WASI defined in {@code linker}, only the functions {@code module} imports (nothing is made for
   * the rest); a --dir that is no directory is a usage error.
   */
  static void define(Linker linker, WasmModule module, WasiOptions options) {
    try {
      linker.wasi(options, module);
    } catch (UncheckedIOException e) {
      IOException cause = e.getCause();
      throw new IllegalArgumentException("--dir: cannot preopen " + UserErrorHandler.describe(cause), cause);
    }
  }
}
