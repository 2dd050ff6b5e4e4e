package dev.kiln.loader.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link CallPathClasses} names other modules' classes by hand ({@code loader}'s, {@code
 * artifact}'s), so each name is checked against the class files on the class path, as {@code
 * ApiClassesAtStartTest} checks the API's: it must name a class file, and not a numbered class
 * (javac's switch maps, {@code StoreGc$3} until issue 35), whose number changes with the other
 * switches of the file it comes from. A class renamed or moved fails here naming it, rather than
 * every engine's start with "no class ... to initialise".
 */
class CallPathClassFilesTest {
  @Test
  void everyNamedClassHasAClassFileAndARealName() throws IOException {
    List<String> wrong = new ArrayList<>();
    ClassLoader loader = CallPathClasses.class.getClassLoader();
    for (String name : CallPathClasses.kilnClasses()) {
      if (name.matches(".*\\$[0-9]+")) {
        wrong.add(name + ": a numbered class (a javac switch map: switch over no enum there, write an if-chain)");
        continue;
      }
      try (InputStream file = loader.getResourceAsStream(name.replace('.', '/') + ".class")) {
        if (file == null) {
          wrong.add(name + ": no class file on the class path");
        }
      }
    }
    assertEquals(List.of(), wrong, "names in CallPathClasses");
  }
}
