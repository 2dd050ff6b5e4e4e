package dev.kiln.disasm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The Capstone 4 library inside Maven Central's {@code com.github.zhkl0228:capstone} jar, for machines
 * without a system Capstone 4.
 *
 * <p>That jar carries {@code libcapstone} for Linux x86-64 and AArch64, macOS and Windows, built with the
 * ARM architectures only ({@code cs_support(CS_ARCH_X86)} is false in every release up to 3.1.8, checked
 * with the library itself), so it gives a machine without a Capstone package AArch64 disassembly and
 * nothing for x86-64. Its Java (JNA) classes are not used: they always load this bundled library, which
 * would rule out x86-64 everywhere.
 */
final class BundledCapstone {
  private BundledCapstone() {}

  /** Copies the bundled library for this host into a private temporary file; null if there is none. */
  static Path extract() {
    String resource = resourceForHost();
    if (resource == null) {
      return null;
    }
    try (InputStream in = BundledCapstone.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      Path dir = Files.createTempDirectory("kiln-capstone");
      // Mapped for the life of the process; the directory entries are not needed after that. The
      // JVM deletes in the reverse order of registration, and a directory only once it is empty:
      // the directory first, so the library goes before it (registered the other way round, every
      // process left an empty directory behind).
      dir.toFile().deleteOnExit();
      Path library = dir.resolve(Path.of(resource).getFileName());
      library.toFile().deleteOnExit();
      Files.copy(in, library);
      return library;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the bundled Capstone library " + resource, e);
    }
  }

  /** The jar's folder names, per host. */
  private static String resourceForHost() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch");
    boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
    boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
    if (os.startsWith("linux")) {
      return x64 ? "linux-x86-64/libcapstone.so" : arm64 ? "linux-aarch64/libcapstone.so" : null;
    }
    if (os.startsWith("mac")) {
      return "darwin/libcapstone.dylib";
    }
    if (os.startsWith("windows")) {
      return x64 ? "win32-x86-64/capstone.dll" : null;
    }
    return null;
  }
}
