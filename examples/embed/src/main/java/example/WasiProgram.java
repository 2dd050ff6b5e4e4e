package example;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Linker;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.WasiExit;
import dev.kiln.runtime.WasiOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A WASI program run from Java with its standard output captured: a sightglass benchmark (WASI
 * preview1 plus sightglass's bench.start/bench.end imports, defined here as Java lambdas). When the
 * program's directory holds sightglass's benchmark.stdout.expected, the captured output is checked
 * against it and a mismatch is exit status 1.
 */
public final class WasiProgram {
  public static void main(String[] args) throws IOException {
    Path wasm = Path.of(args.length > 0 ? args[0] : "../../../shared/corpora/sightglass/noop/benchmark.wasm");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    long[] benchStart = new long[1];
    int status;
    Engine engine = Engine.create();
    try (WasmModule module = WasmModule.compile(engine, wasm); Store store = new Store(engine)) {
      Linker linker = new Linker(store)
          .wasi(WasiOptions.builder().arg(wasm.getFileName().toString()).stdout(stdout).build())
          .func("bench", "start", Runnable.class, () -> benchStart[0] = System.nanoTime())
          .func("bench", "end", Runnable.class, () -> System.out.printf("measured: %.3f ms%n",
              (System.nanoTime() - benchStart[0]) / 1e6));
      Instance instance = linker.instantiate(module);
      try {
        instance.func("_start", Runnable.class).run();
        status = 0;
      } catch (WasiExit exit) {
        status = exit.status();
      }
    }
    String output = stdout.toString(StandardCharsets.UTF_8);
    System.out.print("captured stdout:\n" + output);
    System.out.println("exit status: " + status);
    Path expected = wasm.resolveSibling("benchmark.stdout.expected");
    if (Files.exists(expected)) {
      boolean same = output.equals(Files.readString(expected, StandardCharsets.UTF_8));
      System.out.println(same ? "stdout matches " + expected.getFileName() : "stdout DIFFERS from " + expected);
      if (!same) {
        System.exit(1);
      }
    }
    System.exit(status);
  }
}
