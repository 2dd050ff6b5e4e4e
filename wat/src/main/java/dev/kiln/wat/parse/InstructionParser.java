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

  private final Cursor in;
  private final TypeParser types;

  InstructionParser(Cursor in, TypeParser types) {
    this.in = in;
    this.types = types;
  }

  /** Where reading an unfinished instruction stands. */
  private enum State {
    /** Folded plain instruction: operands, then ')'. */
    CHILDREN,
    /** Body of a block, loop or try_table. */
    BODY,
    /** Folded if: condition operands until '(then'. */
    COND,
    THEN,
    /** Folded if: '(else' or ')'. */
    AFTER_THEN,
    ELSE,
    /** Folded if: ')'. */
    AFTER_ELSE,
    /** Folded legacy try: '(do'. */
    EXPECT_DO,
    DO,
    /** Folded legacy try: '(catch', '(catch_all', '(delegate' or ')'. */
    AFTER_DO,
    CATCH,
    /** Folded legacy try: '(catch', '(catch_all' or ')'. */
    AFTER_CATCH,
    CATCH_ALL,
    /** Folded legacy try: ')'. */
    AFTER_CATCH_ALL;

    boolean isBody() {
      return this == BODY || this == THEN || this == ELSE || this == DO || this == CATCH || this == CATCH_ALL;
    }
  }

  /**
   * An instruction not yet closed. They are kept on an explicit stack rather than in the call
   * stack, so nesting as deep as a compiler's switch lowering (thousands of blocks, flat or folded)
   * costs no call depth.
   */
  private static final class Open {
    final boolean folded;
    final String name;
    final Imm.Block block;
    /** A folded plain instruction or if, written once its operands or condition are. */
    final Instr pending;
    State state;

    Open(boolean folded, String name, Imm.Block block, Instr pending, State state) {
      this.folded = folded;
      this.name = name;
      this.block = block;
      this.pending = pending;
      this.state = state;
    }
  }

  /** Instructions up to a {@code )} or a keyword that ends an enclosing block, appended to {@code out}. */
  void sequence(List<Instr> out) {
    run(out, new ArrayDeque<>(), false);
  }

  /** One folded instruction {@code (...)} (spec 6.5.2). */
  void folded(List<Instr> out) {
    Deque<Open> open = new ArrayDeque<>();
    openFolded(out, open);
    run(out, open, true);
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

  /**
   * Reads until the stack empties (one folded instruction) or, for a sequence, until a token that
   * ends it with nothing open.
   */
  private void run(List<Instr> out, Deque<Open> open, boolean single) {
    while (true) {
      Open top = open.peek();
      if (top == null && single) {
        return;
      }
      if (top != null && top.folded && !top.state.isBody()) {
        step(out, open, top);
        continue;
      }
      Token t = in.peek();
      boolean endKeyword = t.kind() == TokenKind.KEYWORD && BLOCK_ENDS.contains(t.text());
      if (t.kind() == TokenKind.LPAREN) {
        openFolded(out, open);
      } else if (t.kind() == TokenKind.KEYWORD && !endKeyword) {
        flat(out, open);
      } else if (endKeyword && top != null && !top.folded) {
        continueOrClose(out, open);
      } else if (top != null && !top.folded) {
        throw in.expected("an instruction or 'end'");
      } else if (top != null && t.kind() == TokenKind.RPAREN) {
        endBody(out, open, top);
      } else if (top != null) {
        throw in.expected("an instruction or ')'");
      } else if (t.kind() == TokenKind.RPAREN || t.kind() == TokenKind.KEYWORD || t.kind() == TokenKind.EOF) {
        return;
      } else {
        throw in.expected("an instruction");
      }
    }
  }

  /** Opens {@code (instr ...)}: a structured one writes its head now, a plain one when closed. */
  private void openFolded(List<Instr> out, Deque<Open> open) {
    in.expectLParen();
    Token at = in.peek();
    Instruction op = instruction();
    switch (op.name()) {
      case "block", "loop", "try_table" -> {
        Instr instr = structured(op, at);
        out.add(instr);
        open.push(new Open(true, op.name(), (Imm.Block) instr.immediates().getFirst(), null, State.BODY));
      }
      case "if" -> {
        // The condition is written first (spec 6.5.2); the if follows it.
        Imm.Block block = blockHeader();
        open.push(new Open(true, "if", block, new Instr(op, List.of(block), at), State.COND));
      }
      case "try" -> {
        Imm.Block block = blockHeader();
        out.add(new Instr(op, List.of(block), at));
        open.push(new Open(true, "try", block, null, State.EXPECT_DO));
      }
      default -> open.push(new Open(true, op.name(), null, new Instr(op, immediates(op), at), State.CHILDREN));
    }
  }

  /** The parts of folded if and try between their bodies, and a plain instruction's operands. */
  private void step(List<Instr> out, Deque<Open> open, Open top) {
    Token t = in.peek();
    switch (top.state) {
      case CHILDREN -> {
        if (t.kind() == TokenKind.LPAREN) {
          openFolded(out, open);
        } else {
          in.expectRParen();
          out.add(top.pending);
          open.pop();
        }
      }
      case COND -> {
        if (in.atParen("then")) {
          in.expectParen("then");
          out.add(top.pending);
          top.state = State.THEN;
        } else if (t.kind() == TokenKind.LPAREN) {
          openFolded(out, open);
        } else {
          throw in.expected("'(then'");
        }
      }
      case AFTER_THEN -> {
        if (in.atParen("else")) {
          out.add(new Instr(ELSE, List.of(), in.expectParen("else")));
          top.state = State.ELSE;
        } else {
          close(out, open);
        }
      }
      case EXPECT_DO -> {
        in.expectParen("do");
        top.state = State.DO;
      }
      case AFTER_DO, AFTER_CATCH -> {
        if (top.state == State.AFTER_DO && in.atParen("delegate")) {
          Token d = in.expectParen("delegate");
          out.add(new Instr(DELEGATE, List.of(new Imm.Index(in.index("a label"))), d));
          in.expectRParen();
          in.expectRParen();
          open.pop();
        } else if (in.atParen("catch")) {
          Token c = in.expectParen("catch");
          out.add(new Instr(CATCH, List.of(new Imm.Index(in.index("a tag"))), c));
          top.state = State.CATCH;
        } else if (in.atParen("catch_all")) {
          out.add(new Instr(CATCH_ALL, List.of(), in.expectParen("catch_all")));
          top.state = State.CATCH_ALL;
        } else {
          close(out, open);
        }
      }
      case AFTER_ELSE, AFTER_CATCH_ALL -> close(out, open);
      default -> throw new IllegalStateException("a body state is read as a sequence");
    }
  }

  /** The ')' closing a folded structured instruction: its end. */
  private void close(List<Instr> out, Deque<Open> open) {
    Token t = in.peek();
    in.expectRParen();
    out.add(new Instr(END, List.of(), t));
    open.pop();
  }

  /** A ')' ending a folded body: the block's end, or the (then ...), (do ...), ... part's. */
  private void endBody(List<Instr> out, Deque<Open> open, Open top) {
    switch (top.state) {
      case BODY -> close(out, open);
      case THEN -> advance(State.AFTER_THEN, top);
      case ELSE -> advance(State.AFTER_ELSE, top);
      case DO -> advance(State.AFTER_DO, top);
      case CATCH -> advance(State.AFTER_CATCH, top);
      default -> advance(State.AFTER_CATCH_ALL, top);
    }
  }

  private void advance(State next, Open top) {
    in.expectRParen();
    top.state = next;
  }

  /**
   * {@code end}, {@code else}, {@code catch}, {@code catch_all} or {@code delegate} of the
   * innermost open flat instruction (spec 6.5.1).
   */
  private void continueOrClose(List<Instr> out, Deque<Open> open) {
    Open top = open.peek();
    Token t = in.peek();
    switch (t.text()) {
      case "end" -> {
        in.next();
        open.pop();
        out.add(new Instr(END, List.of(), t));
        closingLabel(top.block);
      }
      case "else" -> {
        if (!top.name.equals("if") || top.state != State.THEN) {
          throw in.expected("an instruction or 'end'");
        }
        in.next();
        top.state = State.ELSE;
        out.add(new Instr(ELSE, List.of(), t));
        closingLabel(top.block);
      }
      case "catch", "catch_all" -> {
        if (!top.name.equals("try") || top.state == State.CATCH_ALL) {
          throw in.expected("an instruction or 'end'");
        }
        in.next();
        if (t.text().equals("catch")) {
          out.add(new Instr(CATCH, List.of(new Imm.Index(in.index("a tag"))), t));
          top.state = State.CATCH;
        } else {
          out.add(new Instr(CATCH_ALL, List.of(), t));
          top.state = State.CATCH_ALL;
        }
        closingLabel(top.block);
      }
      default -> {
        // delegate: ends a try that has no catch (legacy exception handling).
        if (!top.name.equals("try") || top.state != State.DO) {
          throw in.expected("an instruction or 'end'");
        }
        in.next();
        open.pop();
        out.add(new Instr(DELEGATE, List.of(new Imm.Index(in.index("a label"))), t));
      }
    }
  }

  /** One flat instruction; a structured one is opened, and closed later by {@link #continueOrClose}. */
  private void flat(List<Instr> out, Deque<Open> open) {
    Token at = in.peek();
    Instruction op = instruction();
    switch (op.name()) {
      case "block", "loop", "if", "try", "try_table" -> {
        Instr instr = structured(op, at);
        Imm.Block block = (Imm.Block) instr.immediates().getFirst();
        out.add(instr);
        State first = op.name().equals("if") ? State.THEN : op.name().equals("try") ? State.DO : State.BODY;
        open.push(new Open(false, op.name(), block, null, first));
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

  /** A structured instruction's header: its block type, and a try_table's catch clauses after it. */
  private Instr structured(Instruction op, Token at) {
    List<Imm> imms = new ArrayList<>();
    imms.add(blockHeader());
    if (op.name().equals("try_table")) {
      catchClauses(imms);
    }
    return new Instr(op, imms, at);
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
