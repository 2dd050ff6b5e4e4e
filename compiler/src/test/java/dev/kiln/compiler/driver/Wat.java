package dev.kiln.compiler.driver;

import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Wasm text to a validated module through Debian's {@code wat2wasm}, keeping {@code $ids} in a name section. */
public final class Wat {
  private Wat() {}

  public static byte[] toWasm(String wat, String... flags) {
    try {
      Path dir = Files.createTempDirectory("kiln-driver-test");
      Path in = dir.resolve("m.wat");
      Path out = dir.resolve("m.wasm");
      Files.writeString(in, wat, StandardCharsets.UTF_8);
      List<String> command = new ArrayList<>(List.of("wat2wasm", "--debug-names", "--enable-extended-const"));
      command.addAll(List.of(flags));
      command.addAll(List.of(in.toString(), "-o", out.toString()));
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

  static Module module(String wat) {
    return Wasm.load(toWasm(wat));
  }
}
