package dev.kiln.maven;

import dev.kiln.runtime.ExportType;
import dev.kiln.runtime.ImportType;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.Target;
import dev.kiln.runtime.WasmModule;
import dev.kiln.wat.Wat;
import dev.kiln.wat.WatSyntaxException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.SourceVersion;

/**
 * One execution's work: read the module, and unless its {@link BuildStamp} says the outputs are
 * those of the same inputs, validate it, compile it for every target with {@link
 * dev.kiln.runtime.Engine#precompile}, write the class ({@link BindingWriter}) and the resources,
 * and record the new stamp. The outputs are the same bytes for the same inputs: the compiler's
 * output does not depend on thread count or timing, and nothing here writes a date or a path.
 */
final class ModuleBuild {
  private ModuleBuild() {}

  /**
   * Where the outputs go.
   *
   * @param sources the generated-sources root (a compile source root)
   * @param resources the generated-resources root (packed into the jar)
   * @param stamps where the stamps are kept, one per class
   */
  record Roots(Path sources, Path resources, Path stamps) {}

  /**
   * What an execution did.
   *
   * @param upToDate whether nothing was redone
   * @param outputs the outputs, as the stamp names them ({@code sources/...}, {@code resources/...})
   */
  record Result(boolean upToDate, List<String> outputs) {}

  private static final String SOURCES = "sources/";
  private static final String RESOURCES = "resources/";

  /**
   * Builds what {@code settings} asks for, unless it is up to date.
   *
   * @throws BuildFailure if the module cannot be read, decoded, validated or compiled, or a setting
   *     is wrong: one line
   * @throws IOException if an output cannot be written
   */
  static Result run(BuildSettings settings, Roots roots) throws BuildFailure, IOException {
    if (!SourceVersion.isName(settings.className())) {
      throw new BuildFailure("className '" + settings.className() + "' is no Java class name");
    }
    byte[] wasm = read(settings);
    String inputs = digestOfInputs(settings, wasm);
    Path stampFile = roots.stamps().resolve(settings.className() + ".stamp");
    Optional<BuildStamp> previous = BuildStamp.read(stampFile);
    if (previous.isPresent() && previous.get().inputs().equals(inputs)
        && previous.get().outputsIntact(path -> resolve(roots, path))) {
      return new Result(true, List.copyOf(previous.get().outputs().keySet()));
    }

    try {
      WasmModule.validate(wasm);
    } catch (KilnException e) {
      throw new BuildFailure(settings.moduleLabel() + ": " + e.getMessage());
    }
    String resourceDir = settings.packageName().isEmpty() ? "" : settings.packageName().replace('.', '/') + "/";
    Map<String, byte[]> outputs = new LinkedHashMap<>();
    List<ImportType> imports = null;
    List<ExportType> exports = null;
    for (Target target : settings.targets()) {
      byte[] artifact = compile(settings, target, wasm);
      if (imports == null) {
        imports = WasmModule.precompiledImports(artifact);
        exports = WasmModule.precompiledExports(artifact);
      }
      outputs.put(RESOURCES + resourceDir + settings.simpleName() + "." + target.displayName() + ".cwasm", artifact);
    }
    if (settings.embedWasm()) {
      outputs.put(RESOURCES + resourceDir + settings.simpleName() + ".wasm", wasm);
    }
    String source = BindingWriter.write(settings, imports, exports);
    outputs.put(SOURCES + resourceDir + settings.simpleName() + ".java", source.getBytes(StandardCharsets.UTF_8));

    // What the previous build wrote and this one does not (a target dropped, the .wasm no longer
    // packed) would otherwise stay in the jar.
    if (previous.isPresent()) {
      for (String old : previous.get().outputs().keySet()) {
        if (!outputs.containsKey(old)) {
          Files.deleteIfExists(resolve(roots, old));
        }
      }
    }
    Map<String, String> digests = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> output : outputs.entrySet()) {
      Path file = resolve(roots, output.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, output.getValue());
      digests.put(output.getKey(), BuildStamp.digestOf(output.getValue()));
    }
    new BuildStamp(inputs, digests).write(stampFile);
    return new Result(false, List.copyOf(outputs.keySet()));
  }

  /** The module's binary: a {@code .wat} file (or any text) encoded by Kiln's text reader. */
  private static byte[] read(BuildSettings settings) throws BuildFailure, IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(settings.module());
    } catch (NoSuchFileException e) {
      throw new BuildFailure(settings.moduleLabel() + ": no such file");
    }
    boolean binary = bytes.length >= 4 && bytes[0] == 0 && bytes[1] == 'a' && bytes[2] == 's' && bytes[3] == 'm';
    if (binary && !settings.module().toString().endsWith(".wat")) {
      return bytes;
    }
    try {
      return Wat.toBinaryWithNames(Wat.decode(bytes, settings.moduleLabel()), settings.moduleLabel());
    } catch (WatSyntaxException e) {
      throw new BuildFailure(e.getMessage());
    }
  }

  private static String digestOfInputs(BuildSettings settings, byte[] wasm) throws BuildFailure {
    try {
      return BuildStamp.inputs(settings, wasm);
    } catch (IOException e) {
      throw new BuildFailure("signKey " + settings.signKey().orElseThrow() + ": cannot read: " + e.getMessage());
    }
  }

  private static byte[] compile(BuildSettings settings, Target target, byte[] wasm) throws BuildFailure {
    try {
      return settings.engine(target).precompile(wasm);
    } catch (KilnException e) {
      throw new BuildFailure(settings.moduleLabel() + ": " + e.getMessage() + " (compiling for " + target.displayName()
          + ")");
    } catch (IllegalArgumentException | UncheckedIOException e) {
      // A key the engine refuses (too short, unreadable) or an unknown x86-64 extension.
      throw new BuildFailure(e.getMessage());
    }
  }

  private static Path resolve(Roots roots, String output) {
    if (output.startsWith(SOURCES)) {
      return roots.sources().resolve(output.substring(SOURCES.length()));
    }
    if (output.startsWith(RESOURCES)) {
      return roots.resources().resolve(output.substring(RESOURCES.length()));
    }
    throw new IllegalArgumentException("not an output of this build: " + output);
  }
}
