package dev.kiln.codegen.x64.lower;


import dev.kiln.artifact.compat.X64Feature;
import dev.kiln.disasm.Isa;
import dev.kiln.codegen.testsupport.GoldenListings;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.ir.text.Parser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files under {@code src/test/resources/golden/lower} ({@link GoldenListings}): IR text in,
 * then {@code ; expect:} and the compiled code as Capstone prints it (AT&amp;T), with relocations, trap sites and the address
 * map, for every function of the file. Every allocation runs through the checker. Rewrite the
 * expectations with {@code -Dkiln.bless=true} (or {@code KILN_BLESS=1}) after a deliberate change.
 * A file whose first line is {@code ; features: LIST} (the {@link CpuFeatures#parse} format)
 * compiles for those CPU features instead of {@link #BACKEND}'s.
 */
class LoweringGoldenTest {
  private static final Path DIR = Path.of("src/test/resources/golden/lower");
  private static final String FEATURES = "; features:";
  /** Fixed features so the listings do not depend on the build machine. */
  static final X64Backend BACKEND = new X64Backend(CpuFeatures.of(X64Feature.LZCNT,
      X64Feature.BMI1, X64Feature.POPCNT), true);

  @TestFactory
  Stream<DynamicTest> goldenFiles() throws IOException {
    return GoldenListings.tests(DIR, 12, LoweringGoldenTest::listing);
  }

  private static String listing(String input) {
    X64Backend backend = BACKEND;
    if (input.startsWith(FEATURES)) {
      String list = input.substring(FEATURES.length(), input.indexOf('\n')).strip();
      backend = new X64Backend(CpuFeatures.parse(list), true);
    }
    return GoldenListings.listing(Isa.X86_64, Parser.parse(input), backend::compileFunction);
  }
}
