package dev.kiln.wat.parse;

import dev.kiln.wat.ast.Imm;
import dev.kiln.wat.ast.Instr;
import dev.kiln.wat.ast.Ref;
import dev.kiln.wat.ast.TypeUse;
import dev.kiln.wat.ast.ValType;
import dev.kiln.wat.binary.Instruction;
import dev.kiln.wat.binary.InstructionTable;
import dev.kiln.wat.binary.Shape;
import dev.kiln.wat.lex.Literals;
import dev.kiln.wat.lex.Token;
import dev.kiln.wat.lex.TokenKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Instructions (spec 6.5), flat and folded, into one flat list in binary order: a folded
 * instruction's operands come before it (spec 6.5.2), {@code if}'s condition before the {@code
 * if}, and every structured instruction is closed by an explicit {@code end}.
 */
final class InstructionParser {
  private static final Instruction END = InstructionTable.get("end");
  private static final Instruction ELSE = InstructionTable.get("else");
  private static final Instruction CATCH = InstructionTable.get("catch");
  private static final Instruction CATCH_ALL = InstructionTable.get("catch_all");
  private static final Instruction DELEGATE = InstructionTable.get("delegate");
  private static final Set<String> BLOCK_ENDS = Set.of("end", "else", "catch", "catch_all", "delegate");

  /**
   * How deeply folded instructions may nest. The parser recurses once per level;
   * the bound turns a hostile text of endless parentheses into an error instead of a stack
   * overflow, and lies far above what compilers and the spec suite write.
   */
  static final int MAX_NESTING = 1000;

  private final Cursor in;
  private final TypeParser types;
  private int nesting;

  InstructionParser(Cursor in, TypeParser types) {
    this.in = in;
    this.types = types;
  }

  /**
   * Instructions up to a {@code )} or a keyword that ends an enclosing block, appended to {@code
   * out}. Flat structured instructions (spec 6.5.1) are tracked on an explicit stack rather than by
   * recursion, so a text nested as deeply as a compiler's switch lowering needs no deep stack.
   */
  void sequence(List<Instr> out) {
    Deque<OpenBlock> open = new ArrayDeque<>();
    while (true) {
      Token t = in.peek();
      if (t.kind() == TokenKind.LPAREN) {
        folded(out);
      } else if (t.kind() == TokenKind.KEYWORD && !BLOCK_ENDS.contains(t.text())) {
        flat(out, open);
      } else if (t.kind() == TokenKind.KEYWORD && !open.isEmpty()) {
        continueOrClose(out, open);
      } else if (!open.isEmpty()) {
        throw in.expected("an instruction or 'end'");
      } else if (t.kind() == TokenKind.RPAREN || t.kind() == TokenKind.KEYWORD || t.kind() == TokenKind.EOF) {
        return;
      } else {
        throw in.expected("an instruction");
      }
    }
  }

  /** A flat structured instruction not yet closed: its block and which part is being read. */
  private static final class OpenBlock {
    final String kind;
    final Imm.Block block;
    /** For if: 0 then, 1 else. For try: 0 body, 1 after a catch, 2 after catch_all. */
    int part;

    OpenBlock(String kind, Imm.Block block) {
      this.kind = kind;
      this.block = block;
    }
  }

  /** {@code end}, {@code else}, {@code catch}, {@code catch_all} or {@code delegate} of the innermost open block. */
  private void continueOrClose(List<Instr> out, Deque<OpenBlock> open) {
    OpenBlock top = open.peek();
    Token t = in.peek();
    switch (t.text()) {
      case "end" -> {
        in.next();
        open.pop();
        out.add(new Instr(END, List.of(), t));
        closingLabel(top.block);
      }
      case "else" -> {
        if (!top.kind.equals("if") || top.part != 0) {
          throw in.expected("an instruction or 'end'");
        }
        in.next();
        top.part = 1;
        out.add(new Instr(ELSE, List.of(), t));
        closingLabel(top.block);
      }
      case "catch", "catch_all" -> {
        if (!top.kind.equals("try") || top.part == 2) {
          throw in.expected("an instruction or 'end'");
        }
        in.next();
        if (t.text().equals("catch")) {
          out.add(new Instr(CATCH, List.of(new Imm.Index(in.index("a tag"))), t));
          top.part = 1;
        } else {
          out.add(new Instr(CATCH_ALL, List.of(), t));
          top.part = 2;
        }
        closingLabel(top.block);
      }
      default -> {
        // delegate: ends a try that has no catch (legacy exception handling).
        if (!top.kind.equals("try") || top.part != 0) {
          throw in.expected("an instruction or 'end'");
        }
        in.next();
        open.pop();
        out.add(new Instr(DELEGATE, List.of(new Imm.Index(in.index("a label"))), t));
      }
    }
  }

