package dev.kiln.codegen.aarch64.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.Reloc;
import dev.kiln.codegen.SourceMapping;
import dev.kiln.codegen.TrapSite;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.codegen.disasm.CapstoneDisassembler;
import dev.kiln.codegen.disasm.DisassembledInstruction;
import dev.kiln.codegen.disasm.Disassembler;
import dev.kiln.codegen.disasm.Isa;
import dev.kiln.ir.Function;
import dev.kiln.ir.text.Parser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files under {@code src/test/resources/golden/lower}: IR text in, then {@code ; expect:} and
 * the compiled AArch64 code as Capstone prints it, with relocations, trap sites and the address map,
 * for every function of the file. Every allocation runs through the checker. Rewrite the
 * expectations with {@code -Dkiln.bless=true} (or {@code KILN_BLESS=1}) after a deliberate change,
 * and read the diff.
 */
class LoweringGoldenTest {
  private static final Path DIR = Path.of("src/test/resources/golden/lower");
  private static final String EXPECT = "; expect:";
  static final AArch64Backend BACKEND = new AArch64Backend(true);

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
    String actual = listing(Parser.parse(input));
    String expected = at < 0 ? "" : uncomment(text.substring(at + EXPECT.length()));
    if (bless()) {
      StringBuilder sb = new StringBuilder(input.stripTrailing()).append("\n").append(EXPECT)
          .append("\n");
      for (String line : actual.split("\n", -1)) {
        sb.append(line.isEmpty() ? ";\n" : "; " + line + "\n");
      }
      Files.writeString(file, sb.toString().replaceAll("(;\n)+$", ""));
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

  static String listing(List<Function> functions) {
    StringBuilder sb = new StringBuilder();
    try (Disassembler capstone = CapstoneDisassembler.open(Isa.AARCH64)) {
      for (Function f : functions) {
        CompiledFunction c;
        try {
          c = BACKEND.compileFunction(f);
        } catch (RuntimeException e) {
          StringWriter w = new StringWriter();
          e.printStackTrace(new PrintWriter(w));
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
