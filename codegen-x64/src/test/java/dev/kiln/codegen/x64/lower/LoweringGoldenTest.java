package dev.kiln.codegen.x64.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.Reloc;
import dev.kiln.codegen.SourceMapping;
import dev.kiln.codegen.TrapSite;
import dev.kiln.codegen.disasm.CapstoneDisassembler;
import dev.kiln.codegen.disasm.DisassembledInstruction;
import dev.kiln.codegen.disasm.Disassembler;
import dev.kiln.codegen.disasm.Isa;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.ir.Function;
import dev.kiln.ir.text.Parser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files under {@code src/test/resources/golden/lower}: IR text in, then {@code ; expect:} and
 * the compiled code as Capstone prints it (AT&amp;T), with relocations, trap sites and the address
 * map, for every function of the file. Every allocation runs through the checker. Rewrite the
 * expectations with {@code -Dkiln.bless=true} (or {@code KILN_BLESS=1}) after a deliberate change.
 * A file whose first line is {@code ; features: LIST} (the {@link CpuFeatures#parse} format)
 * compiles for those CPU features instead of {@link #BACKEND}'s.
 */
class LoweringGoldenTest {
  private static final Path DIR = Path.of("src/test/resources/golden/lower");
  private static final String EXPECT = "; expect:";
  private static final String FEATURES = "; features:";
  /** Fixed features so the listings do not depend on the build machine. */
  static final X64Backend BACKEND = new X64Backend(CpuFeatures.of(CpuFeatures.Feature.LZCNT,
      CpuFeatures.Feature.BMI1, CpuFeatures.Feature.POPCNT), true);

  private static boolean bless() {
    return Boolean.getBoolean("kiln.bless") || "1".equals(System.getenv("KILN_BLESS"));
  }

  @TestFactory
  Stream<DynamicTest> goldenFiles() throws IOException {
    assumeTrue(CapstoneDisassembler.isAvailable(),
        () -> "Capstone not loadable: " + CapstoneDisassembler.unavailableReason());
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".ir")).sorted().toList();
    }
    if (files.size() < 12) {
      fail("expected at least a dozen golden files in " + DIR + ", found " + files.size());
    }
    return files.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p)));
  }

  private static void check(Path file) throws IOException {
    String text = Files.readString(file);
    int at = text.indexOf(EXPECT);
    String input = at < 0 ? text : text.substring(0, at);
    X64Backend backend = BACKEND;
    if (input.startsWith(FEATURES)) {
      String list = input.substring(FEATURES.length(), input.indexOf('\n')).strip();
      backend = new X64Backend(CpuFeatures.parse(list), true);
    }
    String actual = listing(backend, Parser.parse(input));
    String expected = at < 0 ? "" : uncomment(text.substring(at + EXPECT.length()));
    if (bless()) {
      StringBuilder sb = new StringBuilder(input.stripTrailing()).append("\n").append(EXPECT)
          .append("\n");
      for (String line : actual.split("\n", -1)) {
        if (!line.isEmpty()) {
          sb.append("; ").append(line).append("\n");
        } else {
          sb.append(";\n");
        }
      }
      Files.writeString(file, sb.toString().replaceAll(";\n$", ""));
      return;
    }
    assertEquals(expected.strip(), actual.strip(), file + " differs; rerun with -Dkiln.bless=true "
        + "to accept the new output");
  }

  private static String uncomment(String s) {
    StringBuilder sb = new StringBuilder();
    for (String line : s.split("\n")) {
      String t = line.strip();
      if (t.isEmpty()) {
        continue;
      }
      sb.append(t.startsWith("; ") ? t.substring(2) : t.substring(1)).append("\n");
    }
    return sb.toString();
  }

  static String listing(X64Backend backend, List<Function> functions) {
    StringBuilder sb = new StringBuilder();
    try (Disassembler capstone = CapstoneDisassembler.open(Isa.X86_64)) {
      for (Function f : functions) {
        CompiledFunction c;
        try {
          c = backend.compileFunction(f);
        } catch (RuntimeException e) {
          java.io.StringWriter w = new java.io.StringWriter();
          e.printStackTrace(new java.io.PrintWriter(w));
          throw new AssertionError("compiling " + f.name().text() + "\n" + w, e);
        }
        sb.append("function ").append(f.name().text()).append(" (").append(c.size())
            .append(" bytes)\n");
        byte[] code = c.code();
        int decoded = 0;
        for (DisassembledInstruction i : capstone.disassemble(code, 0)) {
          sb.append(String.format("  %04x: %s%n", i.address(), i.text()));
          decoded += i.size();
        }
        if (decoded != code.length) {
          sb.append("  undecoded bytes from ").append(Integer.toHexString(decoded)).append('\n');
        }
        for (Reloc r : c.relocs()) {
          sb.append(String.format("  reloc %04x %s 0x%x%+d%n", r.offset(), r.kind(), r.targetKey(),
              r.addend()));
        }
        for (TrapSite t : c.trapSites()) {
          sb.append(String.format("  trap %04x code %d%n", t.offset(), t.trapCode()));
        }
        StringBuilder map = new StringBuilder();
        for (SourceMapping m : c.sourceMap()) {
          map.append(String.format(" %x@%x", m.wasmOffset(), m.codeOffset()));
        }
        if (!map.isEmpty()) {
          sb.append("  srcmap").append(map).append('\n');
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }
}
