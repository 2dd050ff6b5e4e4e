package dev.kiln.wat.parse;

import dev.kiln.wat.Edition;
import dev.kiln.wat.ast.CompType;
import dev.kiln.wat.ast.HeapType;
import dev.kiln.wat.ast.Imm;
import dev.kiln.wat.ast.Instr;
import dev.kiln.wat.ast.Limits;
import dev.kiln.wat.ast.ModuleField;
import dev.kiln.wat.ast.ModuleField.SegmentMode;
import dev.kiln.wat.ast.Ref;
import dev.kiln.wat.ast.SubType;
import dev.kiln.wat.ast.TextModule;
import dev.kiln.wat.ast.TypeUse;
import dev.kiln.wat.ast.ValType;
import dev.kiln.wat.binary.InstructionTable;
import dev.kiln.wat.binary.TypeCodes;
import dev.kiln.wat.lex.Token;
import dev.kiln.wat.lex.TokenKind;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Module fields (spec 6.6) into a {@link TextModule}. The abbreviations that only rearrange fields
 * are expanded here: an inline {@code (import ...)} makes the definition an import, a table with
 * inline elements becomes a table and an active element segment, a memory with inline data a
 * memory and an active data segment (spec 6.6.7, 6.6.8), and a folded offset or item becomes an
 * expression. Inline exports stay on their definition so the resolver emits them in text order.
 */
public final class ModuleParser {
  private static final Map<String, Integer> EXPORT_KINDS =
      Map.of("func", 0, "table", 1, "memory", 2, "global", 3, "tag", 4);
  private static final long PAGE_SIZE = 65536;

  private final Cursor in;
  private final TypeParser types;
  private final InstructionParser instructions;
  private final List<ModuleField> fields = new ArrayList<>();
  /** A function, table, memory, global or tag has been defined: imports may no longer follow. */
  private Token firstDefinition;
  private Token seenStart;
  private int tableCount;
  private int memoryCount;

  private ModuleParser(Cursor in, Edition edition) {
    this.in = in;
    this.types = new TypeParser(in, edition);
    this.instructions = new InstructionParser(in, types);
  }

  /**
   * A {@code (module $id? field*)} form at the cursor, leaving the cursor after its closing
   * parenthesis. A script reader uses this for each text module of a script.
   */
  public static TextModule parseModule(Cursor in, Edition edition) {
    Token open = in.expectParen("module");
    ModuleParser parser = new ModuleParser(in, edition);
    String id = in.optionalId();
    parser.fields();
    in.expectRParen();
    return new TextModule(id, List.copyOf(parser.fields), open);
  }

  /**
   * The fields of a module up to (not including) the closing parenthesis, for a script reader
   * that has read a module's header itself (e.g. {@code (module definition $id}).
   */
  public static TextModule parseFields(Cursor in, String id, Token at, Edition edition) {
    ModuleParser parser = new ModuleParser(in, edition);
    parser.fields();
    return new TextModule(id, List.copyOf(parser.fields), at);
  }

  /**
   * A whole {@code .wat} text: one {@code (module ...)}, or its fields alone (spec 6.6.15: a module
   * may be written as just its fields).
   */
  public static TextModule parseFile(Cursor in, Edition edition) {
    TextModule module;
    if (in.atParen("module")) {
      module = parseModule(in, edition);
    } else {
      ModuleParser parser = new ModuleParser(in, edition);
      Token at = in.peek();
      parser.fields();
      module = new TextModule(null, List.copyOf(parser.fields), at);
    }
    if (!in.at(TokenKind.EOF)) {
      throw in.expected("end of input after the module");
    }
    return module;
  }

  private void fields() {
    while (in.at(TokenKind.LPAREN)) {
      Token head = in.peek(1);
      if (head.kind() != TokenKind.KEYWORD) {
        in.next();
        throw in.expected("a module field");
      }
      switch (head.text()) {
        case "type" -> fields.add(new ModuleField.Rec(List.of(types.typeDefinition()), false, in.peek()));
        case "rec" -> rec();
        case "import" -> importField();
        case "func" -> func();
        case "table" -> table();
        case "memory" -> memory();
        case "global" -> global();
        case "tag" -> tag();
        case "export" -> export();
        case "start" -> start();
        case "elem" -> elem();
        case "data" -> data();
        default -> {
          in.next();
          throw in.expected("a module field (type, rec, import, func, table, memory, global, tag, export, start, elem, data)");
        }
      }
    }
    if (!in.at(TokenKind.RPAREN) && !in.at(TokenKind.EOF)) {
      throw in.expected("a module field");
    }
  }

