package dev.kiln.wat.script;

import dev.kiln.wat.Edition;
import dev.kiln.wat.Wat;
import dev.kiln.wat.WatSyntaxException;
import dev.kiln.wat.ast.TextModule;
import dev.kiln.wat.lex.Lexer;
import dev.kiln.wat.lex.Literals;
import dev.kiln.wat.lex.Token;
import dev.kiln.wat.lex.TokenKind;
import dev.kiln.wat.parse.Cursor;
import dev.kiln.wat.parse.ModuleParser;
import dev.kiln.wat.script.Command.AssertException;
import dev.kiln.wat.script.Command.AssertExhaustion;
import dev.kiln.wat.script.Command.AssertInvalid;
import dev.kiln.wat.script.Command.AssertMalformed;
import dev.kiln.wat.script.Command.AssertReturn;
import dev.kiln.wat.script.Command.AssertTrap;
import dev.kiln.wat.script.Command.AssertUninstantiable;
import dev.kiln.wat.script.Command.AssertUnlinkable;
import dev.kiln.wat.script.Command.ModuleDefinition;
import dev.kiln.wat.script.Command.ModuleInstance;
import dev.kiln.wat.script.Command.Perform;
import dev.kiln.wat.script.Command.Register;
import dev.kiln.wat.script.Command.Unreadable;
import dev.kiln.wat.script.Command.Unsupported;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads a {@code .wast} script (reference interpreter {@code interpreter/README.md}, "Scripts")
 * into {@link Command}s. Text modules are parsed at their position in the script's token stream
 * and encoded with {@code edition}'s text rules. A command that does not parse becomes {@link
 * Unreadable} and reading goes on after its closing parenthesis, so one bad command costs only
 * itself; a script whose characters do not lex (or are not UTF-8) is rejected whole.
 */
public final class ScriptReader {
  /** Commands of the threads proposal's scripts and of stack switching, reported, not modelled. */
  private static final Set<String> UNSUPPORTED =
      Set.of("thread", "wait", "assert_suspension", "script", "input", "output");

  /** The keywords that open a module field (spec 6.6): a script starting with one is a module. */
  private static final Set<String> MODULE_FIELDS = Set.of("type", "rec", "import", "func", "table", "memory",
      "global", "export", "start", "elem", "data", "tag");

  private final Cursor in;
  private final String fileName;
  private final Edition edition;

  private ScriptReader(Cursor in, String fileName, Edition edition) {
    this.in = in;
    this.fileName = fileName;
    this.edition = edition;
  }

  /**
   * Reads a script's bytes.
   *
   * @throws WatSyntaxException when the script is not UTF-8 or does not lex
   */
  public static WastScript read(byte[] source, String fileName, Edition edition) {
    return read(Wat.decode(source, fileName), fileName, edition);
  }

  /** Reads a script's text. */
  public static WastScript read(String source, String fileName, Edition edition) {
    Cursor cursor = new Cursor(Lexer.tokenize(source, fileName), fileName);
    ScriptReader reader = new ScriptReader(cursor, fileName, edition);
    if (cursor.at(TokenKind.LPAREN) && MODULE_FIELDS.contains(cursor.peek(1).text())) {
      return new WastScript(fileName, features(source), List.of(reader.inlineModule()));
    }
    List<Command> commands = new ArrayList<>();
    while (!cursor.at(TokenKind.EOF)) {
      commands.add(reader.command());
    }
    return new WastScript(fileName, features(source), commands);
  }

  /**
   * A script that is a module's fields alone (the reference interpreter reads a file whose first
   * form is a module field as one module, spec 6.6.15's abbreviation): one module command.
   */
  private Command inlineModule() {
    Token first = in.peek();
    try {
      TextModule module = ModuleParser.parseFile(in, edition);
      return new ModuleDefinition(first.line(), Optional.empty(), false,
          new ScriptModule.Encoded(Wat.encode(module, fileName, edition), true));
    } catch (WatSyntaxException e) {
      return new Unreadable(first.line(), e.getMessage());
    }
  }

