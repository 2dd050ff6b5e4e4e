package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The command line is written on the public API and its tools API (issue 37): no source file of its
 * main code names a package of the compiler, codegen, IR, loader, artifact, cache or emulator
 * modules, by import or by a qualified name, so every feature is wired once, behind {@code
 * dev.kiln.runtime}.
 */
class InternalImportsTest {
  private static final Pattern INTERNAL = Pattern.compile(
      "\\bdev\\.kiln\\.(loader|compiler|codegen|ir|artifact|cache|emulator)\\b(\\.[a-z][\\w.]*)?\\.[A-Z]");
  private static final Path MAIN = Path.of("src/main/java/dev/kiln/cli");

  @Test
  void theCommandsNameNoInternalPackage() throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(f -> {
        try {
          List<String> lines = Files.readAllLines(f);
          for (int i = 0; i < lines.size(); i++) {
            if (INTERNAL.matcher(lines.get(i)).find()) {
              found.add(MAIN.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    assertEquals(List.of(), found);
  }

  /**
   * Every package another module exports to this one ({@code exports P to ..., dev.kiln.cli}) is one
   * the commands import: no export kept for tests, which go through the same doors as the commands.
   */
  @Test
  void everyPackageExportedToTheCommandLineIsOneItsCommandsImport() throws IOException {
    Set<String> imported = new TreeSet<>();
    Pattern importLine = Pattern.compile("^import (?:static )?(dev\\.kiln\\.[a-z0-9.]*[a-z0-9])\\.[A-Z]");
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        for (String line : Files.readAllLines(f)) {
          Matcher m = importLine.matcher(line);
          if (m.find()) {
            imported.add(m.group(1));
          }
        }
      }
    }
    Pattern exportToCli = Pattern.compile("exports ([\\w.]+) to [^;]*\\bdev\\.kiln\\.cli\\b");
    List<String> unused = new ArrayList<>();
    try (Stream<Path> modules = Files.list(Path.of(".."))) {
      for (Path descriptor : modules.map(m -> m.resolve("src/main/java/module-info.java")).filter(Files::exists)
          .sorted().toList()) {
        Matcher m = exportToCli.matcher(Files.readString(descriptor));
        while (m.find()) {
          if (!imported.contains(m.group(1))) {
            unused.add(descriptor + ": " + m.group(1));
          }
        }
      }
    }
    assertTrue(imported.contains("dev.kiln.runtime.tools"), "reads the commands' imports: " + imported);
    assertEquals(List.of(), unused);
  }

  /** The pattern itself catches what it is for, so the test above cannot pass by matching nothing. */
  @Test
  void thePatternCatchesImportsAndQualifiedNames() throws IOException {
    assertTrue(INTERNAL.matcher("import dev.kiln.artifact.elf.BoundedFileReader;").find());
    assertTrue(INTERNAL.matcher("import dev.kiln.codegen.x64.lower.CpuFeatures;").find());
    assertTrue(INTERNAL.matcher("    } catch (dev.kiln.emulator.EmulatorException e) {").find());
    assertTrue(INTERNAL.matcher("import static dev.kiln.loader.runtime.NativeStore.DEFAULT_HEADROOM;").find());
    assertTrue(!INTERNAL.matcher("import dev.kiln.runtime.tools.CommandLineFiles;").find());
    try (Stream<Path> files = Files.walk(MAIN)) {
      assertTrue(files.anyMatch(f -> f.endsWith("RunCommand.java")), "reads the CLI's sources from " + MAIN);
    }
  }
}
