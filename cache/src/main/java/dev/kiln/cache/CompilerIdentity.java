package dev.kiln.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.CodeSource;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which build of the compiler a process runs, for {@link ModuleCache}'s key: Kiln's version and a
 * digest of the name, size and modification time of every file the code-producing modules were
 * loaded from (their jars, or the files under {@code target/classes} when run from a build). While
 * the version is "dev" it is the same for every build, and code an older compiler wrote must not be
 * found by a newer one; a rebuilt jar is a new identity, so the cache compiles again. Stat calls
 * only: the digest covers a handful of jars without reading them.
 */
public final class CompilerIdentity {
  private CompilerIdentity() {}

  /**
   * The identity of Kiln {@code kilnVersion} whose artifacts are made by the code of {@code
   * codeProducers} (a class from each module that decides what an artifact holds: decoder, IR,
   * code generators, compiler, artifact writer).
   */
  public static String of(String kilnVersion, List<Class<?>> codeProducers) {
    Sha256 sha = new Sha256();
    for (Class<?> type : codeProducers) {
      CodeSource source = type.getProtectionDomain().getCodeSource();
      sha.update((type.getName() + "\n").getBytes(StandardCharsets.UTF_8));
      if (source == null) {
        continue; // a platform class: the JDK's version is not the compiler's
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
    return "kiln " + kilnVersion + " build " + HexFormat.of().formatHex(sha.digest(), 0, 16);
  }
}
