package dev.kiln.codegen.aarch64.lower;

import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.disasm.Isa;
import dev.kiln.codegen.testsupport.GoldenListings;
import dev.kiln.ir.text.Parser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files under {@code src/test/resources/golden/lower} ({@link GoldenListings}): IR text in,
 * then {@code ; expect:} and the compiled AArch64 code as Capstone prints it, with relocations, trap
 * sites and the address map, for every function of the file. Every allocation runs through the checker. Rewrite the
 * expectations with {@code -Dkiln.bless=true} (or {@code KILN_BLESS=1}) after a deliberate change,
 * and read the diff.
 */
class LoweringGoldenTest {
  private static final Path DIR = Path.of("src/test/resources/golden/lower");
  static final AArch64Backend BACKEND = new AArch64Backend(true);

  @TestFactory
  Stream<DynamicTest> goldenFiles() throws IOException {
    return GoldenListings.tests(DIR, 12, input -> GoldenListings.listing(Isa.AARCH64,
        Parser.parse(input), BACKEND::compileFunction));
  }
}
