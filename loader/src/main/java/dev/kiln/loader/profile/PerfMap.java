package dev.kiln.loader.profile;

import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.elf.FunctionSymbols;
import dev.kiln.artifact.index.FunctionIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

  /**
   * Starts writing the perf map for this process (appending if it exists and is this user's own, see
   * {@link #open}); idempotent.
   *
   * @throws UncheckedIOException naming the path and why, if it cannot be opened or is refused
   */
  public static synchronized void enable() {
    if (channel != null) {
      return;
    }
    try {
      channel = open(path());
    } catch (IOException e) {
      // one message whatever went wrong, naming the file as the perf map: a command line prints its cause
      IOException refused = new IOException("cannot open the perf map " + path() + ": " + reason(e), e);
      throw new UncheckedIOException(refused.getMessage(), refused);
    }
  }

  /**
   * Opens {@code path} to append to: a new file only this user can read or write ({@code O_CREAT|O_EXCL},
   * mode 0600), or one already there that is this user's own regular file, writable by nobody else
   * (a map left by an earlier process of the same pid); anything else is refused ({@link
   * SharedDirectoryFile}). The name sits in the world-writable {@code /tmp} and the pid in it is easy
   * to guess, so another user can plant something there first: a symbolic link to a file of theirs
   * to have this process append to it, a FIFO whose open never returns (past {@code --timeout}),
   * or a file of their own to read this process's code addresses from (red team 27 F3).
   */
  static FileChannel open(Path path) throws IOException {
    return SharedDirectoryFile.openToAppend(path);
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
          .append(name.replace('\n', ' ').replace('\r', ' ')).append('\n'); // a name is one line
    }
    write(lines.toString());
  }

  /** What the kernel or the check said, without the path {@link #enable}'s message already names. */
  private static String reason(IOException e) {
    if (e instanceof UntrustedFileException untrusted) {
      return untrusted.reason();
    }
    if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getMessage();
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
