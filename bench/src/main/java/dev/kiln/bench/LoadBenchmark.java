package dev.kiln.bench;

import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.loader.instance.LoadedModule;
import dev.kiln.wasm.Wasm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading a {@code .cwasm}: map, structural and compat checks, publish {@code .text} R|X in place,
 * open the function index, decode module info, then unmap. The code itself is neither copied nor
 * read, so the time should not grow with code size; it may grow with the number of functions,
 * because opening the index validates every entry once. {@link #readWholeFile} is the reference for
 * "touching every byte": what a loader that copied or deserialised the code would at least pay.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class LoadBenchmark {
  /** Functions in the module; each has the same body, so code size is proportional to it. */
  @Param({"100", "1000", "10000", "50000"})
  public int functions;

  /** Additions per function body: the other way to scale code size, at a fixed function count. */
  @Param({"4", "64"})
  public int addsPerFunction;

  private Path artifact;

  @Setup(Level.Trial)
  public void compile() throws IOException {
    var module = Wasm.load(SyntheticModule.build(functions, addsPerFunction));
    CompiledModule compiled = Compiler.compile(module, X64Backend.forHost(), CompileOptions.defaults());
    byte[] bytes = ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "bench");
    artifact = Files.createTempFile("kiln-load-", ".cwasm");
    Files.write(artifact, bytes);
  }

  @TearDown(Level.Trial)
  public void delete() throws IOException {
    Files.deleteIfExists(artifact);
  }

  @Benchmark
  public int openAndClose() throws IOException {
    try (LoadedModule module = LoadedModule.open(artifact)) {
      return module.info().exports().size();
    }
  }

  @Benchmark
  public int readWholeFile() throws IOException {
    return Files.readAllBytes(artifact).length;
  }
}
