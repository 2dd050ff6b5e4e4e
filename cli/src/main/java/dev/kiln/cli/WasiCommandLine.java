package dev.kiln.cli;

import dev.kiln.loader.link.Linker;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.Trap;
import dev.kiln.wasi.Preopen;
import dev.kiln.wasi.ProcExit;
import dev.kiln.wasi.ProcessOutput;
import dev.kiln.wasi.WasiConfig;
import dev.kiln.wasi.WasiFunction;
import dev.kiln.wasi.WasiHost;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * What {@code kiln run} gives a WASI guest: argv (the module's file name, then the ARGS after
 * {@code --}), the {@code --env NAME=VALUE} pairs in order, the process's own stdin/stdout/stderr,
 * and the {@code --dir HOST[::GUEST]} preopens (fds 3 onwards, in order). Nothing else of the host
 * is visible: no inherited environment, no directory that was not named.
 */
final class WasiCommandLine {
  private WasiCommandLine() {}

  static WasiConfig config(Path module, List<String> guestArgs, List<String> dirs, List<String> env) {
    WasiConfig.Builder config = WasiConfig.builder()
        .arg(module.getFileName().toString())
        .args(guestArgs)
        .stdin(System.in)
        // The descriptors themselves, so that a write to a pipe nobody reads ends at --timeout
        // (ProcessOutput); a caller in the same JVM gets what it put in System.out and System.err.
        .stdout(Main.ownsStandardStreams ? ProcessOutput.STDOUT : System.out)
        .stderr(Main.ownsStandardStreams ? ProcessOutput.STDERR : System.err);
    for (String pair : env) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--env wants NAME=VALUE, got \"" + pair + "\"");
      }
      config.env(pair.substring(0, eq), pair.substring(eq + 1));
    }
    for (String dir : dirs) {
      config.preopen(Preopen.parse(dir));
    }
    return config.build();
  }

  /**
   * Whether {@code module} imports anything from WASI. One that does not gets no WASI at all: its
   * run then pays for no configuration, file table, host functions or system calls (probing the
   * kernel's path resolution, opening the preopens: some 10 ms of a cold JVM's time).
   */
  static boolean importedBy(LoadedModule module) {
    return module.info().imports().stream().anyMatch(i -> i.module().equals(WasiFunction.MODULE));
  }

  /**
   * WASI defined in {@code linker}, only the functions {@code module} imports (nothing is made for
   * the rest); a --dir that is no directory is a usage error.
   */
  static void define(Linker linker, LoadedModule module, WasiConfig config) {
    try {
      WasiHost.define(linker, config, WasiHost.importedBy(module.info().imports()));
    } catch (IOException e) {
      throw new IllegalArgumentException("--dir: cannot preopen " + UserErrorHandler.describe(e), e);
    }
  }

  /** The guest's exit status if {@code trap} is how proc_exit ended it. */
  static OptionalInt exitCode(Trap trap) {
    return ProcExit.in(trap).map(e -> OptionalInt.of(e.code())).orElse(OptionalInt.empty());
  }
}
