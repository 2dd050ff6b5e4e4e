package dev.kiln.disasm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * npm's {@code capstone-wasm} package, pinned: Capstone 5.0 compiled to one WebAssembly module
 * ({@code dist/capstone.wasm}) with its JavaScript loader. It is Kiln's x86-64 disassembler on a
 * machine without Debian's {@code libcapstone4}: {@code kiln objdump} runs the module on Kiln, the
 * encoder tests run it on Node through the package's own API.
 *
 * <p>The package is third-party code, so it is never part of the repository or of Kiln's jars: it is
 * fetched on first use with {@code npm pack} (npm's own cache makes later fetches local), its tarball
 * checked against the pinned {@code dist.integrity} (npm's sha512 of the tarball, {@code npm view
 * capstone-wasm@1.0.3 dist.integrity}), unpacked beside the compiled-module cache ({@code
 * $XDG_CACHE_HOME/kiln-capstone-wasm/1.0.3}, else {@code ~/.cache/...}) and moved into place by one
 * atomic rename, so concurrent processes never see half a package. A machine without npm gets a
 * {@link DisassemblerUnavailableException} whose one line says what to install.
 */
public final class CapstoneWasmPackage {
  public static final String NAME = "capstone-wasm";
  public static final String VERSION = "1.0.3";
  /** {@code dist.integrity} of capstone-wasm 1.0.3 on registry.npmjs.org. */
  static final String INTEGRITY =
      "sha512-4DCE+JsgZ2eDUUp1kDDTa6pxD4m3hY5Eh1Xl6r7XKD/g3Jxt7IOnidCJsAKXua2aTL6SAqUGsdKJ184K3rXGwA==";
  private static final String WASM = "dist/capstone.wasm";
  /** Writes {@code capstone-wasm-1.0.3.tgz} into the working directory (npm-pack(1)). */
  private static final List<String> NPM_PACK = List.of("npm", "pack", "--silent", NAME + "@" + VERSION);

  private final Path directory;

  private CapstoneWasmPackage(Path directory) {
    this.directory = directory;
  }

  /** The unpacked package (its {@code package.json} at the top), fetched first if it is not there yet. */
  public Path directory() {
    return directory;
  }

  /** Capstone compiled to WebAssembly. */
  public Path wasm() {
    return directory.resolve(WASM);
  }

  /**
   * The package in this user's cache, fetched with npm if it is not there.
   *
   * @throws DisassemblerUnavailableException if it is not there and cannot be fetched (no npm, no
   *     network, a tarball that does not match the pinned integrity)
   */
  public static CapstoneWasmPackage obtain() {
    return obtain(cacheRoot(System.getenv()).resolve(VERSION), NPM_PACK);
  }

  /** The package unpacked under {@code home}, fetched there first by {@code pack} if it is not. */
  static CapstoneWasmPackage obtain(Path home, List<String> pack) {
    Path unpacked = home.resolve("package");
    if (!Files.isRegularFile(unpacked.resolve(WASM))) {
      fetch(home, unpacked, pack);
    }
    return new CapstoneWasmPackage(unpacked);
  }

  /** Where packages go: beside the compiled-module cache, so {@code kiln cache clean} leaves them. */
  static Path cacheRoot(Map<String, String> environment) {
    String xdg = environment.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "kiln-capstone-wasm");
    }
    String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".cache", "kiln-capstone-wasm");
  }

  private static void fetch(Path home, Path unpacked, List<String> pack) {
    String spec = NAME + "@" + VERSION;
    Path work = null;
    try {
      Files.createDirectories(home);
      work = Files.createTempDirectory(home, "fetch-");
      run(work, pack, "npm pack " + spec);
      Path tarball = work.resolve(NAME + "-" + VERSION + ".tgz");
      if (!Files.isRegularFile(tarball)) {
        throw new DisassemblerUnavailableException("npm pack " + spec + " left no " + tarball.getFileName());
      }
      String integrity = "sha512-" + Base64.getEncoder().encodeToString(
          MessageDigest.getInstance("SHA-512").digest(Files.readAllBytes(tarball)));
      if (!integrity.equals(INTEGRITY)) {
        throw new DisassemblerUnavailableException(spec + " from npm has integrity " + integrity
            + ", not the pinned " + INTEGRITY);
      }
      // npm tarballs hold everything under package/ (npm-pack(1)).
      run(work, List.of("tar", "-xzf", tarball.getFileName().toString()), "tar -xzf");
      try {
        Files.move(work.resolve("package"), unpacked, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException racedByAnother) {
        // Another process unpacked the same checked tarball first.
      } catch (AtomicMoveNotSupportedException e) {
        throw new DisassemblerUnavailableException("cannot move the unpacked " + spec + " into " + home, e);
      }
    } catch (IOException e) {
      throw new DisassemblerUnavailableException("cannot fetch " + spec + " into " + home + ": " + e, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-512 (MessageDigest's required algorithms)", e);
    } finally {
      if (work != null) {
        deleteTree(work);
      }
    }
  }

  private static void run(Path directory, List<String> command, String what) throws IOException {
    Process process;
    try {
      process = new ProcessBuilder(command).directory(directory.toFile())
          .redirectErrorStream(true).redirectOutput(directory.resolve("output.log").toFile()).start();
    } catch (IOException notOnPath) {
      throw new DisassemblerUnavailableException("no Capstone for this ISA: install Debian's libcapstone4"
          + " (apt-get install libcapstone4), or " + command.get(0) + " (not on PATH), which fetches "
          + NAME + "@" + VERSION);
    }
    try {
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new DisassemblerUnavailableException(what + " did not finish in 5 minutes");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new DisassemblerUnavailableException(what + " interrupted", e);
    }
    if (process.exitValue() != 0) {
      String output = Files.readString(directory.resolve("output.log")).strip();
      String last = output.isEmpty() ? "" : ": " + output.lines().reduce((a, b) -> b).orElse("");
      throw new DisassemblerUnavailableException(what + " failed (exit " + process.exitValue() + ")" + last);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + root, e);
    }
  }
}