  /**
   * The features a script's {@code ;;!} lines enable: {@code ;;! name = true} (Wasmtime's test
   * headers; a line may also carry several {@code name = value} pairs separated by commas, and a
   * value other than {@code true} enables nothing).
   */
  static List<String> features(String source) {
    List<String> names = new ArrayList<>();
    for (String line : source.lines().toList()) {
      String trimmed = line.strip();
      if (!trimmed.startsWith(";;!")) {
        continue;
      }
      for (String pair : trimmed.substring(3).split(",")) {
        String[] parts = pair.split("=", 2);
        if (parts.length == 2 && parts[1].strip().equals("true")) {
          names.add(parts[0].strip());
        }
      }
    }
    return names;
  }

  /** One top-level command; on a syntax error, {@link Unreadable} and the cursor after it. */
  private Command command() {
    int start = in.position();
    Token open = in.peek();
    try {
      return commandBody(open);
    } catch (WatSyntaxException e) {
      in.reset(start);
      skipForm();
      return new Unreadable(open.line(), e.getMessage());
    }
  }

  private Command commandBody(Token open) {
    in.expectLParen();
    Token word = in.peek();
    if (word.kind() != TokenKind.KEYWORD) {
      throw in.expected("a command");
    }
    int line = open.line();
    if (word.isKeyword("invoke") || word.isKeyword("get")) {
      in.reset(in.position() - 1);
      return new Perform(line, action()); // which reads the closing parenthesis too
    }
    Command command = switch (word.text()) {
      case "module" -> {
        in.reset(in.position() - 1);
        yield module(line);
      }
      case "register" -> {
        in.next();
        String as = in.name("the name to register as");
        yield new Register(line, as, Optional.ofNullable(in.optionalId()));
      }
      case "assert_return" -> {
        in.next();
        Action action = action();
        List<Value> results = new ArrayList<>();
        while (!in.at(TokenKind.RPAREN)) {
          results.add(value(true));
        }
        yield new AssertReturn(line, action, results);
      }
      case "assert_trap" -> {
        in.next();
        if (in.atParen("module")) {
          ScriptModule module = moduleOf(line);
          yield new AssertUninstantiable(line, module, text());
        }
        Action action = action();
        yield new AssertTrap(line, action, text());
      }
      case "assert_exhaustion" -> {
        in.next();
        Action action = action();
        yield new AssertExhaustion(line, action, text());
      }
      case "assert_exception" -> {
        in.next();
        yield new AssertException(line, action());
      }
      case "assert_malformed" -> {
        in.next();
        ScriptModule module = moduleOf(line);
        yield new AssertMalformed(line, module, text());
      }
      case "assert_invalid" -> {
        in.next();
        ScriptModule module = moduleOf(line);
        yield new AssertInvalid(line, module, text());
      }
      case "assert_unlinkable" -> {
        in.next();
        ScriptModule module = moduleOf(line);
        yield new AssertUnlinkable(line, module, text());
      }
      case "assert_uninstantiable" -> {
        in.next();
        ScriptModule module = moduleOf(line);
        yield new AssertUninstantiable(line, module, text());
      }
      default -> {
        if (!UNSUPPORTED.contains(word.text()) && !word.text().startsWith("assert_")) {
          throw in.expected("a command (module, register, invoke, get, assert_...)");
        }
        in.reset(in.position() - 1);
        skipForm();
        // Already past the closing parenthesis.
        yield null;
      }
    };
    if (command == null) {
      return new Unsupported(line, word.text());
    }
    in.expectRParen();
    return command;
  }

  /** The reason text an assertion ends with. */
  private String text() {
    return new String(in.string("the assertion's reason text"), StandardCharsets.UTF_8);
  }

