package dev.kiln.cli.args;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parser against a table shaped like {@code kiln run}'s and {@code kiln compile}'s. */
class ArgumentParserTest {
  enum Mode { fast, slow }

  static final OptionSpec<Path> OUTPUT = OptionSpec.single("OUT", ValueType.PATH, "output", "-o", "--output");
  static final OptionSpec<Integer> JOBS = OptionSpec.single("N", ValueType.INT, "jobs", "-j", "--jobs");
  static final OptionSpec<Integer> REPEAT = OptionSpec.single("N", ValueType.INT, "repeat", "--repeat").withDefault(1);
  static final OptionSpec<Boolean> VERBOSE = OptionSpec.flag("verbose", "-v", "--verbose");
  static final OptionSpec<Boolean> LAZY =
      OptionSpec.single("true|false", ValueType.BOOLEAN, "lazy", "--lazy").withDefault(true);
  static final OptionSpec<String> DIR = OptionSpec.repeated("DIR", ValueType.STRING, "dirs", "--dir");
  static final OptionSpec<Mode> MODE = OptionSpec.single("MODE", ValueType.oneOf(Mode.class), "mode", "--mode");
  static final ParameterSpec<Path> FILE = ParameterSpec.one("FILE", ValueType.PATH, "the file");
  static final ParameterSpec<String> ARGS = ParameterSpec.rest("ARGS", ValueType.STRING, "the rest");

  static final CommandSpec SPEC = new CommandSpec("test", List.of("A test command."),
      List.of(OUTPUT, JOBS, REPEAT, VERBOSE, LAZY, DIR, MODE), List.of(FILE, ARGS), List.of(), List.of());

  static ParsedArgs parse(String... args) throws UsageException {
    return new ArgumentParser(SPEC).parse(List.of(args));
  }

  static String error(String... args) {
    return assertThrows(UsageException.class, () -> parse(args)).getMessage();
  }

  @Test
  void optionsAndParametersInAnyOrderWithTypedValues() throws UsageException {
    ParsedArgs parsed = parse("--repeat", "3", "in.wasm", "-v", "fac", "--jobs=2", "20", "-o", "out.cwasm");
    assertEquals(Path.of("in.wasm"), parsed.get(FILE));
    assertEquals(List.of("fac", "20"), parsed.all(ARGS));
    assertEquals(3, parsed.get(REPEAT));
    assertEquals(2, parsed.get(JOBS));
    assertEquals(Path.of("out.cwasm"), parsed.get(OUTPUT));
    assertTrue(parsed.isSet(VERBOSE));
    assertTrue(parsed.get(VERBOSE));
  }

  @Test
  void absentOptionsHaveTheirDefaults() throws UsageException {
    ParsedArgs parsed = parse("in.wasm");
    assertEquals(1, parsed.get(REPEAT));
    assertTrue(parsed.get(LAZY));
    assertNull(parsed.get(JOBS));
    assertFalse(parsed.isSet(VERBOSE));
    assertFalse(parsed.get(VERBOSE));
    assertEquals(List.of(), parsed.all(DIR));
    assertEquals(List.of(), parsed.all(ARGS));
  }

  @Test
  void shortOptionsTakeAnAttachedOrASeparateValueAndFlagsCluster() throws UsageException {
    assertEquals(4, parse("-j4", "f").get(JOBS));
    assertEquals(4, parse("-j", "4", "f").get(JOBS));
    assertEquals(4, parse("-j=4", "f").get(JOBS));
    ParsedArgs clustered = parse("-vj3", "f");
    assertTrue(clustered.isSet(VERBOSE));
    assertEquals(3, clustered.get(JOBS));
    assertTrue(parse("-hV").helpRequested());
  }

  @Test
  void repeatedOptionsKeepEveryValueInOrder() throws UsageException {
    assertEquals(List.of("a", "b::c", "d"), parse("--dir", "a", "f", "--dir=b::c", "--dir", "d").all(DIR));
  }

  @Test
  void afterTheDoubleDashEverythingIsAParameter() throws UsageException {
    ParsedArgs parsed = parse("f", "--", "-v", "--dir", "x", "--");
    assertEquals(List.of("-v", "--dir", "x", "--"), parsed.all(ARGS));
    assertFalse(parsed.isSet(VERBOSE));
  }

  @Test
  void negativeNumbersAreParametersNotOptions() throws UsageException {
    assertEquals(List.of("-5", "-1.5e3", "-Infinity", "-NaN", "-0x10", "-"),
        parse("f", "-5", "-1.5e3", "-Infinity", "-NaN", "-0x10", "-").all(ARGS));
    assertEquals(-5, parse("f", "--repeat", "-5").get(REPEAT), "a value is taken as written; the command checks it");
  }

