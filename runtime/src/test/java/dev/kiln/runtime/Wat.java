package dev.kiln.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Wasm text to binary with Debian's {@code wat2wasm} (wabt, which scripts/test installs), names kept. */
public final class Wat {
  private Wat() {}

  public static byte[] toWasm(String wat) {
    try {
      Path dir = Files.createTempDirectory("kiln-api-wat");
      Path in = Files.writeString(dir.resolve("m.wat"), wat, StandardCharsets.UTF_8);
      Path out = dir.resolve("m.wasm");
      Process p = new ProcessBuilder("wat2wasm", "--debug-names", in.toString(), "-o", out.toString())
          .redirectErrorStream(true).start();
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
