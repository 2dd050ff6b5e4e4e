package dev.kiln.bench;

import com.dylibso.chicory.wasm.Parser;
import dev.kiln.wasm.Wasm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode + validate one module, Kiln beside Chicory's parser (which validates by default), on one
 * thread. {@link DecodeThroughput} runs this over the sightglass corpus and turns the average times
 * into MB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecodeBenchmark {
  /** Path of the .wasm file; set by the harness for each module of the corpus. */
  @Param("")
  public String file;

  private byte[] bytes;

  @Setup
  public void read() {
    try {
      bytes = Files.readAllBytes(Path.of(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Benchmark
  public Object kiln() {
    return Wasm.load(bytes);
  }

  @Benchmark
  public Object chicory() {
    return Parser.parse(bytes);
  }
}
