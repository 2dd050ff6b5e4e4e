package dev.kiln.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.ir.Function;
import dev.kiln.ir.golden.GoldenFile;
import dev.kiln.ir.verify.Verifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of the golden inputs (characters deleted, duplicated or replaced, lines
 * swapped or dropped): the parser must either return functions or throw {@link ParseException}
 * with a position inside the text, and whatever it returns must verify (with or without errors)
 * and print without any other exception. Anything else is a crash a user of the text format
 * would see instead of a message.
 */
class ParserFuzzTest {
  private static final String ALPHABET = "v0123456789block%:,()[]{}=-+>.;@ \nifx_";

  @Test
  void mutatedInputFailsCleanly() throws IOException {
    List<String> corpus = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(GoldenFile.ROOT)) {
      for (Path p : walk.filter(f -> f.toString().endsWith(".ir")).sorted().toList()) {
        GoldenFile g = GoldenFile.read(p);
        if (!g.kind().equals("builder") && !g.kind().equals("parse-error")) {
          corpus.add(g.input());
        }
      }
    }
    assertTrue(corpus.size() > 10);
    SplittableRandom random = new SplittableRandom(0xF022);
    int parsed = 0;
    for (int round = 0; round < 20_000; round++) {
      String text = mutate(corpus.get(random.nextInt(corpus.size())), random);
      List<Function> functions;
      try {
        functions = Parser.parse(text);
      } catch (ParseException e) {
        int lines = (int) text.chars().filter(c -> c == '\n').count() + 1;
        assertTrue(e.line() >= 1 && e.line() <= lines && e.column() >= 1, e.getMessage());
        continue;
      } catch (RuntimeException e) {
        throw new AssertionError("parser crashed on:\n" + text, e);
      }
      parsed++;
      for (Function f : functions) {
        try {
          if (Verifier.verify(f).isEmpty()) {
            String printed = Printer.print(f);
            assertEquals(printed, Printer.print(Parser.parseFunction(printed)));
          }
        } catch (RuntimeException e) {
          fail("verifier or printer crashed on:\n" + text, e);
        }
      }
    }
    assertTrue(parsed > 100, "mutations too destructive: only " + parsed + " parsed");
  }

  private static String mutate(String text, SplittableRandom r) {
    StringBuilder sb = new StringBuilder(text);
    int edits = 1 + r.nextInt(3);
    for (int e = 0; e < edits && !sb.isEmpty(); e++) {
      int at = r.nextInt(sb.length());
      switch (r.nextInt(5)) {
        case 0 -> sb.deleteCharAt(at);
        case 1 -> sb.insert(at, sb.charAt(at));
        case 2 -> sb.setCharAt(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        case 3 -> {
          List<String> lines = new ArrayList<>(List.of(sb.toString().split("\n", -1)));
          int i = r.nextInt(lines.size());
          int j = r.nextInt(lines.size());
          String tmp = lines.get(i);
          lines.set(i, lines.get(j));
          lines.set(j, tmp);
          sb = new StringBuilder(String.join("\n", lines));
        }
        default -> {
          List<String> lines = new ArrayList<>(List.of(sb.toString().split("\n", -1)));
          lines.remove(r.nextInt(lines.size()));
          sb = new StringBuilder(String.join("\n", lines));
        }
      }
    }
    return sb.toString();
  }
}
