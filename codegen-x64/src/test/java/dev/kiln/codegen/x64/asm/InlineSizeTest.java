package dev.kiln.codegen.x64.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.kiln.codegen.emit.FunctionEmission;
import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.CodeAttribute;
import java.lang.classfile.instruction.InvokeInstruction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The methods x86-64 emission runs for every instruction, operand or island point are small enough
 * for the C2 that compiles a large module ({@code kiln}'s {@code lean_c2_flags}: {@code
 * -XX:FreqInlineSize=50}, at most 50 bytes of bytecode for a hot callee) to inline them; one byte
 * more and each is a call per instruction or per operand (C2's {@code -XX:+PrintInlining} over
 * yosys: "hot method too big" for OperandKind.accepts in X64Inst.check, X64Encoder.low3 and
 * rmRexBits, Encoding.isVex in the encoder, FunctionEmission.islandPoint in the emission walk; they
 * inline since). Read from the class files, as {@code javap -c} shows them.
 */
class InlineSizeTest {
  /** The launcher's {@code -XX:FreqInlineSize} for a large module's compile. */
  private static final int FREQ_INLINE_SIZE = 50;

  @Test
  void perInstructionMethodsAreSmallEnoughToInline() throws IOException {
    Map<String, Integer> sizes = new TreeMap<>();
    sizes.putAll(sizes(OperandKind.class, "accepts"));
    sizes.putAll(sizes(X64Encoder.class, "low3", "rmRexBits", "isExtended"));
    sizes.putAll(sizes(FunctionEmission.class, "islandPoint"));
    Map<String, Integer> tooLarge = new TreeMap<>(sizes);
    tooLarge.values().removeIf(length -> length <= FREQ_INLINE_SIZE);
    assertEquals(Map.of(), tooLarge);
    assertEquals(5, sizes.size(), "every method named was found: " + sizes);
  }

  /** Whether a form takes a VEX prefix is a field of its row, not a call per instruction. */
  @Test
  void theEncoderReadsWhetherAFormIsVexFromItsRow() throws IOException {
    List<String> calls = new ArrayList<>();
    for (MethodModel method : model(X64Encoder.class).methods()) {
      if (method.methodName().equalsString("encode")) {
        method.code().orElseThrow().forEach(element -> {
          if (element instanceof InvokeInstruction call) {
            calls.add(call.owner().asInternalName() + "." + call.name().stringValue());
          }
        });
      }
    }
    assertFalse(calls.isEmpty());
    assertFalse(calls.contains("dev/kiln/codegen/x64/asm/Encoding.isVex"), calls.toString());
  }

  /** The bytecode sizes of {@code owner}'s methods named {@code names}, each by its class's simple name and its own. */
  private static Map<String, Integer> sizes(Class<?> owner, String... names) throws IOException {
    Map<String, Integer> sizes = new TreeMap<>();
    for (MethodModel method : model(owner).methods()) {
      String name = method.methodName().stringValue();
      if (List.of(names).contains(name)) {
        sizes.put(owner.getSimpleName() + "." + name, ((CodeAttribute) method.code().orElseThrow()).codeLength());
      }
    }
    return sizes;
  }

  private static ClassModel model(Class<?> owner) throws IOException {
    try (InputStream in = owner.getResourceAsStream(owner.getSimpleName() + ".class")) {
      return ClassFile.of().parse(in.readAllBytes());
    }
  }
}
