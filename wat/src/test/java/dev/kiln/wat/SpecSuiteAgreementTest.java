package dev.kiln.wat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every text module of the 2022 spec suite (the suite wabt 1.0.32 reads) encoded by the text
 * reader and compared byte for byte with what {@code wast2json} writes for the same module.
 */
class SpecSuiteAgreementTest {
  static Path corpora() {
    return Path.of(System.getProperty("kiln.corpora", "../../shared/corpora"));
  }

  static List<Path> scripts(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.toString().endsWith(".wast")).sorted().toList();
    }
  }

  @Test
  void everyTextModuleOfThe2022SuiteMatchesWast2json() throws Exception {
    Optional<Wast2JsonReference> tool = Wast2JsonReference.locate();
    assumeTrue(tool.isPresent(), "wast2json is not installed");
    Path root = corpora().resolve("spec-testsuite");
    assumeTrue(Files.isDirectory(root), "no 2022 suite at " + root);
    Path out = Path.of("target", "wast2json-reference");
    int compared = 0;
    List<String> disagreements = new ArrayList<>();
    for (Path wast : scripts(root)) {
      String folder = root.relativize(wast.getParent()).toString().replace('/', '-');
      Map<Integer, Path> reference = tool.get()
          .convert(wast.toAbsolutePath(), Wast2JsonReference.flagsFor(wast), out.resolve(folder.isEmpty() ? "root" : folder))
          .orElseThrow(() -> new AssertionError("wast2json rejects " + wast));
      ScriptModules script = new ScriptModules(Files.readString(wast), wast.toString());
      for (ScriptModules.ModuleForm m : script.modules()) {
        if (m.form() != ScriptModules.Form.TEXT || !reference.containsKey(m.line())) {
          continue;
        }
        compared++;
        String where = wast.getFileName() + ":" + m.line();
        try {
          byte[] ours = Wat.encode(script.parse(m), wast.toString());
          byte[] theirs = Files.readAllBytes(reference.get(m.line()));
          if (!Arrays.equals(ours, theirs)) {
            disagreements.add(where + ": bytes differ at " + Arrays.mismatch(ours, theirs));
          }
        } catch (WatSyntaxException e) {
          disagreements.add(where + ": " + e.getMessage());
        }
      }
    }
    System.out.println("2022 suite: " + compared + " text modules compared, " + (compared - disagreements.size())
        + " byte-equal to wast2json");
    disagreements.forEach(System.out::println);
    assertEquals(List.of(), disagreements);
  }
}
