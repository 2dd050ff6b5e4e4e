package dev.kiln.ir.text;

import dev.kiln.ir.AbiParam;
import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.ExtFuncData;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.FloatCC;
import dev.kiln.ir.Function;
import dev.kiln.ir.InlineSite;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.Lanes;
import dev.kiln.ir.MemFlags;
import dev.kiln.ir.MemRegion;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.ParamPurpose;
import dev.kiln.ir.Signature;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the text format {@link Printer} writes. Value and block numbers are kept as written
 * (gaps become undefined slots), so printing a parsed function reproduces its text. Values and
 * blocks may be used before the line that defines them (SSA only needs dominance, not textual
 * order); a use that is never defined is an error at the use. The parser checks syntax and
 * references only: types and dominance are the verifier's job, so malformed-but-parsable IR can be
 * fed to the verifier in tests. Errors are {@link ParseException}s with {@code line:column}.
 */
public final class Parser {
  private static final Pattern NUMBERED = Pattern.compile("(v|block|sig|fn|inline)([0-9]+)");
  private static final Pattern INLINE_SITE = Pattern.compile("inline[0-9]+");
  private static final Pattern USER_NAME = Pattern.compile("u([0-9]+)");

  private final List<Token> tokens;
  private int pos;

  // per function
  private Function function;
  private final List<Token> valueUses = new ArrayList<>();
  private final List<Token> blockUses = new ArrayList<>();

  private Parser(String text) {
    this.tokens = Lexer.tokenize(text);
  }

  /** Parses every function in {@code text}. */
  public static List<Function> parse(String text) {
    Parser p = new Parser(text);
    List<Function> functions = new ArrayList<>();
    while (p.peek().kind() != Token.Kind.EOF) {
      functions.add(p.function());
    }
    return functions;
  }

  /** Parses text holding exactly one function. */
  public static Function parseFunction(String text) {
    Parser p = new Parser(text);
    Function f = p.function();
    if (p.peek().kind() != Token.Kind.EOF) {
      throw p.error(p.peek(), "expected end of input after the function, found "
          + p.peek().describe());
    }
    return f;
  }

  // ------------------------------------------------------------------ function level

  private Function function() {
    expectWord("function");
    ExternalName name = externalName();
    Signature sig = signature();
    function = new Function(name, sig);
    valueUses.clear();
    blockUses.clear();
    expect(Token.Kind.LBRACE, "'{'");
    DataFlowGraph dfg = function.dfg();
    while (peek().kind() == Token.Kind.IDENT && peekAt(1).kind() == Token.Kind.EQUALS) {
      Token decl = next();
      next();
      Matcher m = NUMBERED.matcher(decl.text());
      if (m.matches() && m.group(1).equals("sig")) {
        requireNextNumber(decl, m, dfg.signatureCount());
        dfg.addSignature(signature());
      } else if (m.matches() && m.group(1).equals("fn")) {
        requireNextNumber(decl, m, dfg.extFuncCount());
        ExternalName callee = externalName();
        int sigRef = reference(next(), "sig", dfg.signatureCount());
        dfg.addExtFunc(new ExtFuncData(callee, sigRef));
      } else if (m.matches() && m.group(1).equals("inline")) {
        requireNextNumber(decl, m, dfg.inlineSiteCount());
        ExternalName callee = externalName();
        int callLoc = sourceLoc(expect(Token.Kind.SOURCE_LOC, "the call's source location"));
        int parent = InlineSite.NONE;
        if (peek().kind() == Token.Kind.IDENT && peek().text().equals("in")) {
          next();
          parent = reference(next(), "inline", dfg.inlineSiteCount());
        }
        dfg.addInlineSite(new InlineSite(callee, callLoc, parent));
      } else {
        throw error(decl, "expected a 'sigN', 'fnN' or 'inlineN' declaration, found " + decl.describe());
      }
    }
    while (peek().kind() != Token.Kind.RBRACE) {
      if (peek().kind() == Token.Kind.EOF) {
        throw error(peek(), "unclosed function " + name.text() + ": expected '}'");
      }
      block();
    }
    next();
    for (Token use : valueUses) {
      int v = number(use, "v");
      if (dfg.valueKind(v) == DataFlowGraph.VALUE_NONE) {
        throw error(use, "use of undefined value " + use.text());
      }
    }
    for (Token use : blockUses) {
      if (!function.layout().isBlockInserted(number(use, "block"))) {
        throw error(use, "branch to undefined block " + use.text());
      }
    }
    return function;
  }

