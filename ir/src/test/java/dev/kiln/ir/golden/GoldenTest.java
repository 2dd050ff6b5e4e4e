package dev.kiln.ir.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.ir.Function;
import dev.kiln.ir.pass.ConstantFolding;
import dev.kiln.ir.pass.DeadCodeElimination;
import dev.kiln.ir.pass.FunctionPass;
import dev.kiln.ir.pass.GlobalValueNumbering;
import dev.kiln.ir.pass.LoopLayout;
import dev.kiln.ir.pass.PassPipeline;
import dev.kiln.ir.pass.VmctxLoadHoisting;
import dev.kiln.ir.text.ParseException;
import dev.kiln.ir.text.Parser;
import dev.kiln.ir.text.Printer;
import dev.kiln.ir.verify.Verifier;
import dev.kiln.ir.verify.VerifierError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every golden file under {@code src/test/resources/golden} except the {@code builder} ones
 * (those are driven from {@code FunctionBuilderGoldenTest}). Kinds:
 *
 * <ul>
 *   <li>{@code print}: parse, verify (must pass), print; the output must also re-parse and print
 *       to itself;
 *   <li>{@code verify}: parse and list the verifier's errors, or {@code ok};
 *   <li>{@code fold}: parse, then constant folding with the verifier before and after, print;
 *   <li>{@code passes p1 p2 ...}: the named passes ({@code fold}, {@code dce}, {@code hoist},
 *       {@code gvn}, {@code layout}) in order, each followed by the verifier, then print;
 *   <li>{@code parse-error}: parsing must fail; the output is the {@code line:column} message.
 * </ul>
 */
class GoldenTest {
  @TestFactory
  Stream<DynamicTest> goldenFiles() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(GoldenFile.ROOT)) {
      files = walk.filter(p -> p.toString().endsWith(".ir")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "no golden files under " + GoldenFile.ROOT.toAbsolutePath());
    return files.stream()
        .map(GoldenFile::read)
        .filter(g -> !g.kind().equals("builder"))
        .map(g -> DynamicTest.dynamicTest(GoldenFile.ROOT.relativize(g.path()).toString(),
            () -> g.check(run(g))));
  }

  static String run(GoldenFile g) {
    String[] words = g.kind().split(" +");
    return switch (words[0]) {
      case "print" -> {
        String printed = printAll(Parser.parse(g.source()), true);
        assertEquals(printed, printAll(Parser.parse(printed), false),
            "printing is not a fixed point of parse+print");
        yield printed;
      }
      case "verify" -> {
        StringBuilder sb = new StringBuilder();
        for (Function f : Parser.parse(g.source())) {
          List<VerifierError> errors = Verifier.verify(f);
          sb.append(f.name().text()).append(errors.isEmpty() ? ": ok" : ":").append('\n');
          for (VerifierError e : errors) {
            sb.append("  ").append(e.message()).append('\n');
          }
        }
        yield sb.toString();
      }
      case "fold" -> {
        List<Function> functions = Parser.parse(g.source());
        PassPipeline pipeline = new PassPipeline(List.of(new ConstantFolding()), true);
        for (Function f : functions) {
          pipeline.run(f);
        }
        yield printAll(functions, false);
      }
      case "passes" -> {
        List<FunctionPass> passes = new ArrayList<>();
        for (int w = 1; w < words.length; w++) {
          passes.add(switch (words[w]) {
            case "fold" -> new ConstantFolding();
            case "dce" -> new DeadCodeElimination();
            case "hoist" -> new VmctxLoadHoisting();
            case "gvn" -> new GlobalValueNumbering();
            case "layout" -> new LoopLayout();
            default -> throw new IllegalArgumentException(g.path() + ": unknown pass " + words[w]);
          });
        }
        List<Function> functions = Parser.parse(g.source());
        for (Function f : functions) {
          new PassPipeline(passes, true).run(f);
        }
        yield printAll(functions, false);
      }
      case "parse-error" -> {
        try {
          Parser.parse(g.source());
        } catch (ParseException e) {
          yield e.getMessage();
        }
        yield fail("expected a parse error");
      }
      default -> throw new IllegalArgumentException(g.path() + ": unknown test kind " + g.kind());
    };
  }

  private static String printAll(List<Function> functions, boolean verify) {
    StringBuilder sb = new StringBuilder();
    for (Function f : functions) {
      if (verify) {
        Verifier.check(f);
      }
      if (!sb.isEmpty()) {
        sb.append('\n');
      }
      sb.append(Printer.print(f));
    }
    return sb.toString();
  }
}
