package dev.kiln.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Wasm text to binary with Debian's {@code wat2wasm} (installed with wabt 1.0.32), with {@code
 * --debug-names} so backtraces and dumps have the text's names. Kiln has no text parser of its own.
 */
public final class Wat {
  private Wat() {}

  /**
   * The binary module of {@code wat}, with wat2wasm's {@code flags} (such as {@code
   * --enable-tail-call}) for proposals it does not enable by default; fails with wat2wasm's message
   * when the text is invalid.
   */
  public static byte[] toWasm(String wat, String... flags) {
    try {
      Path dir = Files.createTempDirectory("kiln-wat");
      Path in = dir.resolve("m.wat");
      Path out = dir.resolve("m.wasm");
      Files.writeString(in, wat, StandardCharsets.UTF_8);
      List<String> command = new ArrayList<>(
          List.of("wat2wasm", "--debug-names", in.toString(), "-o", out.toString()));
      command.addAll(List.of(flags));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("wat2wasm failed:\n" + log);
      }
      byte[] bytes = Files.readAllBytes(out);
      Files.delete(in);
      Files.delete(out);
      Files.delete(dir);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