  @Test
  void booleanAndEnumValues() throws UsageException {
    assertFalse(parse("f", "--lazy", "false").get(LAZY));
    assertTrue(parse("f", "--lazy=TRUE").get(LAZY));
    assertEquals(Mode.slow, parse("f", "--mode", "slow").get(MODE));
    assertEquals("option --lazy: 'maybe' is not true or false", error("f", "--lazy", "maybe"));
    assertEquals("option --mode: 'medium' is not one of fast, slow", error("f", "--mode", "medium"));
  }

  @Test
  void errorsAreOneLineNamingTheOption() {
    assertEquals("unknown option --bogus", error("f", "--bogus"));
    assertEquals("unknown option -x", error("f", "-x"));
    assertEquals("unknown option -x", error("f", "-vx"));
    assertEquals("option --jobs: 'many' is not an integer", error("f", "-j", "many"));
    assertEquals("option --output needs a value (OUT)", error("f", "-o"));
    assertEquals("option --output needs a value (OUT)", error("f", "--output", "--verbose"));
    assertEquals("option --verbose takes no value (got 'yes')", error("f", "--verbose=yes"));
    assertEquals("option --jobs given more than once", error("f", "-j", "1", "--jobs", "2"));
    assertEquals("missing FILE", error());
    for (String message : List.of(error("f", "--bogus"), error())) {
      assertFalse(message.contains("\n"), message);
    }
  }

  @Test
  void requiredOptionsAndParametersAreMissingUnlessHelpOrVersionIsAsked() throws UsageException {
    CommandSpec compile = new CommandSpec("compile", List.of(), List.of(OUTPUT.asRequired()),
        List.of(FILE, ParameterSpec.rest("MORE", ValueType.STRING, "more").asRequired()), List.of(), List.of());
    ArgumentParser parser = new ArgumentParser(compile);
    assertEquals("missing option --output=OUT",
        assertThrows(UsageException.class, () -> parser.parse(List.of("f", "g"))).getMessage());
    assertEquals("missing MORE", assertThrows(UsageException.class, () -> parser.parse(List.of("f", "-o", "x")))
        .getMessage());
    assertTrue(parser.parse(List.of("--help")).helpRequested());
    assertTrue(parser.parse(List.of("-V")).versionRequested());
  }

  @Test
  void helpOrVersionOnTheLineOutranksAnyOtherError() throws UsageException {
    CommandSpec inputs = new CommandSpec("run", List.of(), List.of(JOBS),
        List.of(ParameterSpec.one("FILE", ValueType.INPUT_FILE, "the file")), List.of(), List.of());
    ArgumentParser parser = new ArgumentParser(inputs);
    String directory = System.getProperty("java.io.tmpdir");
    assertThrows(UsageException.class, () -> parser.parse(List.of(directory)));
    for (List<String> line : List.of(List.of(directory, "--help"), List.of("-h", "-j", "many"),
        List.of("--bogus", "--help"), List.of("f", "g", "-h"))) {
      ParsedArgs parsed = parser.parse(line);
      assertTrue(parsed.helpRequested(), line.toString());
      assertNull(parsed.get(JOBS), line.toString());
    }
    assertTrue(parser.parse(List.of(directory, "--version")).versionRequested());
    ParsedArgs both = parser.parse(List.of(directory, "-hV"));
    assertTrue(both.helpRequested() && both.versionRequested());
    // -j takes a value: "-jh" is -j with "h", no help asked, and the error stands.
    assertThrows(UsageException.class, () -> parser.parse(List.of(directory, "-jh")));
    // After "--", "--help" is an argument like any other, and the error stands.
    assertEquals("unexpected argument '--help'",
        assertThrows(UsageException.class, () -> parser.parse(List.of("f", "--", "--help"))).getMessage());
  }

  @Test
  void argumentsBeyondTheParametersAreRejected() {
    CommandSpec one = new CommandSpec("one", List.of(), List.of(), List.of(FILE), List.of(), List.of());
    assertEquals("unexpected argument 'g'",
        assertThrows(UsageException.class, () -> new ArgumentParser(one).parse(List.of("f", "g"))).getMessage());
  }

  @Test
  void aTableWithAClashingOrMalformedNameIsRefusedWhenBuilt() {
    CommandSpec clash = new CommandSpec("clash", List.of(), List.of(VERBOSE, OptionSpec.flag("x", "--verbose")),
        List.of(), List.of(), List.of());
    assertThrows(IllegalArgumentException.class, () -> new ArgumentParser(clash));
    assertThrows(IllegalArgumentException.class, () -> OptionSpec.flag("x", "verbose"));
    assertThrows(IllegalArgumentException.class, () -> OptionSpec.flag("x", "-vv"));
    assertThrows(IllegalArgumentException.class, () -> new CommandSpec("c", List.of(), List.of(),
        List.of(ARGS, FILE), List.of(), List.of()));
  }
}
