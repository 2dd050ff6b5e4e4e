package dev.kiln.tests.exceptions;

import static dev.kiln.tests.support.KilnCommand.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.tests.support.KilnCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@code try_table} that catches nothing costs its loop of calls nothing (issue 38): the loop of
 * {@code bench/exceptions/try-cost.wat}'s {@code guarded} compiles to the instructions of {@code
 * plain}'s, the same loop without the {@code try_table}, on both targets ({@code kiln objdump}). Each
 * call there has an exceptional edge; the values live across it that its landing pad does not read
 * (the accumulator, the counter, the bound, vmctx) stay in callee-saved registers, as across a plain
 * call, where a call with an exceptional edge once clobbered every register and cost four spill
 * stores and four reloads an iteration. The deterministic half of the benchmark's guarded/plain ratio.
 */
class TryTableLoopCodeTest {
  private static final Path TRY_COST = Path.of("../bench/exceptions/try-cost.wat");
  /** An objdump line: address, the bytes, the instruction, an optional comment. */
  private static final Pattern LINE =
      Pattern.compile("^\\s*([0-9a-f]+):\\t[0-9a-f ]+\\t([^\\t]+)(?:\\t#.*)?$");
  /** A branch's target address, the instruction's last operand. */
  private static final Pattern TARGET = Pattern.compile("#?0x([0-9a-f]+)$");

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"x86_64", "aarch64"})
  void theGuardedLoopIsThePlainLoop(String target) {
    Path out = dir.resolve("try-cost-" + target + ".cwasm");
    KilnCommand compile = kiln("compile", "--target", target, TRY_COST.toString(), "-o", out.toString());
    assertEquals(0, compile.exit(), compile.err());
    KilnCommand objdump = kiln("objdump", out.toString());
    assertEquals(0, objdump.exit(), objdump.err());
    List<String> plain = loopBody(objdump.out(), "plain");
    List<String> guarded = loopBody(objdump.out(), "guarded");
    assertEquals(plain, guarded, target + ": guarded's loop against plain's");
    String stackAccess = target.equals("x86_64") ? "(%rsp)" : "[sp";
    for (String inst : guarded) {
      assertFalse(inst.contains(stackAccess), target + ": a spill or reload in the loop: " + inst);
    }
  }

  /**
   * The instructions of {@code function}'s innermost loop: from the target of its last backward
   * branch to that branch, each as the disassembler prints it, the branch by its mnemonic alone.
   */
  private static List<String> loopBody(String objdump, String function) {
    List<Long> addresses = new ArrayList<>();
    List<String> insts = new ArrayList<>();
    boolean inside = false;
    for (String line : objdump.split("\n")) {
      if (line.contains("<" + function + ">:")) {
        inside = true;
        continue;
      }
      if (!inside) {
        continue;
      }
      if (line.isBlank() || line.contains(">:")) {
        break;
      }
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        addresses.add(Long.parseLong(m.group(1), 16));
        insts.add(m.group(2).strip());
      }
    }
    assertFalse(insts.isEmpty(), function + " not found in:\n" + objdump);
    long start = addresses.getFirst();
    for (int k = insts.size() - 1; k >= 0; k--) {
      String inst = insts.get(k);
      String mnemonic = inst.split(" ")[0];
      boolean branch = mnemonic.startsWith("j") || mnemonic.startsWith("b.") || mnemonic.equals("b");
      Matcher t = TARGET.matcher(inst);
      if (!branch || !t.find()) {
        continue;
      }
      long to = Long.parseLong(t.group(1), 16);
      if (to >= start && to < addresses.get(k)) {
        List<String> body = new ArrayList<>();
        for (int j = 0; j < k; j++) {
          if (addresses.get(j) >= to) {
            body.add(insts.get(j));
          }
        }
        body.add(mnemonic);
        assertTrue(body.size() > 1, function + "'s loop is empty");
        return body;
      }
    }
    throw new AssertionError(function + " has no loop:\n" + String.join("\n", insts));
  }
}
