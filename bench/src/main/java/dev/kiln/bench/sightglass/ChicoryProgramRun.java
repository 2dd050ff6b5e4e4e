package dev.kiln.bench.sightglass;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * One sightglass program on Chicory 1.7.5 with its runtime compiler (wasm to JVM bytecode, then the
 * JVM's JIT), {@code bench/run sightglass}'s {@code chicory} engine: {@code ChicoryProgramRun MODULE.wasm
 * SCRATCH}.
 * Compile = {@code Parser.parse} plus {@code MachineFactoryCompiler.compile}; WASI is Chicory's own
 * preview1 with the scratch folder preopened as "."; prints one {@link ResultLine}.
 */
public final class ChicoryProgramRun {
  private ChicoryProgramRun() {}

  public static void main(String[] args) throws Exception {
    Path modulePath = Path.of(args[0]);
    Path scratch = Path.of(args[1]);
    byte[] bytes = Files.readAllBytes(modulePath);
    try {
      long t0 = System.nanoTime();
      WasmModule module = Parser.parse(bytes);
      Function<Instance, Machine> machine = MachineFactoryCompiler.compile(module);
      long t1 = System.nanoTime();
      long[] bench = new long[2];
      try (OutputStream stdout = new BufferedOutputStream(Files.newOutputStream(scratch.resolve("stdout")));
           OutputStream stderr = new BufferedOutputStream(Files.newOutputStream(scratch.resolve("stderr")));
           WasiPreview1 wasi = WasiPreview1.builder().withOptions(WasiOptions.builder()
               .withArguments(List.of(modulePath.getFileName().toString()))
               .withStdin(InputStream.nullInputStream())
               .withStdout(stdout)
               .withStderr(stderr)
               .withDirectory(".", scratch)
               .build()).build()) {
        long t2 = System.nanoTime();
        HostFunction start = new HostFunction("bench", "start", FunctionType.empty(), (instance, a) -> {
          bench[0] = System.nanoTime();
          return null;
        });
        HostFunction end = new HostFunction("bench", "end", FunctionType.empty(), (instance, a) -> {
          bench[1] = System.nanoTime();
          return null;
        });
        Instance instance = Instance.builder(module)
            .withImportValues(ImportValues.builder().addFunction(wasi.toHostFunctions())
                .addFunction(start, end).build())
            .withMachineFactory(machine)
            .withStart(false)
            .build();
        long t3 = System.nanoTime();
        int exit = 0;
        try {
          instance.export("_start").apply();
        } catch (WasiExitException e) {
          exit = e.exitCode();
        }
        long t4 = System.nanoTime();
        stdout.flush();
        stderr.flush();
        System.out.println(ResultLine.format(exit, (t1 - t0) / 1e6, (t3 - t2) / 1e6,
            (bench[1] - bench[0]) / 1e6, (t4 - t2) / 1e6));
      }
    } catch (RuntimeException e) {
      System.out.println(ResultLine.formatFailure("failed: " + e.getClass().getSimpleName() + ": "
          + e.getMessage()));
    }
  }
}
