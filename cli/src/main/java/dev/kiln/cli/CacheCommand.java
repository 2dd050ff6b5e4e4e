package dev.kiln.cli;

import dev.kiln.cli.args.CommandSpec;
import dev.kiln.cli.args.CommandSpec.ExitStatus;
import dev.kiln.cli.args.ParameterSpec;
import dev.kiln.cli.args.ParsedArgs;
import dev.kiln.cli.args.Subcommand;
import dev.kiln.cli.args.ValueType;
import dev.kiln.runtime.tools.ModuleCacheFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * {@code kiln cache stats|clean}: what the compiled-module cache holds, or empty it. {@code kiln run
 * FILE.wasm} fills it ({@link ModuleCacheFiles}).
 */
final class CacheCommand implements Subcommand {
  private static final ParameterSpec<String> ACTION = ParameterSpec.one("stats|clean", ValueType.STRING, "what to do");

  private static final CommandSpec SPEC = new CommandSpec("cache",
      List.of(
          "Show or clear the compiled-module cache, where 'kiln run FILE.wasm' keeps the code it compiles so"
              + " later runs of the same module with the same settings only load it.",
          "  stats   the directory, the number of compiled modules and their size",
          "  clean   delete every compiled module (and temporary files a killed writer left)"),
      CacheOptions.OPTIONS, List.of(ACTION),
      List.of(new ExitStatus("0", "done"),
          new ExitStatus("1", "the cache directory cannot be read or changed, or an unknown action")),
      List.of());

  @Override
  public CommandSpec spec() {
    return SPEC;
  }

  @Override
  public int run(ParsedArgs args, PrintWriter out, PrintWriter err) {
    String action = args.get(ACTION);
    try {
      CacheOptions options = CacheOptions.from(args);
      ModuleCacheFiles cache = ModuleCacheFiles.at(options.directory(), options.maxBytes());
      switch (action) {
        case "stats" -> {
          ModuleCacheFiles.Stats stats = cache.stats();
          out.printf(Locale.ROOT, "%s: %d compiled modules, %.1f MB of %.1f MB%n", stats.directory(),
              stats.entries(), stats.bytes() / 1048576.0, stats.maxBytes() / 1048576.0);
        }
        case "clean" -> out.printf(Locale.ROOT, "%s: deleted %d files%n", cache.directory(), cache.clean());
        default -> {
          err.println("error: unknown action '" + action + "' (known: stats, clean)");
          return 1;
        }
      }
      return 0;
    } catch (IOException e) {
      err.println("error: compiled-module cache: " + UserErrorHandler.describe(e));
      return 1;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } finally {
      out.flush();
      err.flush();
    }
  }
}