  private void rec() {
    Token open = in.expectParen("rec");
    List<SubType> group = new ArrayList<>();
    while (in.atParen("type")) {
      group.add(types.typeDefinition());
    }
    in.expectRParen();
    fields.add(new ModuleField.Rec(group, true, open));
  }

  private List<String> inlineExports() {
    List<String> exports = new ArrayList<>();
    while (in.atParen("export")) {
      in.expectParen("export");
      exports.add(in.name("an export name"));
      in.expectRParen();
    }
    return exports;
  }

  /** {@code (import "m" "n")} inline in a definition, or null. */
  private String[] inlineImport() {
    if (!in.atParen("import")) {
      return null;
    }
    Token at = in.expectParen("import");
    checkImportOrder(at);
    String module = in.name("a module name");
    String name = in.name("an import name");
    in.expectRParen();
    return new String[] {module, name};
  }

  private void checkImportOrder(Token at) {
    if (firstDefinition != null) {
      throw in.error(at, "expected imports before the first definition (line " + firstDefinition.line()
          + "), found an import after it");
    }
  }

  private void defined(Token at) {
    if (firstDefinition == null) {
      firstDefinition = at;
    }
  }

  private void importField() {
    Token open = in.expectParen("import");
    checkImportOrder(open);
    String module = in.name("a module name");
    String name = in.name("an import name");
    in.expectLParen();
    Token kind = in.peek();
    in.next();
    String id = in.optionalId();
    ModuleField.ImportDesc desc = switch (kind.kind() == TokenKind.KEYWORD ? kind.text() : "") {
      case "func" -> new ModuleField.ImportDesc.Func(id, types.typeUse(true));
      case "table" -> {
        tableCount++;
        yield new ModuleField.ImportDesc.Table(id, tableType());
      }
      case "memory" -> {
        memoryCount++;
        yield new ModuleField.ImportDesc.Memory(id, types.memoryType(types.addressType()));
      }
      case "global" -> new ModuleField.ImportDesc.Global(id, globalType());
      case "tag" -> new ModuleField.ImportDesc.Tag(id, types.typeUse(true));
      default -> throw in.error(kind, "expected func, table, memory, global or tag, found " + kind.describe());
    };
    in.expectRParen();
    in.expectRParen();
    fields.add(new ModuleField.Import(module, name, desc, List.of(), open));
  }

  private void func() {
    Token open = in.expectParen("func");
    String id = in.optionalId();
    List<String> exports = inlineExports();
    String[] imported = inlineImport();
    TypeUse type = types.typeUse(true);
    if (imported != null) {
      in.expectRParen();
      fields.add(new ModuleField.Import(imported[0], imported[1], new ModuleField.ImportDesc.Func(id, type), exports, open));
      return;
    }
    defined(open);
    List<CompType.Param> locals = new ArrayList<>();
    while (in.atParen("local")) {
      in.expectParen("local");
      if (in.at(TokenKind.ID)) {
        String name = in.next().text();
        locals.add(new CompType.Param(name, types.valType()));
      } else {
        while (!in.at(TokenKind.RPAREN)) {
          locals.add(new CompType.Param(null, types.valType()));
        }
      }
      in.expectRParen();
    }
    List<Instr> body = instructions.expression();
    in.expectRParen();
    fields.add(new ModuleField.Func(id, exports, type, locals, body, open));
  }

  private ModuleField.TableType tableType() {
    boolean address64 = types.addressType();
    Limits limits = types.limits(address64);
    return new ModuleField.TableType(limits, types.refType());
  }

  private ModuleField.GlobalType globalType() {
    if (in.atParen("mut")) {
      in.expectParen("mut");
      ValType t = types.valType();
      in.expectRParen();
      return new ModuleField.GlobalType(t, true);
    }
    return new ModuleField.GlobalType(types.valType(), false);
  }