  /** A {@code (module ...)} command, leaving the cursor at its closing parenthesis. */
  private Command module(int line) {
    Token open = in.expectParen("module");
    if (in.atKeyword("instance")) {
      in.next();
      Optional<String> instance = Optional.ofNullable(in.optionalId());
      Optional<String> module = Optional.ofNullable(in.optionalId());
      return new ModuleInstance(line, instance, module);
    }
    boolean definition = false;
    if (in.atKeyword("definition")) {
      in.next();
      definition = true;
    }
    Optional<String> id = Optional.ofNullable(in.optionalId());
    return new ModuleDefinition(line, id, definition, moduleBody(open, id.orElse(null)));
  }

  /** The module an assertion names, with its parentheses. */
  private ScriptModule moduleOf(int line) {
    Token open = in.expectParen("module");
    if (in.atKeyword("definition")) {
      in.next();
    }
    String id = in.optionalId();
    ScriptModule module = moduleBody(open, id);
    in.expectRParen();
    return module;
  }

  /** After a module's header: {@code binary string*}, {@code quote string*}, or fields. */
  private ScriptModule moduleBody(Token open, String id) {
    if (in.atKeyword("binary") || in.atKeyword("quote")) {
      boolean binary = in.next().isKeyword("binary");
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      while (in.at(TokenKind.STRING)) {
        bytes.writeBytes(in.next().bytes());
      }
      return binary
          ? new ScriptModule.Encoded(bytes.toByteArray(), false)
          : new ScriptModule.Quote(new String(bytes.toByteArray(), StandardCharsets.UTF_8), open.line());
    }
    TextModule module = ModuleParser.parseFields(in, id, open, edition);
    if (!in.at(TokenKind.RPAREN)) {
      throw in.expected("')'");
    }
    return new ScriptModule.Encoded(Wat.encode(module, fileName, edition), true);
  }

  /** {@code (invoke $id? "name" const*)} or {@code (get $id? "name")}. */
  private Action action() {
    in.expectLParen();
    boolean get;
    if (in.atKeyword("invoke")) {
      get = false;
    } else if (in.atKeyword("get")) {
      get = true;
    } else {
      throw in.expected("an action (invoke or get)");
    }
    in.next();
    Optional<String> instance = Optional.ofNullable(in.optionalId());
    String name = in.name("an export's name");
    List<Value> args = new ArrayList<>();
    while (!get && !in.at(TokenKind.RPAREN)) {
      args.add(value(false));
    }
    in.expectRParen();
    return new Action(get, instance, name, args);
  }

  /** A constant, or with {@code result} also the patterns only a result may be. */
  private Value value(boolean result) {
    in.expectLParen();
    Token head = in.peek();
    if (head.kind() != TokenKind.KEYWORD) {
      throw in.expected("a constant");
    }
    in.next();
    String word = head.text();
    Value value = switch (word) {
      case "i32.const" -> new Value.Num("i32", integer(32));
      case "i64.const" -> new Value.Num("i64", integer(64));
      case "f32.const", "f64.const" -> floatOrPattern(word.substring(0, 3), result);
      case "v128.const" -> vector(result);
      case "ref.null" -> new Value.RefNull(in.at(TokenKind.RPAREN) ? "" : heapType());
      case "either" -> {
        if (!result) {
          throw in.error(head, "expected a constant, found 'either', which only a result may be");
        }
        List<Value> alternatives = new ArrayList<>();
        if (in.at(TokenKind.RPAREN)) {
          throw in.expected("a result (an either holds at least one)"); // result+ in the grammar
        }
        while (!in.at(TokenKind.RPAREN)) {
          // Alternatives are plain results (the reference interpreter's grammar nests no either),
          // which also keeps this recursion one level deep whatever a hostile script nests.
          if (in.atParen("either")) {
            throw in.expected("a result (an either holds no either)");
          }
          alternatives.add(value(true));
        }
        yield new Value.Either(alternatives);
      }
      default -> {
        if (!word.startsWith("ref.")) {
          throw in.error(head, "expected a constant, found " + head.describe());
        }
        OptionalLong index = OptionalLong.empty();
        if (in.at(TokenKind.NUMBER)) {
          index = OptionalLong.of(in.u32("a host reference's number"));
        } else if (in.at(TokenKind.ID)) {
          in.next(); // a function named in a ref.func result: any function matches (see Value.Ref)
        }
        yield new Value.Ref(word.substring(4), index);
      }
    };
    in.expectRParen();
    return value;
  }