  /** A constant expression or offset: instructions up to the closing parenthesis. */
  List<Instr> expression() {
    List<Instr> out = new ArrayList<>();
    sequence(out);
    if (!in.at(TokenKind.RPAREN)) {
      throw in.expected("an instruction or ')'");
    }
    return out;
  }

  /** One folded instruction {@code (...)} (spec 6.5.2). */
  void folded(List<Instr> out) {
    in.expectLParen();
    Token at = in.peek();
    enter(at);
    Instruction op = instruction();
    switch (op.name()) {
      case "block", "loop" -> {
        Imm.Block block = blockHeader();
        out.add(new Instr(op, List.of(block), at));
        sequence(out);
        out.add(new Instr(END, List.of(), in.peek()));
      }
      case "if" -> {
        Imm.Block block = blockHeader();
        // The condition: folded instructions before (then ...).
        while (in.at(TokenKind.LPAREN) && !in.atParen("then")) {
          folded(out);
        }
        out.add(new Instr(op, List.of(block), at));
        in.expectParen("then");
        sequence(out);
        in.expectRParen();
        if (in.atParen("else")) {
          Token elseAt = in.expectParen("else");
          out.add(new Instr(ELSE, List.of(), elseAt));
          sequence(out);
          in.expectRParen();
        }
        out.add(new Instr(END, List.of(), in.peek()));
      }
      case "try_table" -> {
        List<Imm> imms = new ArrayList<>();
        imms.add(blockHeader());
        catchClauses(imms);
        out.add(new Instr(op, imms, at));
        sequence(out);
        out.add(new Instr(END, List.of(), in.peek()));
      }
      case "try" -> foldedLegacyTry(op, at, out);
      default -> {
        List<Imm> imms = immediates(op);
        List<Instr> operands = new ArrayList<>();
        while (in.at(TokenKind.LPAREN)) {
          folded(operands);
        }
        out.addAll(operands);
        out.add(new Instr(op, imms, at));
      }
    }
    in.expectRParen();
    nesting--;
  }

  private void enter(Token at) {
    if (++nesting > MAX_NESTING) {
      throw in.error(at, "expected folded instructions nested at most " + MAX_NESTING + " deep, found deeper nesting");
    }
  }

  /** {@code (try label? bt (do instr*) (catch x instr*)* (catch_all instr*)?)} or with {@code (delegate l)}. */
  private void foldedLegacyTry(Instruction op, Token at, List<Instr> out) {
    out.add(new Instr(op, List.of(blockHeader()), at));
    in.expectParen("do");
    sequence(out);
    in.expectRParen();
    if (in.atParen("delegate")) {
      Token d = in.expectParen("delegate");
      out.add(new Instr(DELEGATE, List.of(new Imm.Index(in.index("a label"))), d));
      in.expectRParen();
      return;
    }
    while (in.atParen("catch")) {
      Token c = in.expectParen("catch");
      out.add(new Instr(CATCH, List.of(new Imm.Index(in.index("a tag"))), c));
      sequence(out);
      in.expectRParen();
    }
    if (in.atParen("catch_all")) {
      Token c = in.expectParen("catch_all");
      out.add(new Instr(CATCH_ALL, List.of(), c));
      sequence(out);
      in.expectRParen();
    }
    out.add(new Instr(END, List.of(), in.peek()));
  }

  /** One flat instruction; a structured one is opened, and closed later by {@link #continueOrClose}. */
  private void flat(List<Instr> out, Deque<OpenBlock> open) {
    Token at = in.peek();
    Instruction op = instruction();
    switch (op.name()) {
      case "block", "loop", "if", "try", "try_table" -> {
        List<Imm> imms = new ArrayList<>();
        Imm.Block block = blockHeader();
        imms.add(block);
        if (op.name().equals("try_table")) {
          catchClauses(imms);
        }
        out.add(new Instr(op, imms, at));
        open.push(new OpenBlock(op.name(), block));
      }
      default -> out.add(new Instr(op, immediates(op), at));
    }
  }

  /** The optional identifier after {@code end} or {@code else} must repeat the block's label (spec 6.5.1). */
  private void closingLabel(Imm.Block block) {
    if (in.at(TokenKind.ID)) {
      Token id = in.next();
      if (!id.text().equals(block.label())) {
        throw in.error(id, "expected the block's label " + (block.label() == null ? "(none)" : "$" + block.label())
            + ", found " + id.describe());
      }
    }
  }

