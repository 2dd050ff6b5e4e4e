package dev.kiln.loader.profile;

import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.elf.FunctionSymbols;
import dev.kiln.artifact.index.FunctionIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * The process's perf map, {@code /tmp/perf-<pid>.map}: one {@code START SIZE name} line (hex, no
 * prefix) per function of code that no file describes, the convention perf (tools/perf/Documentation/
 * jit-interface.txt) and other profilers read for JIT-generated code.
 *
 * <p>A {@code .cwasm} mapped from its file needs no entry: perf finds the file behind the mapping and
 * names the code from its ELF {@code .symtab}. A module loaded from bytes (just compiled, or a signed
 * artifact read into private pages) is anonymous memory to perf; {@link #describe} writes a line for each
 * of its functions (wasm functions, trampolines, builtins), named as in the artifact's {@code .symtab}.
 *
 * <p>Off until {@link #enable} (a process-wide choice, as the file is per process). Lines are only ever
 * appended: a closed module's range may later hold another module's code, which then has lines of its
 * own after the old ones (perf takes the last entry covering an address).
 */
public final class PerfMap {
  private static FileChannel channel;

  private PerfMap() {}

  /** Starts writing the perf map for this process (appending if it exists); idempotent. */
  public static synchronized void enable() {
    if (channel != null) {
      return;
    }
    try {
      channel = open(path());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the perf map " + path(), e);
    }
  }

  /**
   * Opens {@code path} to append to, creating it, but never through a symbolic link ({@code
   * O_NOFOLLOW}, open(2): "If the trailing component of pathname is a symbolic link, then the open
   * fails"): the name sits in the world-writable {@code /tmp} and the pid in it is easy to guess, so
   * another user could plant a link there and have this process append to a file of its choosing.
   */
  static FileChannel open(Path path) throws IOException {
    return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
        LinkOption.NOFOLLOW_LINKS);
  }

  public static synchronized boolean isEnabled() {
    return channel != null;
  }

  /** Where this process's map is written. */
  public static Path path() {
    return Path.of("/tmp", "perf-" + ProcessHandle.current().pid() + ".map");
  }

  /**
   * Appends a line for every function of {@code file}, whose {@code .text} starts at {@code textAddress}
   * in this process, if the map is enabled.
   */
  public static void describe(CwasmFile file, long textAddress) {
    if (!isEnabled()) {
      return;
    }
    Map<Long, String> names = FunctionSymbols.byTextOffset(file);
    StringBuilder lines = new StringBuilder();
    for (FunctionIndex.Entry entry : file.functions()) {
      int start = entry.range().start();
      String name = names.getOrDefault((long) start, entry.key().toString());
      lines.append(Long.toHexString(textAddress + start)).append(' ')
          .append(Integer.toHexString(entry.range().end() - start)).append(' ')
          .append(name.replace('\n', ' ')).append('\n');
    }
    write(lines.toString());
  }

  private static synchronized void write(String lines) {
    ByteBuffer bytes = ByteBuffer.wrap(lines.getBytes(StandardCharsets.UTF_8));
    try {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the perf map " + path(), e);
    }
  }
}
