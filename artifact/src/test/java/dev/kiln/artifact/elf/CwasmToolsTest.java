package dev.kiln.artifact.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Standard ELF tools must understand a .cwasm (docs/ARCHITECTURE.md section 3). Skipped without binutils. */
class CwasmToolsTest {
  @TempDir Path dir;

  @Test
  void readelfListsKilnSectionsAndFunctionSymbols() throws Exception {
    Path file = write("x86.cwasm", SampleArtifacts.x86File());
    String out = run("readelf", "-h", "-S", "-s", "-W", file.toString());
    assertTrue(out.contains("Class:                             ELF64"), out);
    assertTrue(out.contains("REL (Relocatable file)"), out);
    assertTrue(out.contains("Advanced Micro Devices X86-64"), out);
    assertTrue(out.contains("Flags:                             0x4e4c494b"), out);
    for (KilnSection section : KilnSection.values()) {
      assertTrue(out.contains(" " + section.elfName() + " "), section.elfName() + " missing:\n" + out);
    }
    for (String section : List.of(".symtab", ".strtab", ".shstrtab")) {
      assertTrue(out.contains(section), out);
    }
    // Symbols are defined in .text: section header 0 is the null section, then the Kiln sections in order.
    String inText = String.format("FUNC    LOCAL  DEFAULT %4d ", KilnSection.TEXT.ordinal() + 1);
    for (SampleArtifacts.Function f : SampleArtifacts.x86Functions()) {
      assertTrue(out.contains(inText + f.key()), f.key() + " missing:\n" + out);
    }
    assertTrue(!out.toLowerCase().contains("warning") && !out.contains("Error"), out);
  }

  @Test
  void objdumpDisassemblesOneSymbolPerFunction() throws Exception {
    Path file = write("x86.cwasm", SampleArtifacts.x86File());
    String out = run("objdump", "-d", file.toString());
    List<String> labels = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.matches("[0-9a-f]{16} <.*>:")) {
        labels.add(line.substring(18, line.length() - 2));
      }
    }
    List<String> expected = new ArrayList<>();
    SampleArtifacts.x86Functions().forEach(f -> expected.add(f.key().toString()));
    assertEquals(expected, labels, out);
    assertTrue(out.contains("mov    $0x2a,%eax"), out);
    assertTrue(out.contains("xor    %eax,%eax"), out);
    assertTrue(out.contains("ud2"), out);
    assertTrue(out.contains("lea    (%rdi,%rsi,1),%eax"), out);
    // ET_REL: addresses are .text offsets, the same numbers the index and trap table use.
    assertTrue(out.contains("0000000000000000 <wasm[0]::function[0]>:"), out);
    assertTrue(out.contains("0000000000000010 <wasm[0]::function[1]>:"), out);
  }

  @Test
  void aarch64ArtifactsDisassembleWithLlvmObjdump() throws Exception {
    Path file = write("a64.cwasm",
        SampleArtifacts.writer(Target.AARCH64, SampleArtifacts.aarch64Functions(), 0).toByteArray());
    String header = run("readelf", "-h", file.toString());
    assertTrue(header.contains("AArch64"), header);
    String tool = Files.isExecutable(Path.of("/usr/bin/llvm-objdump")) ? "llvm-objdump" : null;
    assumeTrue(tool != null, "llvm-objdump not installed");
    String out = run(tool, "-d", file.toString());
    assertTrue(out.contains("<wasm[0]::function[0]>:"), out);
    assertTrue(out.contains("mov\tw0, #42") || out.contains("mov w0, #42") || out.contains("mov\tw0, #0x2a"), out);
    assertTrue(out.contains("ret"), out);
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path path = dir.resolve(name);
    Files.write(path, bytes);
    return path;
  }

  private static String run(String... command) throws Exception {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      assumeTrue(false, command[0] + " is not installed: " + e.getMessage());
      throw e;
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), command[0] + " timed out");
    assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + out);
    return out;
  }
}
