package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Kiln's classes concatenate strings with {@code StringBuilder} calls, never an {@code
 * invokedynamic} of {@code StringConcatFactory} (the build's {@code -XDstringConcat=inline}): the
 * first such concatenation a JVM runs initialises that factory, and one run near the end of a
 * thread's stack, an embedder's call into Kiln there, left the class erroneous and every
 * concatenation of the process not yet linked failing for the JVM's life (issue 35, red team 22 F4:
 * {@code InstancePool.acquire}'s "pool full" and {@code ThreadClaim}'s "in use" messages). Read
 * from the class files of every Kiln module on the class path, as {@code javap -c} would show them.
 */
class StringConcatInlineTest {
  @Test
  void noKilnClassConcatenatesStringsWithInvokedynamic() throws IOException {
    List<Path> roots = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path path = Path.of(entry);
      // the modules' own classes: target/classes of a module, or a kiln-*.jar (not its tests)
      boolean kiln = path.endsWith(Path.of("target", "classes"))
          || path.getFileName().toString().matches("kiln-.*-SNAPSHOT\\.jar");
      if (kiln && Files.exists(path)) {
        roots.add(path);
      }
    }
    assertTrue(roots.size() >= 5, "Kiln's modules on the class path: " + roots);
    List<String> concatenating = new ArrayList<>();
    int classes = 0;
    for (Path root : roots) {
      if (Files.isDirectory(root)) {
        classes += scan(root, concatenating);
      } else {
        try (FileSystem jar = FileSystems.newFileSystem(root)) {
          classes += scan(jar.getPath("/"), concatenating);
        }
      }
    }
    assertTrue(classes > 1000, classes + " classes read");
    assertEquals(List.of(), concatenating);
  }

  /** Reads every class under {@code root}, adding each method with a concatenation site; returns how many it read. */
  private static int scan(Path root, List<String> concatenating) throws IOException {
    int classes = 0;
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        ClassModel model = ClassFile.of().parse(Files.readAllBytes(file));
        classes++;
        for (MethodModel method : model.methods()) {
          CodeModel code = method.code().orElse(null);
          if (code == null) {
            continue;
          }
          for (var element : code) {
            if (element instanceof InvokeDynamicInstruction indy
                && indy.bootstrapMethod().owner().descriptorString().equals("Ljava/lang/invoke/StringConcatFactory;")) {
              concatenating.add(model.thisClass().asInternalName() + "." + method.methodName().stringValue());
            }
          }
        }
      }
    }
    return classes;
  }
}