  private Instruction instruction() {
    Token t = in.peek();
    if (t.kind() != TokenKind.KEYWORD) {
      throw in.expected("an instruction");
    }
    Instruction op = InstructionTable.byName(t.text()).orElse(null);
    if (op == null || BLOCK_ENDS.contains(op.name())) {
      throw in.expected("an instruction");
    }
    in.next();
    return op;
  }

  private Imm.Block blockHeader() {
    String label = in.optionalId();
    TypeUse type = types.typeUse(false);
    return new Imm.Block(label, type);
  }

  private void catchClauses(List<Imm> imms) {
    while (true) {
      if (in.atParen("catch")) {
        in.expectParen("catch");
        Ref tag = in.index("a tag");
        imms.add(new Imm.Catch(0, tag, in.index("a label")));
      } else if (in.atParen("catch_ref")) {
        in.expectParen("catch_ref");
        Ref tag = in.index("a tag");
        imms.add(new Imm.Catch(1, tag, in.index("a label")));
      } else if (in.atParen("catch_all")) {
        in.expectParen("catch_all");
        imms.add(new Imm.Catch(2, null, in.index("a label")));
      } else if (in.atParen("catch_all_ref")) {
        in.expectParen("catch_all_ref");
        imms.add(new Imm.Catch(3, null, in.index("a label")));
      } else {
        return;
      }
      in.expectRParen();
    }
  }

  /** The immediates of a plain instruction, by its shape (spec 6.5). */
  private List<Imm> immediates(Instruction op) {
    List<Imm> imms = new ArrayList<>(2);
    switch (op.shape()) {
      case NONE -> { }
      case LABEL, FUNC, LOCAL, GLOBAL, ELEM, DATA, TYPE, TAG -> imms.add(new Imm.Index(in.index("an index")));
      case BR_TABLE -> {
        imms.add(new Imm.Index(in.index("a label")));
        while (in.atIndex()) {
          imms.add(new Imm.Index(in.index("a label")));
        }
      }
      case CALL_INDIRECT -> {
        imms.add(new Imm.Index(orZero(in.optionalIndex())));
        imms.add(new Imm.Block(null, types.typeUse(false)));
      }
      case TABLE, MEMORY -> imms.add(new Imm.Index(orZero(in.optionalIndex())));
      case TABLE_COPY, MEMORY_COPY -> {
        Ref first = in.optionalIndex();
        Ref second = first == null ? null : in.index("a second index");
        imms.add(new Imm.Index(orZero(first)));
        imms.add(new Imm.Index(orZero(second)));
      }
      case TABLE_INIT, MEMORY_INIT -> {
        Ref first = in.index("an index");
        Ref second = in.optionalIndex();
        imms.add(new Imm.Index(second == null ? orZero(null) : first));
        imms.add(new Imm.Index(second == null ? first : second));
      }
      case MEMARG -> imms.add(memarg(op, memoryIndex()));
      case MEMARG_LANE -> {
        // v128.load8_lane x? memarg lane: a lone number is the lane, two are memory and lane.
        Ref memory = null;
        if (in.at(TokenKind.ID)
            || in.atIndex() && (in.peek(1).kind() == TokenKind.NUMBER || isMemargKey(in.peek(1)))) {
          memory = in.index("a memory index");
        }
        imms.add(memarg(op, orZero(memory)));
        imms.add(new Imm.Int(laneIndex()));
      }
      case I32 -> imms.add(new Imm.Int(integer(32)));
      case I64 -> imms.add(new Imm.Int(integer(64)));
      case F32 -> imms.add(new Imm.Int(f32()));
      case F64 -> imms.add(new Imm.Int(f64()));
      case V128 -> imms.add(new Imm.Bytes(v128()));
      case LANE -> imms.add(new Imm.Int(laneIndex()));
      case SHUFFLE -> {
        byte[] lanes = new byte[16];
        for (int i = 0; i < 16; i++) {
          lanes[i] = (byte) laneIndex();
        }
        imms.add(new Imm.Bytes(lanes));
      }
      case HEAP_TYPE -> imms.add(new Imm.Heap(types.heapType()));
      case SELECT -> {
        if (in.atParen("result")) {
          imms.add(new Imm.Types(types.results()));
        }
      }
      case TYPE_FIELD, TYPE_TYPE, TYPE_DATA, TYPE_ELEM -> {
        imms.add(new Imm.Index(in.index("a type index")));
        imms.add(new Imm.Index(in.index("an index")));
      }
      case TYPE_COUNT -> {
        imms.add(new Imm.Index(in.index("a type index")));
        imms.add(new Imm.Int(in.u32("an operand count")));
      }
      case REF_TEST -> imms.add(new Imm.RefType(types.refType()));
      case BR_ON_CAST -> {
        imms.add(new Imm.Index(in.index("a label")));
        imms.add(new Imm.RefType(types.refType()));
        imms.add(new Imm.RefType(types.refType()));
      }
      case BLOCK, TRY_TABLE -> throw in.expected("a plain instruction");
    }
    return imms;
  }

