package dev.kiln.ir.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.ir.ExternalName;
import dev.kiln.ir.FuncCursor;
import dev.kiln.ir.Function;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks constant folding against the WebAssembly spec test suite: every {@code assert_return}
 * of an integer operator with constant arguments in {@code i32.wast}, {@code i64.wast} and the
 * integer width conversions of {@code conversions.wast} must fold to the expected constant, and
 * every {@code assert_trap} must be left unfolded. The suite lives in the shared corpora (the
 * {@code kiln.corpora} property the root pom gives every test); the test is skipped when it is absent.
 */
class ConstantFoldingSpecTest {
  private static final Pattern ASSERTION = Pattern.compile(
      "^\\((assert_return|assert_trap) \\(invoke \"([a-z0-9_.]+)\"((?: \\((?:i32|i64)\\.const"
          + " [^)]+\\))*)\\)(?: \\((i32|i64)\\.const ([^)]+)\\))?(?: \"([^\"]+)\")?\\)");
  private static final Pattern ARG = Pattern.compile("\\((i32|i64)\\.const ([^)]+)\\)");

  /** How a spec export maps to IR: opcode, condition (for icmp) and result type rule. */
  private record Op(Opcode opcode, IntCC cc, Type ctrl) {}

  private static Map<String, Op> operators(Type t) {
    Map<String, Op> m = new java.util.HashMap<>();
    Object[][] binary = {{"add", Opcode.IADD}, {"sub", Opcode.ISUB}, {"mul", Opcode.IMUL},
        {"div_s", Opcode.SDIV}, {"div_u", Opcode.UDIV}, {"rem_s", Opcode.SREM},
        {"rem_u", Opcode.UREM}, {"and", Opcode.BAND}, {"or", Opcode.BOR}, {"xor", Opcode.BXOR},
        {"shl", Opcode.ISHL}, {"shr_s", Opcode.SSHR}, {"shr_u", Opcode.USHR},
        {"rotl", Opcode.ROTL}, {"rotr", Opcode.ROTR}, {"clz", Opcode.CLZ}, {"ctz", Opcode.CTZ},
        {"popcnt", Opcode.POPCNT}, {"extend8_s", Opcode.EXTEND8_S},
        {"extend16_s", Opcode.EXTEND16_S}, {"extend32_s", Opcode.EXTEND32_S}};
    for (Object[] row : binary) {
      m.put((String) row[0], new Op((Opcode) row[1], null, t));
    }
    m.put("eqz", new Op(Opcode.EQZ, null, null));
    Object[][] cmp = {{"eq", IntCC.EQ}, {"ne", IntCC.NE}, {"lt_s", IntCC.SLT},
        {"lt_u", IntCC.ULT}, {"le_s", IntCC.SLE}, {"le_u", IntCC.ULE}, {"gt_s", IntCC.SGT},
        {"gt_u", IntCC.UGT}, {"ge_s", IntCC.SGE}, {"ge_u", IntCC.UGE}};
    for (Object[] row : cmp) {
      m.put((String) row[0], new Op(Opcode.ICMP, (IntCC) row[1], null));
    }
    m.put("i64.extend_i32_s", new Op(Opcode.SEXTEND, null, Type.I64));
    m.put("i64.extend_i32_u", new Op(Opcode.UEXTEND, null, Type.I64));
    m.put("i32.wrap_i64", new Op(Opcode.IREDUCE, null, Type.I32));
    return m;
  }

  @TestFactory
  Stream<DynamicTest> specAssertions() throws IOException {
    Path dir = Path.of(System.getProperty("kiln.corpora", "../../shared/corpora"), "spec-testsuite", "core");
    assumeTrue(Files.isDirectory(dir), "spec test suite not found at " + dir.toAbsolutePath());
    List<DynamicTest> tests = new ArrayList<>();
    for (String file : List.of("i32.wast", "i64.wast", "conversions.wast")) {
      Type fileType = file.startsWith("i64") ? Type.I64 : Type.I32;
      Map<String, Op> ops = operators(fileType);
      List<String> lines = Files.readAllLines(dir.resolve(file));
      int count = 0;
      for (int n = 0; n < lines.size(); n++) {
        Matcher m = ASSERTION.matcher(lines.get(n).trim());
        if (!m.find() || !ops.containsKey(m.group(2))) {
          continue;
        }
        Op op = ops.get(m.group(2));
        String name = file + ":" + (n + 1);
        String args = m.group(3);
        boolean trap = m.group(1).equals("assert_trap");
        String expected = m.group(5);
        tests.add(DynamicTest.dynamicTest(name, () -> check(op, args, trap, expected)));
        count++;
      }
      assertTrue(count > (file.equals("conversions.wast") ? 10 : 300),
          file + ": only " + count + " assertions recognised");
    }
    return tests.stream();
  }

  private static void check(Op op, String argText, boolean trap, String expected) {
    List<Type> types = new ArrayList<>();
    List<Long> values = new ArrayList<>();
    Matcher a = ARG.matcher(argText);
    while (a.find()) {
      types.add(a.group(1).equals("i64") ? Type.I64 : Type.I32);
      values.add(parse(a.group(2)));
    }
    Type resultType = op.ctrl != null ? op.ctrl : Type.I32;
    Function f = new Function(new ExternalName.Named("t"),
        Signature.of(List.of(), List.of(resultType)));
    int b0 = f.dfg().makeBlock();
    f.layout().appendBlock(b0);
    FuncCursor c = new FuncCursor(f).atEnd(b0);
    int[] operands = new int[values.size()];
    for (int i = 0; i < operands.length; i++) {
      operands[i] = c.iconst(types.get(i), values.get(i));
    }
    int result = switch (op.opcode.format()) {
      case INT_COMPARE -> c.icmp(op.cc, operands[0], operands[1]);
      case BINARY -> c.binary(op.opcode, op.ctrl, operands[0], operands[1]);
      default -> c.unary(op.opcode, op.ctrl, operands[0]);
    };
    c.ret(result);
    int inst = f.dfg().valueDef(result);
    new PassPipeline(List.of(new ConstantFolding()), true).run(f);
    if (trap) {
      assertEquals(op.opcode, f.dfg().opcode(inst), "a trapping operation must not fold");
    } else {
      assertEquals(Opcode.ICONST, f.dfg().opcode(inst), "did not fold");
      long want = parse(expected);
      long have = f.dfg().imm(inst);
      assertEquals(resultType == Type.I32 ? (int) want : want, have);
    }
  }

  /** A wast integer literal: decimal or hex, optional sign and underscores, any signedness. */
  private static long parse(String text) {
    String s = text.replace("_", "");
    boolean negative = s.startsWith("-");
    if (negative || s.startsWith("+")) {
      s = s.substring(1);
    }
    long magnitude = s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16)
        : Long.parseUnsignedLong(s);
    return negative ? -magnitude : magnitude;
  }
}
