package dev.kiln.codegen.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.Reloc;
import dev.kiln.codegen.SourceMapping;
import dev.kiln.codegen.TrapSite;
import dev.kiln.disasm.DisassembledInstruction;
import dev.kiln.disasm.Disassembler;
import dev.kiln.disasm.Isa;
import dev.kiln.ir.Function;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Golden files of a backend's lowering tests: IR text, then a {@code ; expect:} line and the
 * expected listing as comment lines. A file passes when the listing of its IR equals the
 * expectation; with {@code -Dkiln.bless=true} (or {@code KILN_BLESS=1}) the expectation is
 * rewritten from the actual listing instead, to be read in the diff after a deliberate change.
 */
public final class GoldenListings {
  public static final String EXPECT = "; expect:";

  private GoldenListings() {}

  /** Whether this run rewrites expectations instead of checking them. */
  public static boolean bless() {
    return Boolean.getBoolean("kiln.bless") || "1".equals(System.getenv("KILN_BLESS"));
  }

  /**
   * One dynamic test per {@code .ir} file in {@code dir} (at least {@code atLeast} of them, so a
   * moved folder cannot pass by being empty), each comparing {@code listing} of the IR text (the
   * part before {@code ; expect:}) with the expectation.
   */
  public static Stream<DynamicTest> tests(Path dir, int atLeast, UnaryOperator<String> listing)
      throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".ir")).sorted().toList();
    }
    if (files.size() < atLeast) {
      fail("expected at least " + atLeast + " golden files in " + dir + ", found " + files.size());
    }
    return files.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(),
        () -> check(p, listing)));
  }

  private static void check(Path file, UnaryOperator<String> listing) {
    try {
      String text = Files.readString(file);
      int at = text.indexOf(EXPECT);
      String input = at < 0 ? text : text.substring(0, at);
      String actual = listing.apply(input);
      if (bless()) {
        StringBuilder sb = new StringBuilder(input.stripTrailing()).append("\n").append(EXPECT)
            .append("\n");
        for (String line : actual.split("\n", -1)) {
          sb.append(line.isEmpty() ? ";\n" : "; " + line + "\n");
        }
        Files.writeString(file, sb.toString().replaceAll("(;\n)+$", ""));
        return;
      }
      String expected = at < 0 ? "" : uncomment(text.substring(at + EXPECT.length()));
      assertEquals(expected.strip(), actual.strip(), file + " differs; rerun with "
          + "-Dkiln.bless=true to accept the new output");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The expectation without its comment markers and blank lines. */
  static String uncomment(String s) {
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

  /**
   * The listing of {@code functions} compiled by {@code compile}: per function its size, Capstone's
   * text of every instruction ({@code isa}), relocations, trap sites and the address map.
   */
  public static String listing(Isa isa, List<Function> functions,
      java.util.function.Function<Function, CompiledFunction> compile) {
    StringBuilder sb = new StringBuilder();
    Disassembler capstone = CapstoneOracle.disassembler(isa);
    for (Function f : functions) {
      CompiledFunction c;
      try {
        c = compile.apply(f);
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
    return sb.toString();
  }
}