  private Ref orZero(Ref ref) {
    return ref != null ? ref : new Ref.Num(0, in.peek());
  }

  private Ref memoryIndex() {
    return orZero(in.optionalIndex());
  }

  private static boolean isMemargKey(Token t) {
    return t.kind() == TokenKind.KEYWORD && (t.text().startsWith("offset=") || t.text().startsWith("align="));
  }

  /** {@code offset=n? align=n?} (spec 6.5.6); alignment defaults to the natural one. */
  private Imm.Memarg memarg(Instruction op, Ref memory) {
    long offset = 0;
    int align = op.naturalAlignment();
    if (in.peek().kind() == TokenKind.KEYWORD && in.peek().text().startsWith("offset=")) {
      Token t = in.next();
      Long v = Literals.u64(t.text().substring(7));
      if (v == null) {
        throw in.error(t, "expected an offset below 2^64, found " + t.describe());
      }
      offset = v;
    }
    if (in.peek().kind() == TokenKind.KEYWORD && in.peek().text().startsWith("align=")) {
      Token t = in.next();
      Long a = Literals.u64(t.text().substring(6));
      if (a == null || a == 0 || Long.bitCount(a) != 1) {
        throw in.error(t, "expected a power-of-two alignment, found " + t.describe());
      }
      align = Long.numberOfTrailingZeros(a);
    }
    return new Imm.Memarg(memory, offset, align);
  }

  private int laneIndex() {
    Token t = in.peek();
    long v = t.kind() == TokenKind.NUMBER ? Literals.u32(t.text()) : -1;
    if (v < 0 || v > 255) {
      throw in.expected("a lane index");
    }
    in.next();
    return (int) v;
  }

  long integer(int bits) {
    Token t = in.peek();
    Long v = t.kind() == TokenKind.NUMBER ? Literals.integer(t.text(), bits) : null;
    if (v == null) {
      throw in.expected("an i" + bits + " literal");
    }
    in.next();
    return v;
  }

  long f32() {
    Token t = in.peek();
    Integer v = t.kind() == TokenKind.NUMBER || t.kind() == TokenKind.KEYWORD ? Literals.f32(t.text()) : null;
    if (v == null) {
      throw in.expected("an f32 literal");
    }
    in.next();
    return v & 0xFFFF_FFFFL;
  }

  long f64() {
    Token t = in.peek();
    Long v = t.kind() == TokenKind.NUMBER || t.kind() == TokenKind.KEYWORD ? Literals.f64(t.text()) : null;
    if (v == null) {
      throw in.expected("an f64 literal");
    }
    in.next();
    return v;
  }

  /** {@code v128.const shape lane*} (spec 6.5.7): sixteen little-endian bytes. */
  private byte[] v128() {
    Token shape = in.peek();
    int lanes;
    int laneBytes;
    switch (shape.kind() == TokenKind.KEYWORD ? shape.text() : "") {
      case "i8x16" -> { lanes = 16; laneBytes = 1; }
      case "i16x8" -> { lanes = 8; laneBytes = 2; }
      case "i32x4", "f32x4" -> { lanes = 4; laneBytes = 4; }
      case "i64x2", "f64x2" -> { lanes = 2; laneBytes = 8; }
      default -> throw in.expected("a vector shape (i8x16, i16x8, i32x4, i64x2, f32x4, f64x2)");
    }
    in.next();
    byte[] out = new byte[16];
    for (int i = 0; i < lanes; i++) {
      long bits;
      if (shape.text().equals("f32x4")) {
        bits = f32();
      } else if (shape.text().equals("f64x2")) {
        bits = f64();
      } else {
        Token t = in.peek();
        Long v = t.kind() == TokenKind.NUMBER ? Literals.integer(t.text(), laneBytes * 8) : null;
        if (v == null) {
          throw in.expected("an i" + laneBytes * 8 + " lane literal");
        }
        in.next();
        bits = v;
      }
      for (int b = 0; b < laneBytes; b++) {
        out[i * laneBytes + b] = (byte) (bits >>> (8 * b));
      }
    }
    return out;
  }

  /** A reference type for callers outside instructions (element segments). */
  ValType.Reference refType() {
    return types.refType();
  }
}
