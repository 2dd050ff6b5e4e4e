package dev.kiln.tests.upcall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.loader.exec.Executor;
import dev.kiln.loader.exec.GuardedUpcall;
import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.reflect.Method;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every FFM upcall Kiln makes goes through {@link GuardedUpcall} (red team 29 F1: a handler in the
 * target's own method can be skipped, and the throwable that escapes the upcall ends the JVM).
 * Read from the class files of Kiln's modules on the class path, so an upcall added next year is
 * held to it as soon as it is written.
 */
class UpcallsGuardedTest {
  @Test
  void theOnlyUpcallStubKilnMakesIsTheGuards() throws IOException {
    List<String> callers = new ArrayList<>();
    for (ClassModel model : kilnClasses()) {
      for (MethodModel method : model.methods()) {
        method.code().ifPresent(code -> code.elementStream()
            .filter(e -> e instanceof InvokeInstruction i
                && i.owner().asInternalName().equals("java/lang/foreign/Linker")
                && i.name().equalsString("upcallStub"))
            .forEach(e -> callers.add(model.thisClass().asInternalName() + "." + method.methodName())));
      }
    }
    assertEquals(List.of("dev/kiln/loader/exec/GuardedUpcall.stub"), callers);
  }

  /** An executor's entries into Java are guarded upcalls: its interface takes nothing else. */
  @Test
  void executorsTakeOnlyGuardedUpcalls() {
    List<String> entries = Arrays.stream(Executor.class.getMethods())
        .filter(m -> m.getName().endsWith("ostFunction"))
        .map(UpcallsGuardedTest::signature)
        .sorted()
        .toList();
    assertEquals(List.of("hostFunction(GuardedUpcall, Arena)", "staticHostFunction(GuardedUpcall)"), entries);
  }

  private static String signature(Method m) {
    return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
        .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
  }

  /** Kiln's own classes: a module's target/classes or a kiln-*.jar on the class path, not tests. */
  private static List<ClassModel> kilnClasses() throws IOException {
    List<ClassModel> models = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path path = Path.of(entry);
      boolean kiln = path.endsWith(Path.of("target", "classes"))
          || path.getFileName().toString().matches("kiln-.*-SNAPSHOT\\.jar");
      if (!kiln || !Files.exists(path)) {
        continue;
      }
      if (Files.isDirectory(path)) {
        read(path, models);
      } else {
        try (FileSystem jar = FileSystems.newFileSystem(path)) {
          read(jar.getPath("/"), models);
        }
      }
    }
    return models;
  }

  private static void read(Path root, List<ClassModel> models) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        models.add(ClassFile.of().parse(Files.readAllBytes(file)));
      }
    }
  }
}