  private void table() {
    Token open = in.expectParen("table");
    String id = in.optionalId();
    List<String> exports = inlineExports();
    String[] imported = inlineImport();
    if (imported != null) {
      ModuleField.TableType type = tableType();
      in.expectRParen();
      tableCount++;
      fields.add(new ModuleField.Import(imported[0], imported[1], new ModuleField.ImportDesc.Table(id, type), exports, open));
      return;
    }
    defined(open);
    int index = tableCount++;
    int save = in.position();
    boolean address64 = types.addressType();
    if (types.atRefType()) {
      // table id? addrtype? reftype (elem ...): a table just large enough and an active segment.
      // The segment has the table's type, even when its items are written as indices
      // (spec 6.6.7; the reference interpreter's parser does the same).
      ValType.Reference element = types.refType();
      Token elemAt = in.expectParen("elem");
      List<List<Instr>> items = new ArrayList<>();
      if (in.at(TokenKind.LPAREN)) {
        while (in.at(TokenKind.LPAREN)) {
          items.add(elemItem());
        }
      } else {
        while (in.atIndex()) {
          items.add(refFunc(in.index("a function index")));
        }
      }
      in.expectRParen();
      in.expectRParen();
      long n = items.size();
      fields.add(new ModuleField.Table(id, exports, new ModuleField.TableType(new Limits(address64, n, n), element), null, open));
      fields.add(new ModuleField.Elem(null, new SegmentMode.Active(new Ref.Num(index, elemAt), zeroOffset(address64, elemAt)),
          element, items, elemAt));
      return;
    }
    in.reset(save);
    ModuleField.TableType type = tableType();
    List<Instr> init = null;
    if (!in.at(TokenKind.RPAREN)) {
      init = instructions.expression();
    }
    in.expectRParen();
    fields.add(new ModuleField.Table(id, exports, type, init, open));
  }

  private void memory() {
    Token open = in.expectParen("memory");
    String id = in.optionalId();
    List<String> exports = inlineExports();
    String[] imported = inlineImport();
    if (imported != null) {
      ModuleField.MemoryType type = types.memoryType(types.addressType());
      in.expectRParen();
      memoryCount++;
      fields.add(new ModuleField.Import(imported[0], imported[1], new ModuleField.ImportDesc.Memory(id, type), exports, open));
      return;
    }
    defined(open);
    int index = memoryCount++;
    boolean address64 = types.addressType();
    if (in.atParen("data")) {
      // memory id? addrtype? (data ...): pages enough for the bytes and an active segment.
      Token dataAt = in.expectParen("data");
      byte[] bytes = strings();
      in.expectRParen();
      in.expectRParen();
      long pages = (bytes.length + PAGE_SIZE - 1) / PAGE_SIZE;
      fields.add(new ModuleField.Memory(id, exports,
          new ModuleField.MemoryType(new Limits(address64, pages, pages), false), open));
      fields.add(new ModuleField.Data(null, new SegmentMode.Active(new Ref.Num(index, dataAt), zeroOffset(address64, dataAt)),
          bytes, dataAt));
      return;
    }
    ModuleField.MemoryType type = types.memoryType(address64);
    in.expectRParen();
    fields.add(new ModuleField.Memory(id, exports, type, open));
  }

  private void global() {
    Token open = in.expectParen("global");
    String id = in.optionalId();
    List<String> exports = inlineExports();
    String[] imported = inlineImport();
    ModuleField.GlobalType type = globalType();
    if (imported != null) {
      in.expectRParen();
      fields.add(new ModuleField.Import(imported[0], imported[1], new ModuleField.ImportDesc.Global(id, type), exports, open));
      return;
    }
    defined(open);
    List<Instr> init = instructions.expression();
    in.expectRParen();
    fields.add(new ModuleField.Global(id, exports, type, init, open));
  }

  private void tag() {
    Token open = in.expectParen("tag");
    String id = in.optionalId();
    List<String> exports = inlineExports();
    String[] imported = inlineImport();
    TypeUse type = types.typeUse(true);
    in.expectRParen();
    if (imported != null) {
      fields.add(new ModuleField.Import(imported[0], imported[1], new ModuleField.ImportDesc.Tag(id, type), exports, open));
      return;
    }
    defined(open);
    fields.add(new ModuleField.Tag(id, exports, type, open));
  }

  private void export() {
    Token open = in.expectParen("export");
    String name = in.name("an export name");
    in.expectLParen();
    Token kind = in.next();
    Integer code = kind.kind() == TokenKind.KEYWORD ? EXPORT_KINDS.get(kind.text()) : null;
    if (code == null) {
      throw in.error(kind, "expected func, table, memory, global or tag, found " + kind.describe());
    }
    Ref ref = in.index("an index");
    in.expectRParen();
    in.expectRParen();
    fields.add(new ModuleField.Export(name, code, ref, open));
  }