  private String heapType() {
    Token t = in.next();
    if (t.kind() == TokenKind.ID) {
      return "$" + t.text();
    }
    if (t.kind() != TokenKind.KEYWORD && t.kind() != TokenKind.NUMBER) {
      throw in.error(t, "expected a heap type, found " + t.describe());
    }
    return t.text();
  }

  private long integer(int bits) {
    Token t = in.peek();
    Long v = t.kind() == TokenKind.NUMBER ? Literals.integer(t.text(), bits) : null;
    if (v == null) {
      throw in.expected("an i" + bits + " literal");
    }
    in.next();
    return bits == 32 ? v & 0xFFFF_FFFFL : v;
  }

  /** An f32 or f64 literal, or in a result a NaN pattern. */
  private Value floatOrPattern(String type, boolean result) {
    Token t = in.peek();
    if (result && (t.isKeyword("nan:canonical") || t.isKeyword("nan:arithmetic"))) {
      in.next();
      return new Value.NanPattern(type, t.text().equals("nan:canonical"));
    }
    boolean literal = t.kind() == TokenKind.NUMBER || t.kind() == TokenKind.KEYWORD;
    Long bits = !literal ? null
        : type.equals("f32") ? toUnsigned(Literals.f32(t.text())) : Literals.f64(t.text());
    if (bits == null) {
      throw in.expected("an " + type + " literal" + (result ? " or NaN pattern" : ""));
    }
    in.next();
    return new Value.Num(type, bits);
  }

  private static Long toUnsigned(Integer bits) {
    return bits == null ? null : bits & 0xFFFF_FFFFL;
  }

  /** {@code v128.const shape lane*}; in a result, a float lane may be a NaN pattern. */
  private Value vector(boolean result) {
    Token shape = in.peek();
    int lanes = switch (shape.kind() == TokenKind.KEYWORD ? shape.text() : "") {
      case "i8x16" -> 16;
      case "i16x8" -> 8;
      case "i32x4", "f32x4" -> 4;
      case "i64x2", "f64x2" -> 2;
      default -> throw in.expected("a vector shape (i8x16, i16x8, i32x4, i64x2, f32x4, f64x2)");
    };
    in.next();
    int laneBits = 128 / lanes;
    List<Value> values = new ArrayList<>(lanes);
    for (int i = 0; i < lanes; i++) {
      if (shape.text().startsWith("f")) {
        values.add(floatOrPattern("f" + laneBits, result));
      } else {
        Token t = in.peek();
        Long v = t.kind() == TokenKind.NUMBER ? Literals.integer(t.text(), laneBits) : null;
        if (v == null) {
          throw in.expected("an i" + laneBits + " lane literal");
        }
        in.next();
        values.add(new Value.Num("i" + laneBits, laneBits == 64 ? v : v & ((1L << laneBits) - 1)));
      }
    }
    return new Value.Vector(shape.text(), values);
  }

  /** Moves past the parenthesised form (or the single token) at the cursor. */
  private void skipForm() {
    int depth = 0;
    do {
      Token t = in.next();
      if (t.kind() == TokenKind.LPAREN) {
        depth++;
      } else if (t.kind() == TokenKind.RPAREN) {
        depth--;
      } else if (t.kind() == TokenKind.EOF) {
        return;
      }
    } while (depth > 0);
  }
}
