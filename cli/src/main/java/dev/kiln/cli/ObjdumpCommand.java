package dev.kiln.cli;

import dev.kiln.cli.args.CommandSpec;
import dev.kiln.cli.args.CommandSpec.ExitStatus;
import dev.kiln.cli.args.ParameterSpec;
import dev.kiln.cli.args.ParsedArgs;
import dev.kiln.cli.args.Subcommand;
import dev.kiln.cli.args.ValueType;
import dev.kiln.cli.disasm.Disassemblers;
import dev.kiln.disasm.DisassembledInstruction;
import dev.kiln.disasm.Disassembler;
import dev.kiln.disasm.DisassemblerUnavailableException;
import dev.kiln.disasm.Isa;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.Target;
import dev.kiln.runtime.tools.ArtifactContents;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * {@code kiln objdump FILE.cwasm}: the machine code of every function, in FuncKey (= text) order,
 * disassembled by Capstone ({@link Disassemblers}; x86-64 in AT&amp;T syntax), with what the artifact
 * says about each instruction ({@link ArtifactContents}). Each function starts
 * with its name and key; an instruction that can trap is marked with its trap code, and an
 * instruction where the address map starts a new wasm instruction carries that instruction's module
 * byte offset as a comment. Text offsets are relative to {@code .text}, as in the function index.
 */
final class ObjdumpCommand implements Subcommand {
  private static final ParameterSpec<Path> FILE =
      ParameterSpec.one("FILE.cwasm", ValueType.INPUT_FILE, "the artifact to disassemble");

  private static final CommandSpec SPEC = new CommandSpec("objdump",
      List.of("Disassemble every function of a .cwasm artifact, with trap sites and wasm offsets."), List.of(),
      List.of(FILE), List.of(new ExitStatus("0", "printed"),
          new ExitStatus("1", "unreadable, corrupt or foreign file, or Capstone missing")), List.of());

  private Path file;

  @Override
  public CommandSpec spec() {
    return SPEC;
  }

  @Override
  public int run(ParsedArgs args, PrintWriter out, PrintWriter err) throws IOException {
    file = args.get(FILE);
    try (Arena arena = Arena.ofConfined()) {
      ArtifactContents artifact;
      try {
        artifact = ArtifactContents.open(file, arena);
      } catch (KilnException e) {
        err.println("error: " + file + ": not a usable .cwasm: " + e.getMessage());
        err.flush();
        return 1;
      }
      Disassembler capstone;
      try {
        capstone = Disassemblers.open(isa(artifact.target()));
      } catch (DisassemblerUnavailableException e) {
        err.println("error: cannot disassemble: " + e.getMessage());
        err.flush();
        return 1;
      }
      try (capstone) {
        print(out, artifact, capstone);
      } catch (KilnException e) {
        // The side tables are checked when first read, so disassembling can find damage too.
        out.flush();
        err.println("error: " + file + ": not a usable .cwasm: " + e.getMessage());
        err.flush();
        return 1;
      }
    }
    out.flush();
    return 0;
  }

  private static Isa isa(Target target) {
    return switch (target) {
      case X86_64 -> Isa.X86_64;
      case AARCH64 -> Isa.AARCH64;
    };
  }

  private void print(PrintWriter out, ArtifactContents artifact, Disassembler capstone) {
    List<ArtifactContents.Function> functions = artifact.functions();
    out.println(file + ": " + artifact.target().displayName() + ", " + artifact.index().functionCount() + " functions, "
        + artifact.textSize() + " bytes of text");
    byte[] text = artifact.text();
    for (ArtifactContents.Function function : functions) {
      out.println();
      out.printf("%08x <%s>: %s%n", function.start(), function.name(), function.key());
      int start = function.start();
      byte[] code = Arrays.copyOfRange(text, start, start + function.length());
      List<DisassembledInstruction> insns = capstone.disassemble(code, start);
      // The index counts the alignment padding after a function as part of it; the linker fills
      // it with one-byte int3 (x86-64) or zero words (AArch64). Show it as one line.
      int end = code.length;
      byte pad = artifact.target() == Target.X86_64 ? (byte) 0xCC : 0;
      while (end > 0 && code[end - 1] == pad) {
        end--;
      }
      if (pad == 0) {
        end = (end + 3) & ~3; // keep whole AArch64 words
      }
      int decoded = 0;
      for (DisassembledInstruction insn : insns) {
        if (insn.address() - start >= end) {
          break;
        }
        out.println(line(insn, artifact));
        decoded += insn.size();
      }
      // Capstone stops at the first byte it cannot decode; show what is left as data.
      for (int at = decoded; at < end; at++) {
        out.printf("%8x:\t%02x                      \t(bad)%n", start + at, code[at] & 0xFF);
      }
      if (end < code.length) {
        out.printf("%8x:\t(%d bytes of padding)%n", start + end, code.length - end);
      }
    }
  }

  private static String line(DisassembledInstruction insn, ArtifactContents artifact) {
    StringBuilder sb = new StringBuilder();
    String hex = HexFormat.ofDelimiter(" ").formatHex(insn.bytes());
    sb.append(String.format("%8x:\t%-24s\t%s", insn.address(), hex, insn.text()));
    StringBuilder comment = new StringBuilder();
    int address = (int) insn.address();
    // A trap site is the return address of a call into the trap stub: the call ends there.
    artifact.trapAt(address + insn.size()).ifPresent(trap -> comment.append(" trap: ").append(trap));
    artifact.wasmOffsetStartingAt(address).ifPresent(wasmOffset -> {
      comment.append(" wasm 0x").append(Integer.toHexString(wasmOffset));
      artifact.inlinedAt(address).ifPresent(call -> comment.append(" in ").append(call.callee())
          .append(" inlined at 0x").append(Integer.toHexString(call.callWasmOffset())));
    });
    callTarget(insn).flatMap(artifact::functionAt).ifPresent(callee -> comment.append(" -> ").append(callee));
    if (!comment.isEmpty()) {
      sb.append("\t#").append(comment);
    }
    return sb.toString();
  }

  /** The text offset a direct call goes to: Capstone prints it as the operand ({@code callq 0x40}). */
  private static Optional<Integer> callTarget(DisassembledInstruction insn) {
    String operand = insn.operands().trim();
    if (!insn.mnemonic().startsWith("call") && !insn.mnemonic().equals("bl")) {
      return Optional.empty();
    }
    operand = operand.startsWith("#") ? operand.substring(1) : operand; // AArch64: bl #0x40
    try {
      return Optional.of(operand.startsWith("0x") ? Integer.parseInt(operand.substring(2), 16) : Integer.parseInt(operand));
    } catch (NumberFormatException e) {
      return Optional.empty(); // an indirect call: callq *%rax
    }
  }
}