  private void start() {
    Token open = in.expectParen("start");
    if (seenStart != null) {
      throw in.error(open, "expected one start function, found a second (start) after line " + seenStart.line());
    }
    seenStart = open;
    Ref func = in.index("a function index");
    in.expectRParen();
    fields.add(new ModuleField.Start(func, open));
  }

  /**
   * {@code (elem id? elemlist)}, {@code (elem id? declare elemlist)} or {@code (elem id? (table
   * x)? offset elemlist)}, where an active segment's list may be bare function indices (spec 6.6.12).
   */
  private void elem() {
    Token open = in.expectParen("elem");
    String id = in.optionalId();
    SegmentMode mode;
    if (in.atKeyword("declare")) {
      in.next();
      mode = new SegmentMode.Declarative();
    } else if (in.atIndex() || in.at(TokenKind.LPAREN) && !in.atParen("ref")) {
      Ref table = null;
      if (in.atParen("table")) {
        in.expectParen("table");
        table = in.index("a table index");
        in.expectRParen();
      } else if (in.atIndex()) {
        table = in.index("a table index");
      }
      mode = new SegmentMode.Active(table, offset());
    } else {
      mode = new SegmentMode.Passive();
    }
    ValType.Reference type;
    List<List<Instr>> items = new ArrayList<>();
    if (in.atKeyword("func")) {
      in.next();
      type = funcIndexType();
      while (in.atIndex()) {
        items.add(refFunc(in.index("a function index")));
      }
    } else if (types.atRefType()) {
      type = types.refType();
      while (in.at(TokenKind.LPAREN)) {
        items.add(elemItem());
      }
    } else if (mode instanceof SegmentMode.Active) {
      type = funcIndexType();
      while (in.atIndex()) {
        items.add(refFunc(in.index("a function index")));
      }
    } else {
      throw in.expected("'func' or a reference type");
    }
    in.expectRParen();
    fields.add(new ModuleField.Elem(id, mode, type, items, open));
  }

  /**
   * The type of a segment written as function indices ({@code func x*}, spec 6.6.12's elemkind):
   * {@code (ref func)}, since no item can be null.
   */
  private static ValType.Reference funcIndexType() {
    return new ValType.Reference(false, new HeapType.Abstract("func", TypeCodes.FUNC));
  }

  /** {@code (item instr*)} or one folded instruction (spec 6.6.12). */
  private List<Instr> elemItem() {
    if (in.atParen("item")) {
      in.expectParen("item");
      List<Instr> expr = instructions.expression();
      in.expectRParen();
      return expr;
    }
    List<Instr> expr = new ArrayList<>();
    instructions.folded(expr);
    return expr;
  }

  /** {@code (offset instr*)} or one folded instruction (spec 6.6.12, 6.6.14). */
  private List<Instr> offset() {
    if (in.atParen("offset")) {
      in.expectParen("offset");
      List<Instr> expr = instructions.expression();
      in.expectRParen();
      return expr;
    }
    if (!in.at(TokenKind.LPAREN)) {
      throw in.expected("an offset expression");
    }
    List<Instr> expr = new ArrayList<>();
    instructions.folded(expr);
    return expr;
  }

  private List<Instr> refFunc(Ref func) {
    return List.of(new Instr(InstructionTable.get("ref.func"), List.of(new Imm.Index(func)), func.at()));
  }

  private static List<Instr> zeroOffset(boolean address64, Token at) {
    return List.of(new Instr(InstructionTable.get(address64 ? "i64.const" : "i32.const"), List.of(new Imm.Int(0)), at));
  }

  private void data() {
    Token open = in.expectParen("data");
    String id = in.optionalId();
    SegmentMode mode;
    if (in.at(TokenKind.STRING) || in.at(TokenKind.RPAREN)) {
      mode = new SegmentMode.Passive();
    } else {
      Ref memory = null;
      if (in.atParen("memory")) {
        in.expectParen("memory");
        memory = in.index("a memory index");
        in.expectRParen();
      } else if (in.atIndex()) {
        memory = in.index("a memory index");
      }
      mode = new SegmentMode.Active(memory, offset());
    }
    byte[] bytes = strings();
    in.expectRParen();
    fields.add(new ModuleField.Data(id, mode, bytes, open));
  }

  private byte[] strings() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (in.at(TokenKind.STRING)) {
      out.writeBytes(in.next().bytes());
    }
    return out.toByteArray();
  }
}
