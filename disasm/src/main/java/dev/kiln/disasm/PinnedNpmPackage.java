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
 * One npm package at one version, pinned by its tarball's {@code dist.integrity} (npm's sha512,
 * {@code npm view NAME@VERSION dist.integrity}), fetched on first use with {@code npm pack} into the
 * user's cache ({@code $XDG_CACHE_HOME/kiln-NAME/VERSION}, else {@code ~/.cache/...}) and moved into
 * place by one atomic rename, so concurrent processes never see half a package. Third-party code is
 * never part of the repository or of Kiln's jars; this is how Kiln's tools and tests reach it
 * ({@link CapstoneWasmPackage}, and binaryen's npm build for the WebAssembly 3.0 differential fuzzer).
 *
 * @param name the package's npm name
 * @param version its exact version
 * @param integrity its tarball's {@code dist.integrity} on registry.npmjs.org
 * @param marker a file inside the package ({@code package/} stripped) whose presence means "unpacked"
 */
public record PinnedNpmPackage(String name, String version, String integrity, String marker) {

  /** Why a pinned package is not there: no npm, no network, a tarball that is not the pinned one. */
  public static final class UnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** Whether the fetch could not even start (the command is not on PATH). */
    private final boolean noCommand;

    UnavailableException(String message, boolean noCommand, Throwable cause) {
      super(message, cause);
      this.noCommand = noCommand;
    }

    public boolean noCommand() {
      return noCommand;
    }
  }

  /** {@code NAME@VERSION}, as npm writes it. */
  public String spec() {
    return name + "@" + version;
  }

  /** The unpacked package in this user's cache, fetched with {@code npm pack} if it is not there. */
  public Path obtain() {
    return obtain(cacheRoot(System.getenv()).resolve(version),
        List.of("npm", "pack", "--silent", spec()));
  }

  /** The package unpacked under {@code home}, fetched there first by {@code pack} if it is not. */
  public Path obtain(Path home, List<String> pack) {
    Path unpacked = home.resolve("package");
    if (!Files.isRegularFile(unpacked.resolve(marker))) {
      fetch(home, unpacked, pack);
    }
    return unpacked;
  }

  /** Where this package goes: beside the compiled-module cache, so {@code kiln cache clean} leaves it. */
  public Path cacheRoot(Map<String, String> environment) {
    String xdg = environment.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "kiln-" + name);
    }
    String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".cache", "kiln-" + name);
  }

  private void fetch(Path home, Path unpacked, List<String> pack) {
    Path work = null;
    try {
      Files.createDirectories(home);
      work = Files.createTempDirectory(home, "fetch-");
      run(work, pack, "npm pack " + spec());
      Path tarball = work.resolve(name + "-" + version + ".tgz");
      if (!Files.isRegularFile(tarball)) {
        throw new UnavailableException("npm pack " + spec() + " left no " + tarball.getFileName(), false, null);
      }
      String actual = "sha512-" + Base64.getEncoder().encodeToString(
          MessageDigest.getInstance("SHA-512").digest(Files.readAllBytes(tarball)));
      if (!actual.equals(integrity)) {
        throw new UnavailableException(spec() + " from npm has integrity " + actual
            + ", not the pinned " + integrity, false, null);
      }
      // npm tarballs hold everything under package/ (npm-pack(1)).
      run(work, List.of("tar", "-xzf", tarball.getFileName().toString()), "tar -xzf");
      try {
        Files.move(work.resolve("package"), unpacked, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException racedByAnother) {
        // Another process unpacked the same checked tarball first.
      } catch (AtomicMoveNotSupportedException e) {
        throw new UnavailableException("cannot move the unpacked " + spec() + " into " + home, false, e);
      }
    } catch (IOException e) {
      throw new UnavailableException("cannot fetch " + spec() + " into " + home + ": " + e, false, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-512 (MessageDigest's required algorithms)", e);
    } finally {
      if (work != null) {
        deleteTree(work);
      }
    }
  }

  private void run(Path directory, List<String> command, String what) throws IOException {
    Process process;
    try {
      process = new ProcessBuilder(command).directory(directory.toFile())
          .redirectErrorStream(true).redirectOutput(directory.resolve("output.log").toFile()).start();
    } catch (IOException notOnPath) {
      throw new UnavailableException(command.get(0) + " (not on PATH) is needed to fetch " + spec(), true, notOnPath);
    }
    try {
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new UnavailableException(what + " did not finish in 5 minutes", false, null);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new UnavailableException(what + " interrupted", false, e);
    }
    if (process.exitValue() != 0) {
      String output = Files.readString(directory.resolve("output.log")).strip();
      String last = output.isEmpty() ? "" : ": " + output.lines().reduce((a, b) -> b).orElse("");
      throw new UnavailableException(what + " failed (exit " + process.exitValue() + ")" + last, false, null);
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
