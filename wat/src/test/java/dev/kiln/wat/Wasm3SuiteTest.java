package dev.kiln.wat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The WebAssembly 3.0 suite (which wabt 1.0.32 cannot read): every module written as text or
 * {@code quote} outside {@code assert_malformed} must parse and encode, and every {@code
 * assert_malformed (module quote ...)} must be rejected; where wabt 1.0.32 reads a script, its
 * text modules are compared with wast2json's bytes as {@link SpecSuiteAgreementTest} does. The suite's {@code proposals/} folder holds
 * proposals that came after 3.0 and is left out.
 */
class Wasm3SuiteTest {
  /**
   * Modules where wabt 1.0.32 departs from the 3.0 binary format and the text reader follows it:
   * {@code (ref $t)} is 0x64 then the index (spec 5.3.4), which wabt writes in a draft's encoding
   * (0x6B); and code naming a data segment needs a data count section (spec 5.5.15) even when
   * there are no segments, which wabt leaves out.
   */
  private static final Set<String> KNOWN_WABT_DEPARTURES = Set.of("func.wast:660", "memory_init.wast:190",
      "memory_init.wast:266", "memory_init64.wast:190", "memory_init64.wast:266");

  @Test
  void everyWellFormedTextModuleEncodesAndEveryMalformedOneIsRejected() throws Exception {
    Path root = SpecSuiteAgreementTest.corpora().resolve("wasm3-testsuite");
    assumeTrue(Files.isDirectory(root), "no 3.0 suite at " + root);
    int encoded = 0;
    int rejected = 0;
    long readerNanos = 0;
    List<String> failures = new ArrayList<>();
    List<String> wabtDisagreements = new ArrayList<>();
    Wast2JsonReference wabt = Wast2JsonReference.locate().orElse(null);
    int comparedWithWabt = 0;
    int equalToWabt = 0;
    Path out = Path.of("target", "wast2json-reference-3.0");
    for (Path wast : SpecSuiteAgreementTest.scripts(root)) {
      if (root.relativize(wast).startsWith("proposals")) {
        // Proposals after 3.0 (threads, wide arithmetic, custom page sizes, custom descriptors).
        continue;
      }
      ScriptModules script;
      String source = Files.readString(wast);
      long lexStart = System.nanoTime();
      try {
        script = new ScriptModules(source, wast.toString());
        readerNanos += System.nanoTime() - lexStart;
      } catch (WatSyntaxException e) {
        failures.add(e.getMessage());
        continue;
      }
      // Where wabt 1.0.32 reads the script (with every feature it has), its bytes are the reference.
      String folder = root.relativize(wast.getParent()).toString().replace('/', '-');
      Map<Integer, Path> reference = wabt == null ? Map.of()
          : wabt.convert(wast.toAbsolutePath(), List.of("--enable-all"), out.resolve(folder.isEmpty() ? "root" : folder))
              .orElse(Map.of());
      for (ScriptModules.ModuleForm m : script.modules()) {
        String where = root.relativize(wast) + ":" + m.line();
        if (m.form() == ScriptModules.Form.TEXT && reference.containsKey(m.line())) {
          comparedWithWabt++;
          try {
            byte[] ours = ElementSegmentsAs20.normalize(Wat.encode(script.parse(m, Edition.WASM_3), wast.toString(), Edition.WASM_3));
            byte[] theirs = ElementSegmentsAs20.normalize(Files.readAllBytes(reference.get(m.line())));
            if (Arrays.equals(ours, theirs)) {
              equalToWabt++;
            } else if (!KNOWN_WABT_DEPARTURES.contains(where)) {
              wabtDisagreements.add(where + ": bytes differ at " + Arrays.mismatch(ours, theirs));
            }
          } catch (WatSyntaxException e) {
            // Counted below.
          }
        }
        boolean malformed = m.command().equals("assert_malformed");
        if (m.form() == ScriptModules.Form.BINARY) {
          continue;
        }
        try {
          long t0 = System.nanoTime();
          try {
            if (m.form() == ScriptModules.Form.TEXT) {
              Wat.encode(script.parse(m, Edition.WASM_3), wast.toString(), Edition.WASM_3);
            } else {
              Wat.toBinary(m.text(), where);
            }
          } finally {
            readerNanos += System.nanoTime() - t0;
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
    long millis = readerNanos / 1_000_000;
    System.out.println("3.0 suite: " + encoded + " modules parsed and encoded, " + rejected
        + " malformed texts rejected, " + failures.size() + " failures, " + millis + " ms in the text reader (lexing whole scripts, parsing and encoding their modules)");
    System.out.println("3.0 suite: " + comparedWithWabt + " text modules of scripts wast2json reads compared, "
        + equalToWabt + " equal");
    failures.forEach(System.out::println);
    wabtDisagreements.forEach(System.out::println);
    assertEquals(List.of(), failures);
    assertEquals(List.of(), wabtDisagreements);
  }
}
