package dev.kiln.codegen.testsupport;

import dev.kiln.disasm.CapstoneWasmPackage;
import dev.kiln.disasm.DisassembledInstruction;
import dev.kiln.disasm.Disassembler;
import dev.kiln.disasm.DisassemblerUnavailableException;
import dev.kiln.disasm.Isa;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The x86-64 oracle: Capstone 5.0 as npm's {@code capstone-wasm} ({@link CapstoneWasmPackage}) runs it,
 * through the package's own JavaScript API on Node, one long-lived process answering one request per
 * {@link #disassemble} (the protocol is in {@code capstone-wasm-oracle.cjs}). It runs on V8, not on
 * Kiln, because these tests sit below the compiler and loader and check the very encoder Kiln would
 * compile Capstone with; and it is the same Capstone build that {@code kiln objdump} runs on Kiln
 * without {@code libcapstone4}, so the texts the tests pin are the texts users see.
 */
final class NodeCapstone implements Disassembler {
  private static final String SCRIPT = "capstone-wasm-oracle.cjs";

  private final Process node;
  private final BufferedWriter requests;
  private final BufferedReader answers;
  private boolean closed;

  private NodeCapstone(Process node) {
    this.node = node;
    this.requests =
        new BufferedWriter(new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8));
    this.answers = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * Starts Node on the package, fetching the package first if this machine has none.
   *
   * @throws DisassemblerUnavailableException if the package cannot be had or Node cannot be started
   */
  static NodeCapstone start() {
    CapstoneWasmPackage capstone = CapstoneWasmPackage.obtain();
    try {
      String script;
      try (InputStream in = NodeCapstone.class.getResourceAsStream(SCRIPT)) {
        if (in == null) {
          throw new IllegalStateException(SCRIPT + " is missing from the test classes");
        }
        script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Process node = new ProcessBuilder("node", "-e", script, capstone.directory().toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      return new NodeCapstone(node);
    } catch (IOException e) {
      throw new DisassemblerUnavailableException(
          "the x86-64 Capstone oracle needs Node (node on PATH): " + e, e);
    }
  }

  @Override
  public Isa isa() {
    return Isa.X86_64;
  }

  @Override
  public synchronized List<DisassembledInstruction> disassemble(byte[] code, long address) {
    if (closed) {
      throw new IllegalStateException("disassembler is closed");
    }
    List<DisassembledInstruction> result = new ArrayList<>();
    if (code.length == 0) {
      return result;
    }
    try {
      requests.write(Long.toHexString(address) + " " + HexFormat.of().formatHex(code) + "\n");
      requests.flush();
      int count = Integer.parseInt(answer());
      int offset = 0;
      for (int i = 0; i < count; i++) {
        String[] fields = answer().split("\t", 3);
        int size = Integer.parseInt(fields[0]);
        result.add(new DisassembledInstruction(address + offset,
            Arrays.copyOfRange(code, offset, offset + size), fields[1], fields[2]));
        offset += size;
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("the Node Capstone oracle stopped answering", e);
    }
  }

  private String answer() throws IOException {
    String line = answers.readLine();
    if (line == null) {
      throw new IOException("Node exited (its error output is above)");
    }
    return line;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      requests.close();
      if (!node.waitFor(10, TimeUnit.SECONDS)) {
        node.destroyForcibly();
      }
    } catch (IOException e) {
      node.destroyForcibly();
    } catch (InterruptedException e) {
      node.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
