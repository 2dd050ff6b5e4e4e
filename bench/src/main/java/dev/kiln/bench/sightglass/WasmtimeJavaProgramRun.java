package dev.kiln.bench.sightglass;

import io.github.kawamuray.wasmtime.Extern;
import io.github.kawamuray.wasmtime.Func;
import io.github.kawamuray.wasmtime.Linker;
import io.github.kawamuray.wasmtime.Module;
import io.github.kawamuray.wasmtime.Store;
import io.github.kawamuray.wasmtime.WasmFunctions;
import io.github.kawamuray.wasmtime.wasi.WasiCtx;
import io.github.kawamuray.wasmtime.wasi.WasiCtxBuilder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One sightglass program on wasmtime-java 0.19.0 (Wasmtime 7.0.1, Cranelift 0.94.1), {@code bench/run
 * sightglass}'s {@code wasmtime-java} engine: {@code WasmtimeJavaProgramRun MODULE.wasm SCRATCH}. The scratch folder
 * is preopened as "." and receives the guest's stdout/stderr as {@code stdout}/{@code stderr};
 * prints one {@link ResultLine}. Wasmtime's WASI ends the guest's proc_exit with a trap whose
 * message carries the exit status, which is read back from that message.
 */
public final class WasmtimeJavaProgramRun {
  private WasmtimeJavaProgramRun() {}

  public static void main(String[] args) throws Exception {
    Path module = Path.of(args[0]);
    Path scratch = Path.of(args[1]);
    byte[] bytes = Files.readAllBytes(module);
    WasiCtx wasi = new WasiCtxBuilder()
        .arg(module.getFileName().toString())
        .stdout(scratch.resolve("stdout"))
        .stderr(scratch.resolve("stderr"))
        .preopenedDir(scratch, ".")
        .build();
    long[] bench = new long[2];
    try (Store<Void> store = Store.withoutData(wasi);
         Linker linker = new Linker(store.engine())) {
      long t0 = System.nanoTime();
      Module compiled = Module.fromBinary(store.engine(), bytes);
      long t1 = System.nanoTime();
      WasiCtx.addToLinker(linker);
      try (Func start = WasmFunctions.wrap(store, () -> bench[0] = System.nanoTime());
           Func end = WasmFunctions.wrap(store, () -> bench[1] = System.nanoTime())) {
        linker.define(store, "bench", "start", Extern.fromFunc(start));
        linker.define(store, "bench", "end", Extern.fromFunc(end));
        long t2 = System.nanoTime();
        linker.module(store, "", compiled);
        Func entry = linker.get(store, "", "_start").orElseThrow().func();
        long t3 = System.nanoTime();
        int exit = 0;
        try {
          WasmFunctions.consumer(store, entry).accept();
        } catch (RuntimeException e) {
          exit = exitStatus(e);
        }
        long t4 = System.nanoTime();
        System.out.println(ResultLine.format(exit, (t1 - t0) / 1e6, (t3 - t2) / 1e6,
            (bench[1] - bench[0]) / 1e6, (t4 - t2) / 1e6));
      } finally {
        compiled.close();
      }
    } catch (RuntimeException e) {
      System.out.println(ResultLine.formatFailure(String.valueOf(e.getMessage())));
    }
  }

  /** Wasmtime 7 reports proc_exit(n) as a trap "Exited with i32 exit status n". */
  private static int exitStatus(RuntimeException e) {
    String message = String.valueOf(e.getMessage());
    var m = java.util.regex.Pattern.compile("exit status (\\d+)").matcher(message);
    if (m.find()) {
      return Integer.parseInt(m.group(1));
    }
    throw e;
  }
}
