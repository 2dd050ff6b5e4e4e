package dev.kiln.cli;

import dev.kiln.artifact.ArtifactException;
import dev.kiln.cli.args.CommandSpec;
import dev.kiln.cli.args.CommandSpec.ExitStatus;
import dev.kiln.cli.args.ParameterSpec;
import dev.kiln.cli.args.ParsedArgs;
import dev.kiln.cli.args.Subcommand;
import dev.kiln.cli.args.ValueType;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.index.FunctionIndex;
import dev.kiln.artifact.tables.AddressMap;
import dev.kiln.artifact.tables.InlineMap;
import dev.kiln.artifact.tables.TrapTable;
import dev.kiln.cli.disasm.Disassemblers;
import dev.kiln.disasm.DisassembledInstruction;
import dev.kiln.disasm.Disassembler;
import dev.kiln.disasm.DisassemblerUnavailableException;
import dev.kiln.disasm.Isa;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code kiln objdump FILE.cwasm}: the machine code of every function, in FuncKey (= text) order,
 * disassembled by Capstone ({@link Disassemblers}; x86-64 in AT&amp;T syntax). Each function starts
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
      OpenedArtifact artifact;
      try {
        artifact = OpenedArtifact.open(file, arena);
      } catch (ArtifactException e) {
        err.println(file + ": not a usable .cwasm: " + e.getMessage());
        err.flush();
        return 1;
      }
      Disassembler capstone;
      try {
        capstone = Disassemblers.open(isa(artifact.file().target()));
      } catch (DisassemblerUnavailableException e) {
        err.println("error: cannot disassemble: " + e.getMessage());
        err.flush();
        return 1;
      }
      try (capstone) {
        print(out, artifact, capstone);
      } catch (ArtifactException e) {
        // The side tables are checked when first read, so disassembling can find damage too.
        out.flush();
        err.println(file + ": not a usable .cwasm: " + e.getMessage());
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

  private void print(PrintWriter out, OpenedArtifact artifact, Disassembler capstone) {
    CwasmFile cwasm = artifact.file();
    out.println(file + ": " + cwasm.target() + ", " + cwasm.functions().functionCount() + " functions, "
        + cwasm.text().byteSize() + " bytes of text");
    byte[] text = cwasm.text().toArray(ValueLayout.JAVA_BYTE);
    for (FunctionIndex.Entry entry : cwasm.functions()) {
      out.println();
      out.printf("%08x <%s>: %s%n", entry.range().start(), artifact.nameOf(entry.key()), entry.key());
      int start = entry.range().start();
      byte[] code = Arrays.copyOfRange(text, start, entry.range().end());
      List<DisassembledInstruction> insns = capstone.disassemble(code, start);
      // The index counts the alignment padding after a function as part of it; the linker fills
      // it with one-byte int3 (x86-64) or zero words (AArch64). Show it as one line.
      int end = code.length;
      byte pad = cwasm.target() == Target.X86_64 ? (byte) 0xCC : 0;
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

  private static String line(DisassembledInstruction insn, OpenedArtifact artifact) {
    TrapTable traps = artifact.file().traps();
    AddressMap addressMap = artifact.file().addressMap();
    StringBuilder sb = new StringBuilder();
    String hex = HexFormat.ofDelimiter(" ").formatHex(insn.bytes());
    sb.append(String.format("%8x:\t%-24s\t%s", insn.address(), hex, insn.text()));
    StringBuilder comment = new StringBuilder();
    int address = (int) insn.address();
    // A trap site is the return address of a call into the trap stub: the call ends there.
    traps.lookup(address + insn.size())
        .ifPresent(code -> comment.append(" trap: ").append(code.name().toLowerCase(Locale.ROOT)));
    int entry = entryStartingAt(addressMap, address);
    if (entry >= 0 && addressMap.wasmOffsetOfEntry(entry) != AddressMap.NONE) {
      comment.append(" wasm 0x").append(Integer.toHexString(addressMap.wasmOffsetOfEntry(entry)));
      InlineMap inlined = artifact.file().inlineMap();
      int site = inlined.siteAt(address);
      if (site != InlineMap.NONE) {
        comment.append(" in ").append(artifact.nameOf(inlined.callee(site))).append(" inlined at 0x")
            .append(Integer.toHexString(inlined.callWasmOffset(site)));
      }
    }
    callTarget(insn).flatMap(artifact.file().functions()::keyAt)
        .ifPresent(callee -> comment.append(" -> ").append(artifact.nameOf(callee)));
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

  /** The address-map entry whose text offset is {@code address}, or -1 (binary search: entries are sorted). */
  private static int entryStartingAt(AddressMap map, int address) {
    int lo = 0;
    int hi = map.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int at = map.textOffsetAt(mid);
      if (at < address) {
        lo = mid + 1;
      } else if (at > address) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }
}
