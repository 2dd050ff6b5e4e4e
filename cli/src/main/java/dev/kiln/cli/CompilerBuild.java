package dev.kiln.cli;

import dev.kiln.artifact.compat.CompatHeader;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.ir.Function;
import dev.kiln.wasm.Wasm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which build of the compiler this process runs, for the compiled-module cache's key: Kiln's version
 * and a digest of the name, size and modification time of every file the code-producing modules
 * were loaded from (their jars, or under {@code target/classes} when run from a build). While the
 * version is "dev" it is the same for every build, and code that an older compiler wrote must not
 * be found by a newer one; a rebuilt jar is a new identity, so the cache recompiles. Stat calls
 * only: the digest covers a handful of jars without reading them.
 */
final class CompilerBuild {
  /** A class from each module whose code decides what an artifact holds. */
  private static final List<Class<?>> CODE_PRODUCERS = List.of(Wasm.class, Function.class, Backend.class,
      X64Backend.class, AArch64Backend.class, Compiler.class, CompatHeader.class);

  private CompilerBuild() {}

  static String identity() {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every Java platform has SHA-256
    }
    for (Class<?> type : CODE_PRODUCERS) {
      CodeSource source = type.getProtectionDomain().getCodeSource();
      if (source == null) {
        continue; // not from a file: nothing to fingerprint
      }
      try {
        Path location = Path.of(source.getLocation().toURI());
        try (Stream<Path> files = Files.isDirectory(location) ? Files.walk(location).sorted() : Stream.of(location)) {
          for (Path file : files.toList()) {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            sha.update((file + "\0" + a.size() + "\0" + a.lastModifiedTime().toMillis() + "\n")
                .getBytes(StandardCharsets.UTF_8));
          }
        }
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return "kiln " + KilnVersion.current() + " build " + HexFormat.of().formatHex(sha.digest(), 0, 16);
  }
}
