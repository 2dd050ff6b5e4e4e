package dev.kiln.maven;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Target;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What a build made, and from what: a SHA-256 of every input that changes the outputs (the module's
 * bytes, the class name, the targets and compile settings, the signing key's bytes, and the Kiln
 * that compiles: the digest of its jars, since a snapshot keeps its version while its compiler
 * changes), and the SHA-256 of each output file. A build is up to date when the inputs' digest is
 * the recorded one and every output is still there with its recorded digest, so an output deleted
 * or edited by hand is made again. Stored as text, one {@code key digest} line each.
 *
 * @param inputs the inputs' digest
 * @param outputs each output's path (relative to the build's output roots) and digest, in order
 */
record BuildStamp(String inputs, Map<String, String> outputs) {
  private static final String INPUTS = "inputs";
  /** Changed when what the stamp covers changes, so stamps of an older plugin never match. */
  private static final String FORMAT = "kiln-maven-plugin stamp 1";

  BuildStamp {
    outputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
  }

  /** The digest of everything {@code settings} builds from, given the module's binary. */
  static String inputs(BuildSettings settings, byte[] wasm) throws IOException {
    MessageDigest digest = sha256();
    List<String> fields = new ArrayList<>();
    fields.add(FORMAT);
    fields.add("module " + hex(sha256().digest(wasm)));
    fields.add("class " + settings.className());
    fields.add("targets " + settings.targets().stream().map(Target::displayName).toList());
    fields.add("epoch " + settings.epochInterruption());
    fields.add("fuel " + settings.consumeFuel());
    fields.add("bounds " + settings.explicitBoundsChecks());
    fields.add("x86 " + settings.x86Features());
    fields.add("embed " + settings.embedWasm());
    Optional<Path> key = settings.signKey();
    fields.add("key " + (key.isPresent() ? hex(sha256().digest(Files.readAllBytes(key.get()))) : "none"));
    fields.add("kiln " + kilnDigest());
    for (String field : fields) {
      digest.update((field + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return hex(digest.digest());
  }

  /** The stamp in {@code file}, empty if there is none or it is not one. */
  static Optional<BuildStamp> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.getFirst().startsWith(INPUTS + " ")) {
      return Optional.empty();
    }
    Map<String, String> outputs = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      int space = line.lastIndexOf(' ');
      // An output path is relative and stays inside its root: a damaged stamp must not make the build
      // read or delete a file elsewhere.
      if (space <= 0 || line.startsWith("/") || ("/" + line.substring(0, space) + "/").contains("/../")) {
        return Optional.empty();
      }
      outputs.put(line.substring(0, space), line.substring(space + 1));
    }
    return Optional.of(new BuildStamp(lines.getFirst().substring(INPUTS.length() + 1), outputs));
  }

  /** Writes the stamp to {@code file}. */
  void write(Path file) throws IOException {
    StringBuilder text = new StringBuilder(INPUTS).append(' ').append(inputs).append('\n');
    outputs.forEach((path, sha) -> text.append(path).append(' ').append(sha).append('\n'));
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /** Whether every output is at {@code resolve(path)} with its recorded digest. */
  boolean outputsIntact(java.util.function.Function<String, Path> resolve) throws IOException {
    for (Map.Entry<String, String> output : outputs.entrySet()) {
      Path file = resolve.apply(output.getKey());
      if (!Files.isRegularFile(file) || !output.getValue().equals(hex(sha256().digest(Files.readAllBytes(file))))) {
        return false;
      }
    }
    return true;
  }

  static String digestOf(byte[] bytes) {
    return hex(sha256().digest(bytes));
  }

  /**
   * The Kiln jars this plugin runs with: every {@code kiln*.jar} of its class loaders (Maven gives
   * a plugin a {@link URLClassLoader}) and of the class path, by name and content, sorted so that
   * their order does not matter. (Kiln's classes in a directory, as in a reactor build of Kiln
   * itself, are not covered: a stamp can miss only a change to Kiln made in that same build.)
   */
  private static String kilnDigest() {
    TreeSet<Path> jars = new TreeSet<>();
    for (ClassLoader loader = Engine.class.getClassLoader(); loader != null; loader = loader.getParent()) {
      if (loader instanceof URLClassLoader urls) {
        for (URL url : urls.getURLs()) {
          try {
            jars.add(Path.of(url.toURI()));
          } catch (URISyntaxException | IllegalArgumentException e) {
            // Not a file: nothing Kiln's classes come from.
          }
        }
      }
    }
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        jars.add(Path.of(entry));
      }
    }
    MessageDigest digest = sha256();
    for (Path jar : jars) {
      String name = jar.getFileName() == null ? "" : jar.getFileName().toString();
      if (!name.startsWith("kiln")) {
        continue;
      }
      digest.update(name.getBytes(StandardCharsets.UTF_8));
      if (Files.isRegularFile(jar)) {
        try {
          digest.update(Files.readAllBytes(jar));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + jar, e);
        }
      }
    }
    return hex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