  private void requireNextNumber(Token decl, Matcher m, int expected) {
    if (Long.parseLong(m.group(2)) != expected) {
      throw error(decl, "declarations are numbered in order: expected " + m.group(1) + expected
          + ", found " + decl.text());
    }
  }

  private int sourceLoc(Token loc) {
    int sourceLoc = Integer.parseUnsignedInt(loc.text(), 16);
    if (sourceLoc == DataFlowGraph.NO_SOURCE_LOC) {
      throw error(loc, "source location @" + loc.text() + " is reserved for 'no location'");
    }
    return sourceLoc;
  }

  private ExternalName externalName() {
    Token t = next();
    if (t.kind() == Token.Kind.NAME) {
      return new ExternalName.Named(t.text());
    }
    Matcher m = USER_NAME.matcher(t.text());
    if (t.kind() == Token.Kind.IDENT && m.matches() && peek().kind() == Token.Kind.COLON) {
      next();
      Token index = next();
      return new ExternalName.User(u32(t, m.group(1)), u32(index, index.text()));
    }
    throw error(t, "expected a function name like %name or u0:1, found " + t.describe());
  }

  private int u32(Token at, String digits) {
    try {
      long v = Long.parseLong(digits);
      if (v >= 0 && v <= 0xFFFF_FFFFL) {
        return (int) v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw error(at, "expected an unsigned 32-bit number, found '" + digits + "'");
  }

  private Signature signature() {
    expect(Token.Kind.LPAREN, "'(' starting a signature");
    List<AbiParam> params = new ArrayList<>();
    if (peek().kind() != Token.Kind.RPAREN) {
      do {
        params.add(abiParam());
      } while (accept(Token.Kind.COMMA));
    }
    expect(Token.Kind.RPAREN, "')' or ','");
    List<AbiParam> results = new ArrayList<>();
    if (accept(Token.Kind.ARROW)) {
      do {
        results.add(abiParam());
      } while (accept(Token.Kind.COMMA));
    }
    return new Signature(params, results);
  }

  private AbiParam abiParam() {
    Type type = type(next());
    ParamPurpose purpose = ParamPurpose.NORMAL;
    // A word that is no purpose is left alone: it starts the next declaration.
    ParamPurpose p = peek().kind() == Token.Kind.IDENT ? ParamPurpose.byText(peek().text()) : null;
    if (p != null) {
      next();
      purpose = p;
    }
    return new AbiParam(type, purpose);
  }

  // ------------------------------------------------------------------ blocks

  private void block() {
    Token label = next();
    int block = definedNumber(label, "block", "a block label like 'block0:'");
    DataFlowGraph dfg = function.dfg();
    dfg.reserveBlocks(block);
    if (function.layout().isBlockInserted(block)) {
      throw error(label, label.text() + " is defined twice");
    }
    function.layout().appendBlock(block);
    if (accept(Token.Kind.LPAREN)) {
      do {
        Token name = next();
        int v = valueDef(name);
        expect(Token.Kind.COLON, "':' before the parameter type");
        dfg.appendBlockParam(block, type(next()), v);
      } while (accept(Token.Kind.COMMA));
      expect(Token.Kind.RPAREN, "')' or ','");
    }
    expect(Token.Kind.COLON, "':' after the block label");
    while (!atBlockEnd()) {
      instruction(block);
    }
  }

  private boolean atBlockEnd() {
    Token t = peek();
    if (t.kind() == Token.Kind.SOURCE_LOC) {
      return false;
    }
    return t.kind() == Token.Kind.RBRACE || t.kind() == Token.Kind.EOF
        || (t.kind() == Token.Kind.IDENT && t.text().startsWith("block")
            && NUMBERED.matcher(t.text()).matches());
  }

  // ------------------------------------------------------------------ instructions

  private void instruction(int block) {
    int sourceLoc = DataFlowGraph.NO_SOURCE_LOC;
    if (peek().kind() == Token.Kind.SOURCE_LOC) {
      sourceLoc = sourceLoc(next());
    }
    int inlineSite = InlineSite.NONE;
    if (peek().kind() == Token.Kind.IDENT && INLINE_SITE.matcher(peek().text()).matches()) {
      inlineSite = reference(next(), "inline", function.dfg().inlineSiteCount());
    }
    List<Token> resultNames = new ArrayList<>();
    if (peek().kind() == Token.Kind.IDENT && isValueName(peek().text())
        && (peekAt(1).kind() == Token.Kind.EQUALS || peekAt(1).kind() == Token.Kind.COMMA)) {
      do {
        resultNames.add(next());
      } while (accept(Token.Kind.COMMA));
      expect(Token.Kind.EQUALS, "'=' after the result values");
    }
    Token opToken = next();
    if (opToken.kind() != Token.Kind.IDENT) {
      throw error(opToken, "expected an instruction, found " + opToken.describe());
    }
    String opText = opToken.text();
    int dot = opText.indexOf('.');
    String opName = dot < 0 ? opText : opText.substring(0, dot);
    Opcode op = Opcode.byText(opName);
    if (op == null) {
      throw error(opToken, "unknown opcode '" + opName + "'");
    }
    Type ctrl = null;
    Lanes lanes = null;
    if (dot >= 0) {
      String suffix = opText.substring(dot + 1);
      if (op.hasLanes()) {
        lanes = Lanes.byText(suffix);
        if (lanes == null) {
          throw error(opToken, "unknown lane shape '" + suffix + "'");
        }
      } else if (!op.hasCtrlType()) {
        throw error(opToken, op.text() + " takes no type suffix");
      } else {
        ctrl = Type.byText(suffix);
        if (ctrl == null) {
          throw error(opToken, "unknown type '" + suffix + "'");
        }
      }
    } else if (op.hasCtrlType()) {
      throw error(opToken, op.text() + " needs a type suffix, e.g. " + op.text() + ".i32");
    } else if (op.hasLanes()) {
      throw error(opToken, op.text() + " needs a lane shape, e.g. " + op.text() + ".i32x4");
    }

    Operands o = operands(op, ctrl);
    if (lanes != null) {
      o.aux = lanes.ordinal();
    }
    DataFlowGraph dfg = function.dfg();
    List<Type> resultTypes = dfg.resultTypes(op, ctrl, o.aux);
    if (resultTypes.size() != resultNames.size()) {
      throw error(opToken, op.text() + " defines " + resultTypes.size() + " result(s), "
          + resultNames.size() + " named");
    }
    int[] resultIds = new int[resultNames.size()];
    for (int i = 0; i < resultIds.length; i++) {
      resultIds[i] = valueDef(resultNames.get(i));
      for (int j = 0; j < i; j++) {
        if (resultIds[j] == resultIds[i]) {
          throw error(resultNames.get(i), resultNames.get(i).text() + " is defined twice");
        }
      }
    }
    int inst = dfg.makeInst(op, ctrl, o.imm, o.aux, o.args.stream().mapToInt(Integer::intValue)
        .toArray(), o.dests == null ? null : o.dests.stream().mapToInt(Integer::intValue)
        .toArray(), resultIds);
    dfg.setSourceLoc(inst, sourceLoc);
    dfg.setInlineSiteOf(inst, inlineSite);
    function.layout().appendInst(inst, block);
  }

  /** What an instruction's operand syntax produced, before the instruction exists. */
  private static final class Operands {
    long imm;
    int aux;
    final List<Integer> args = new ArrayList<>();
    List<Integer> dests;
  }

  private Operands operands(Opcode op, Type ctrl) {
    Operands o = new Operands();
    DataFlowGraph dfg = function.dfg();
    switch (op.format()) {
      case CONST -> o.imm = constant(op, ctrl, next());
      case VCONST -> o.imm = vectorConstant(next());
      case UNARY, BINARY, TERNARY -> {
        for (int i = 0; i < op.format().fixedArgs(); i++) {
          if (i > 0) {
            expect(Token.Kind.COMMA, "',' between operands");
          }
          o.args.add(valueUse(next()));
        }
      }
      case INT_COMPARE -> {
        o.aux = intCC(next()).ordinal();
        twoValues(o);
      }
      case FLOAT_COMPARE -> {
        o.aux = floatCC(next()).ordinal();
        twoValues(o);
      }
      case VINT_COMPARE -> {
        o.imm = intCC(next()).ordinal();
        twoValues(o);
      }
      case VFLOAT_COMPARE -> {
        o.imm = floatCC(next()).ordinal();
        twoValues(o);
      }
      case SHUFFLE -> {
        twoValues(o);
        expect(Token.Kind.COMMA, "',' before the byte indexes");
        o.imm = vectorConstant(next());
      }
      case EXTRACT_LANE, INSERT_LANE -> {
        for (int i = 0; i < op.format().fixedArgs(); i++) {
          o.args.add(valueUse(next()));
          expect(Token.Kind.COMMA, "',' after an operand");
        }
        o.imm = integer(next(), false);
      }
      case LOAD -> {
        o.aux = memFlags().bits();
        o.args.add(valueUse(next()));
        o.imm = offset();
      }
      case STORE -> {
        o.aux = memFlags().bits();
        o.args.add(valueUse(next()));
        expect(Token.Kind.COMMA, "',' before the address");
        o.args.add(valueUse(next()));
        o.imm = offset();
      }
      case BOUNDS_CHECK -> {
        twoValues(o);
        expect(Token.Kind.COMMA, "',' before the access end");
        Token end = next();
        o.imm = integer(end, false);
        expect(Token.Kind.COMMA, "',' before the trap code");
        o.aux = trapCode(next()).ordinal();
      }
      case TRAP -> o.aux = trapCode(next()).ordinal();
      case COND_TRAP -> {
        o.args.add(valueUse(next()));
        expect(Token.Kind.COMMA, "',' before the trap code");
        o.aux = trapCode(next()).ordinal();
      }
      case JUMP -> o.dests = new ArrayList<>(List.of(blockCall()));
      case UNWIND_EDGE -> {
        o.dests = new ArrayList<>();
        o.dests.add(blockCall());
        expect(Token.Kind.COMMA, "',' before the landing pad");
        o.dests.add(blockCall());
      }
      case BRIF -> {
        o.args.add(valueUse(next()));
        o.dests = new ArrayList<>();
        expect(Token.Kind.COMMA, "',' before the first destination");
        o.dests.add(blockCall());
        expect(Token.Kind.COMMA, "',' before the second destination");
        o.dests.add(blockCall());
      }
      case BR_TABLE -> {
        o.args.add(valueUse(next()));
        o.dests = new ArrayList<>();
        expect(Token.Kind.COMMA, "',' before the default destination");
        o.dests.add(blockCall());
        expect(Token.Kind.COMMA, "',' before the table");
        expect(Token.Kind.LBRACKET, "'[' starting the table");
        if (peek().kind() != Token.Kind.RBRACKET) {
          do {
            o.dests.add(blockCall());
          } while (accept(Token.Kind.COMMA));
        }
        expect(Token.Kind.RBRACKET, "']' or ','");
      }
      case MULTIARY -> {
        if (peek().kind() == Token.Kind.IDENT && isValueName(peek().text())) {
          do {
            o.args.add(valueUse(next()));
          } while (accept(Token.Kind.COMMA));
        }
      }
      case CALL -> {
        o.aux = reference(next(), "fn", dfg.extFuncCount());
        argumentList(o);
      }
      case CALL_INDIRECT -> {
        o.aux = reference(next(), "sig", dfg.signatureCount());
        expect(Token.Kind.COMMA, "',' before the callee");
        o.args.add(valueUse(next()));
        argumentList(o);
      }
    }
    return o;
  }

  private IntCC intCC(Token cc) {
    IntCC cond = IntCC.byText(cc.text());
    if (cond == null) {
      throw error(cc, "unknown integer condition " + cc.describe());
    }
    return cond;
  }

  private FloatCC floatCC(Token cc) {
    FloatCC cond = FloatCC.byText(cc.text());
    if (cond == null) {
      throw error(cc, "unknown float condition " + cc.describe());
    }
    return cond;
  }

  private void twoValues(Operands o) {
    o.args.add(valueUse(next()));
    expect(Token.Kind.COMMA, "',' between operands");
    o.args.add(valueUse(next()));
  }

  private void argumentList(Operands o) {
    expect(Token.Kind.LPAREN, "'(' starting the arguments");
    if (peek().kind() != Token.Kind.RPAREN) {
      do {
        o.args.add(valueUse(next()));
      } while (accept(Token.Kind.COMMA));
    }
    expect(Token.Kind.RPAREN, "')' or ','");
  }

  private int blockCall() {
    Token label = next();
    int block = definedNumber(label, "block", "a destination block");
    function.dfg().reserveBlocks(block);
    blockUses.add(label);
    List<Integer> args = new ArrayList<>();
    if (accept(Token.Kind.LPAREN)) {
      do {
        args.add(valueUse(next()));
      } while (accept(Token.Kind.COMMA));
      expect(Token.Kind.RPAREN, "')' or ','");
    }
    return function.dfg().makeBlockCall(block, args.stream().mapToInt(Integer::intValue).toArray());
  }

  private MemFlags memFlags() {
    MemRegion region = MemRegion.OTHER;
    boolean readonly = false;
    boolean aligned = false;
    boolean traps = false;
    while (peek().kind() == Token.Kind.IDENT && !isValueName(peek().text())) {
      Token t = next();
      MemRegion r = MemRegion.byText(t.text());
      if (r != null && region == MemRegion.OTHER) {
        region = r;
      } else if (t.text().equals("readonly") && !readonly) {
        readonly = true;
      } else if (t.text().equals("aligned") && !aligned) {
        aligned = true;
      } else if (t.text().equals("traps") && !traps) {
        traps = true;
      } else {
        throw error(t, "unexpected memory flag " + t.describe());
      }
    }
    return new MemFlags(region, readonly, aligned, traps);
  }

  private long offset() {
    Token t = peek();
    if (t.kind() == Token.Kind.NUMBER && (t.text().startsWith("+") || t.text().startsWith("-"))) {
      next();
      return integer(t, true);
    }
    return 0;
  }

  private long constant(Opcode op, Type ctrl, Token t) {
    if (t.kind() != Token.Kind.NUMBER) {
      throw error(t, "expected a constant, found " + t.describe());
    }
    try {
      return switch (op) {
        case F32CONST -> Integer.toUnsignedLong(FloatText.parseF32(t.text()));
        case F64CONST -> FloatText.parseF64(t.text());
        default -> {
          long v = integer(t, true);
          if (ctrl == Type.I32) {
            if (v < Integer.MIN_VALUE || v > 0xFFFF_FFFFL) {
              throw error(t, "constant " + t.text() + " does not fit in i32");
            }
            yield (int) v;
          }
          yield v;
        }
      };
    } catch (NumberFormatException e) {
      throw error(t, "malformed constant '" + t.text() + "': " + e.getMessage());
    }
  }

  /** A 128-bit constant written as {@code 0x} and up to 32 hex digits; its pool index. */
  private int vectorConstant(Token t) {
    String s = t.text().replace("_", "");
    if (t.kind() != Token.Kind.NUMBER || !s.startsWith("0x") || s.length() < 3 || s.length() > 34) {
      throw error(t, "expected a 128-bit constant (0x and up to 32 hex digits), found " + t.describe());
    }
    String digits = s.substring(2);
    try {
      int split = Math.max(0, digits.length() - 16);
      long low = Long.parseUnsignedLong(digits.substring(split), 16);
      long high = split == 0 ? 0 : Long.parseUnsignedLong(digits.substring(0, split), 16);
      return function.dfg().vectorConstant(low, high);
    } catch (NumberFormatException e) {
      throw error(t, "malformed 128-bit constant " + t.describe());
    }
  }

  /** A decimal or 0x-hex integer; signed values use two's complement, unsigned up to 2^64-1. */
  private long integer(Token t, boolean signAllowed) {
    if (t.kind() != Token.Kind.NUMBER) {
      throw error(t, "expected a number, found " + t.describe());
    }
    String s = t.text().replace("_", "");
    boolean negative = s.startsWith("-");
    if (s.startsWith("-") || s.startsWith("+")) {
      if (!signAllowed) {
        throw error(t, "expected an unsigned number, found " + t.describe());
      }
      s = s.substring(1);
    }
    try {
      long magnitude = s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16)
          : Long.parseUnsignedLong(s);
      if (negative) {
        if (Long.compareUnsigned(magnitude, Long.MIN_VALUE) > 0) {
          throw error(t, "number " + t.text() + " is out of range");
        }
        return -magnitude;
      }
      return magnitude;
    } catch (NumberFormatException e) {
      throw error(t, "malformed number " + t.describe());
    }
  }

  private TrapCode trapCode(Token t) {
    TrapCode code = TrapCode.byText(t.text());
    if (t.kind() != Token.Kind.IDENT || code == null) {
      throw error(t, "expected a trap code, found " + t.describe());
    }
    return code;
  }

  private Type type(Token t) {
    Type type = t.kind() == Token.Kind.IDENT ? Type.byText(t.text()) : null;
    if (type == null) {
      throw error(t, "expected a type (i32, i64, f32, f64, v128), found " + t.describe());
    }
    return type;
  }

  // ------------------------------------------------------------------ entity names

  private static boolean isValueName(String s) {
    Matcher m = NUMBERED.matcher(s);
    return m.matches() && m.group(1).equals("v");
  }

  private int valueDef(Token t) {
    int v = definedNumber(t, "v", "a value like v0");
    if (function.dfg().valueKind(v) != DataFlowGraph.VALUE_NONE) {
      throw error(t, t.text() + " is defined twice");
    }
    return v;
  }

  private int valueUse(Token t) {
    int v = definedNumber(t, "v", "a value like v0");
    function.dfg().reserveValues(v);
    valueUses.add(t);
    return v;
  }

  private int reference(Token t, String prefix, int count) {
    int n = definedNumber(t, prefix, "a reference like " + prefix + "0");
    if (n >= count) {
      throw error(t, t.text() + " is not declared");
    }
    return n;
  }

  private int definedNumber(Token t, String prefix, String what) {
    Matcher m = NUMBERED.matcher(t.text());
    if (t.kind() != Token.Kind.IDENT || !m.matches() || !m.group(1).equals(prefix)) {
      throw error(t, "expected " + what + ", found " + t.describe());
    }
    return number(t, prefix);
  }

  private int number(Token t, String prefix) {
    String digits = t.text().substring(prefix.length());
    if (digits.length() > 1 && digits.startsWith("0")) {
      throw error(t, "leading zero in " + t.text());
    }
    try {
      int n = Integer.parseInt(digits);
      if (n < 10_000_000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw error(t, "number in " + t.text() + " is too large");
  }

  // ------------------------------------------------------------------ token stream

  private Token peek() {
    return tokens.get(pos);
  }

  private Token peekAt(int ahead) {
    return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
  }

  private Token next() {
    Token t = tokens.get(pos);
    if (t.kind() != Token.Kind.EOF) {
      pos++;
    }
    return t;
  }

  private boolean accept(Token.Kind kind) {
    if (peek().kind() == kind) {
      pos++;
      return true;
    }
    return false;
  }

  private Token expect(Token.Kind kind, String what) {
    Token t = next();
    if (t.kind() != kind) {
      throw error(t, "expected " + what + ", found " + t.describe());
    }
    return t;
  }

  private void expectWord(String word) {
    Token t = next();
    if (t.kind() != Token.Kind.IDENT || !t.text().equals(word)) {
      throw error(t, "expected '" + word + "', found " + t.describe());
    }
  }

  private ParseException error(Token t, String message) {
    return new ParseException(t.line(), t.column(), message);
  }
}
