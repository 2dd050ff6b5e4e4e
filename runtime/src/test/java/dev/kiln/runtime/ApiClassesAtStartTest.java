package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The first engine initialises, on a thread of its own, every class of this module that has a static
 * initialiser ({@link Engine.Statics#INITIALISED_AT_START}): one first initialised near the end of a thread's
 * stack, where its initialiser overflowed, is erroneous for the JVM's life (JLS 12.4.2; issue 35, red
 * team 25 F1 and F3). Read from the module's class files, as {@code javap -p} shows them, so a class
 * added next year is held to it as soon as it is written; and none of them is a numbered class
 * (javac's switch maps, {@code Engine$1}), whose name would change with the file's other switches.
 */
class ApiClassesAtStartTest {
  @Test
  void everyClassWithAnInitialiserIsInitialisedAtEngineStart() throws IOException, URISyntaxException {
    Set<String> withInitialiser = new TreeSet<>();
    Path classes = Path.of(Engine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (Files.isDirectory(classes)) {
      read(classes, withInitialiser);
    } else {
      try (FileSystem jar = FileSystems.newFileSystem(classes)) {
        read(jar.getPath("/"), withInitialiser);
      }
    }
    assertTrue(withInitialiser.contains("dev.kiln.runtime.RefType"), withInitialiser + " read from " + classes);
    Set<String> numbered = new TreeSet<>();
    for (String name : withInitialiser) {
      if (name.matches(".*\\$[0-9]+")) {
        numbered.add(name);
      }
    }
    assertEquals(Set.of(), numbered, "numbered classes with a <clinit> (javac's switch maps: switch over no enum,"
        + " write an if-chain)");
    Set<String> missing = new TreeSet<>(withInitialiser);
    missing.removeAll(Engine.Statics.INITIALISED_AT_START);
    assertEquals(Set.of(), missing, "classes with a <clinit> that Engine.Statics.INITIALISED_AT_START does not name");
    Set<String> stale = new TreeSet<>(Engine.Statics.INITIALISED_AT_START);
    stale.removeAll(withInitialiser);
    assertEquals(Set.of(), stale, "names in Engine.Statics.INITIALISED_AT_START with no <clinit>");
  }

  @Test
  void referenceTypesTouchedAtAStacksEndAfterAnEngineStillWork() throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        ApiClassesAtStackEnd.class.getName()));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(5, TimeUnit.MINUTES), "the child did not finish");
    assertEquals(0, child.exitValue(), output);
    // the window reached the stack's end: some attempts there overflowed
    assertTrue(output.lines().anyMatch(l -> l.matches("overflowed [1-9][0-9]* of 12000")), output);
    assertTrue(output.lines().anyMatch("ok funcref funcref"::equals), output);
  }

  private static void read(Path root, Set<String> withInitialiser) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        ClassModel model = ClassFile.of().parse(Files.readAllBytes(file));
        if (model.methods().stream().anyMatch(m -> m.methodName().equalsString("<clinit>"))) {
          withInitialiser.add(model.thisClass().asInternalName().replace('/', '.'));
        }
      }
    }
  }
}
