package dev.kiln.wast;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Converts {@code .wast} scripts to JSON with wabt's {@code wast2json} (Debian package {@code
 * wabt}, version 1.0.32 is what the suite's conversion was checked with).
 *
 * <p>Each script goes to {@code BUILD/<folder>-<hash>/<name>.json} plus its module files, where
 * {@code <folder>} is the script's folder name and {@code <hash>} tells apart folders of the same
 * name. A stamp file beside the JSON records the source's path, size and modification time, the
 * flags and the tool; when it matches, the earlier conversion is reused, so repeated runs over the
 * whole suite pay for wast2json once.
 */
public final class Wast2Json {
  /** What to do when the tool is missing; the runner prints it as is. */
  public static final String INSTALL_HINT = "install Debian's wabt (apt-get install wabt), "
      + "or name the binary with -Dkiln.wast2json=PATH or WAST2JSON=PATH";

  private final Path executable;

  private Wast2Json(Path executable) {
    this.executable = executable;
  }

  /**
   * Finds wast2json: the {@code kiln.wast2json} system property, the {@code WAST2JSON} environment
   * variable, else the {@code PATH}.
   */
  public static Wast2Json locate() throws ToolMissingException {
    String configured = System.getProperty("kiln.wast2json", System.getenv("WAST2JSON"));
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured);
      if (!Files.isExecutable(p)) {
        throw new ToolMissingException("wast2json not found at " + p + ": " + INSTALL_HINT);
      }
      return new Wast2Json(p);
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "wast2json");
      if (Files.isExecutable(candidate)) {
        return new Wast2Json(candidate);
      }
    }
    throw new ToolMissingException("wast2json not found on PATH: " + INSTALL_HINT);
  }

  /** The binary in use. */
  public Path executable() {
    return executable;
  }

  /**
   * Converts one script (or reuses an up-to-date conversion) and returns the JSON's path.
   *
   * @throws ConversionException if wast2json rejects the script
   */
  public Path convert(Path wast, Path buildDir) throws IOException, ConversionException {
    Path source = wast.toAbsolutePath().normalize();
    Path folder = source.getParent();
    String baseName = source.getFileName().toString().replaceFirst("\\.wast$", "");
    Path outDir = buildDir.resolve(folder.getFileName() + "-" + Integer.toHexString(folder.toString().hashCode()));
    Path json = outDir.resolve(baseName + ".json");
    Path stampFile = outDir.resolve(baseName + ".stamp");
    List<String> flags = Proposal.wast2jsonFlags(source);
    String stamp = "source=" + source + "\nsize=" + Files.size(source)
        + "\nmodified=" + Files.getLastModifiedTime(source).toMillis()
        + "\nflags=" + String.join(" ", flags) + "\ntool=" + executable + "\n";
    if (Files.exists(json) && Files.exists(stampFile) && Files.readString(stampFile).equals(stamp)) {
      return json;
    }
    Files.createDirectories(outDir);
    Files.deleteIfExists(stampFile);
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(flags);
    command.add(source.toString());
    command.add("-o");
    command.add(json.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int status;
    try {
      status = process.waitFor();
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while converting " + wast, e);
    }
    if (status != 0) {
      String firstLines = output.lines().limit(3).collect(Collectors.joining(" | "));
      throw new ConversionException("wast2json " + String.join(" ", flags) + (flags.isEmpty() ? "" : " ")
          + "failed (exit " + status + "): " + firstLines);
    }
    Files.writeString(stampFile, stamp);
    return json;
  }
}
