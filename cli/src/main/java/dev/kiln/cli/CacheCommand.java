package dev.kiln.cli;

import dev.kiln.cache.CacheStats;
import dev.kiln.cache.ModuleCache;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kiln cache stats|clean}: what the compiled-module cache holds, or empty it. {@code kiln run
 * FILE.wasm} fills it ({@link ModuleCache}).
 */
@Command(
    name = "cache",
    mixinStandardHelpOptions = true,
    description = {
      "Show or clear the compiled-module cache, where 'kiln run FILE.wasm' keeps the code it compiles so",
      "later runs of the same module with the same settings only map it.",
      "  stats   the directory, the number of compiled modules and their size",
      "  clean   delete every compiled module (and temporary files a killed writer left)"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:the cache directory cannot be read or changed, or an unknown action"})
final class CacheCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "stats|clean", description = "what to do")
  String action;

  @Mixin CacheOptions cacheOptions;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      ModuleCache cache = cacheOptions.cache(List.of());
      switch (action) {
        case "stats" -> {
          CacheStats stats = cache.stats();
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
      err.println("error: compiled-module cache: " + e);
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
