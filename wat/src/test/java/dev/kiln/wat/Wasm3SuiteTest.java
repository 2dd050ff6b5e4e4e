package dev.kiln.wat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The WebAssembly 3.0 suite (which wabt 1.0.32 cannot read): every module written as text or
 * {@code quote} outside {@code assert_malformed} must parse and encode, and every {@code
 * assert_malformed (module quote ...)} must be rejected. The suite's {@code proposals/} folder holds
 * proposals that came after 3.0 and is left out.
 */
class Wasm3SuiteTest {
  @Test
  void everyWellFormedTextModuleEncodesAndEveryMalformedOneIsRejected() throws Exception {
    Path root = SpecSuiteAgreementTest.corpora().resolve("wasm3-testsuite");
    assumeTrue(Files.isDirectory(root), "no 3.0 suite at " + root);
    int encoded = 0;
    int rejected = 0;
    long start = System.nanoTime();
    List<String> failures = new ArrayList<>();
    for (Path wast : SpecSuiteAgreementTest.scripts(root)) {
      if (root.relativize(wast).startsWith("proposals")) {
        // Proposals after 3.0 (threads, wide arithmetic, custom page sizes, custom descriptors).
        continue;
      }
      ScriptModules script;
      try {
        script = new ScriptModules(Files.readString(wast), wast.toString());
      } catch (WatSyntaxException e) {
        failures.add(e.getMessage());
        continue;
      }
      for (ScriptModules.ModuleForm m : script.modules()) {
        String where = root.relativize(wast) + ":" + m.line();
        boolean malformed = m.command().equals("assert_malformed");
        if (m.form() == ScriptModules.Form.BINARY) {
          continue;
        }
        try {
          if (m.form() == ScriptModules.Form.TEXT) {
            Wat.encode(script.parse(m), wast.toString());
          } else {
            Wat.toBinary(m.text(), where);
          }
          if (malformed) {
            failures.add(where + ": malformed text accepted");
          } else {
            encoded++;
          }
        } catch (WatSyntaxException e) {
          if (malformed) {
            rejected++;
          } else {
            failures.add(where + ": " + e.getMessage());
          }
        }
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println("3.0 suite: " + encoded + " modules parsed and encoded, " + rejected
        + " malformed texts rejected, " + failures.size() + " failures, " + millis + " ms including reading the scripts");
    failures.forEach(System.out::println);
    assertEquals(List.of(), failures);
  }
}
