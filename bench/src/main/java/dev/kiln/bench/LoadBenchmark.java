package dev.kiln.bench;

import dev.kiln.artifact.seal.ArtifactSeal;
import dev.kiln.artifact.seal.SigningKey;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.wasm.Wasm;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
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
 * Loading a {@code .cwasm}, and what its seal costs. {@link #openAndClose}: the whole load (read
 * into private pages, seal's CRC32C over every byte, structural and compat checks, function index,
 * module info, the copy made read-only and {@code .text} R|X, unmap). {@link #openSignedAndClose}:
 * the load with a verify key (the same, and HMAC-SHA256), which is also what a compiled-module cache
 * hit costs. The parts: {@link #mapOnly} maps and unmaps without reading (what the load did before
 * the seal, when it mapped the file, minus its checks), {@link
 * #mapAndVerifyCrc32c} and {@link #mapAndVerifyHmac} add the seal's checks over the mapping, {@link
 * #mapAndSha256} is the keyless digest that was not chosen, and
 * {@link #readWholeFile} is the reference for touching every byte: what a loader that copied or
 * deserialised the code would at least pay.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class LoadBenchmark {
  /**
   * {@code hello} ({@code examples/hello.wasm}), or {@code F/A}: a {@link SyntheticModule} of F
   * functions of A additions each (code size grows with both; 50000/64 makes a 52 MB artifact).
   */
  @Param({"hello", "1000/64", "10000/64", "50000/4", "50000/64"})
  public String module;

  static final SigningKey KEY = SigningKey.of(new byte[32]);

  private Path artifact;
  private Path signed;

  @Setup(Level.Trial)
  public void compile() throws IOException {
    byte[] bytes = artifact(module);
    artifact = Files.createTempFile("kiln-load-", ".cwasm");
    Files.write(artifact, bytes);
    byte[] signedBytes = Arrays.copyOf(bytes, bytes.length);
    ArtifactSeal.sign(signedBytes, KEY);
    signed = Files.createTempFile("kiln-load-signed-", ".cwasm");
    Files.write(signed, signedBytes);
  }

  /** The x86-64 artifact of a {@link #module} parameter. */
  static byte[] artifact(String module) throws IOException {
    byte[] wasm;
    if (module.equals("hello")) {
      wasm = Files.readAllBytes(Path.of("examples", "hello.wasm"));
    } else {
      String[] size = module.split("/");
      wasm = SyntheticModule.build(Integer.parseInt(size[0]), Integer.parseInt(size[1]));
    }
    CompiledModule compiled = Compiler.compile(Wasm.load(wasm), X64Backend.forHost(), CompileOptions.defaults());
    return ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "bench");
  }

  @TearDown(Level.Trial)
  public void delete() throws IOException {
    Files.deleteIfExists(artifact);
    Files.deleteIfExists(signed);
  }

  @Benchmark
  public int openAndClose() throws IOException {
    try (LoadedModule module = LoadedModule.open(artifact)) {
      return module.info().exports().size();
    }
  }

  @Benchmark
  public int openSignedAndClose() throws IOException {
    try (LoadedModule module = LoadedModule.open(signed, null, null, Optional.of(KEY))) {
      return module.info().exports().size();
    }
  }

  @Benchmark
  public long mapOnly() throws IOException {
    try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(artifact, StandardOpenOption.READ)) {
      return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena).address();
    }
  }

  @Benchmark
  public int mapAndVerifyCrc32c() throws IOException {
    try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(artifact, StandardOpenOption.READ)) {
      MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
      return ArtifactSeal.verify(mapped, Optional.empty()).crc32c();
    }
  }

  /** The keyless digest not chosen: SHA-256 over the same bytes (SUN provider, SHA-NI intrinsic here). */
  @Benchmark
  public byte[] mapAndSha256() throws IOException, NoSuchAlgorithmException {
    try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(artifact, StandardOpenOption.READ)) {
      MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(mapped.asByteBuffer());
      return sha256.digest();
    }
  }

  @Benchmark
  public int mapAndVerifyHmac() throws IOException {
    try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(signed, StandardOpenOption.READ)) {
      MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
      return ArtifactSeal.verify(mapped, Optional.of(KEY)).crc32c();
    }
  }

  @Benchmark
  public int readWholeFile() throws IOException {
    return Files.readAllBytes(artifact).length;
  }
}
