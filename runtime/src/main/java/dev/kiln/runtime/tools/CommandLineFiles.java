package dev.kiln.runtime.tools;

import dev.kiln.artifact.elf.ArtifactFileWriter;
import dev.kiln.artifact.elf.BoundedFileReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The files a tool's command line names, read and written by the rules the runtime keeps for its own
 * files, so that a command cannot drift from them: an input (a module, a {@code .wat}, a {@code
 * .cwasm}) is read only if it is a regular file of data, and whole but bounded, as {@link
 * dev.kiln.runtime.WasmModule#compile(dev.kiln.runtime.Engine, Path)} reads one (a FIFO with no
 * writer would hang the read, {@code /dev/zero} would fill the heap and {@code /proc/kmsg} would
 * block it, so the kind is checked before the file is opened); an artifact is never written in
 * place (a process may be running the old file from its mapping) but beside it and renamed over it,
 * a path that cannot take it is refused before the compile rather than after it, and so is one that
 * would replace a module. The rules live in the artifact module, which the command line does not
 * read (its one door into Kiln's internals is this package).
 */
public final class CommandLineFiles {
  /** The largest file {@link #read} returns: the largest array the JVM makes, as a module is read whole. */
  public static final int MAX_BYTES = BoundedFileReader.MAX_ARRAY_BYTES;
  /** How every binary WebAssembly module starts (WebAssembly 3.0 section 5.5.16, the magic); an artifact starts with ELF's. */
  private static final byte[] WASM_MAGIC = {0, 'a', 's', 'm'};

  private CommandLineFiles() {}

  /**
   * The bytes of {@code file}.
   *
   * @param what what the file is, for the error ("a module")
   * @throws java.nio.file.FileSystemException naming the file if it is no regular file (a directory,
   *     a FIFO, a device) or holds more than {@link #MAX_BYTES}
   */
  public static byte[] read(Path file, String what) throws IOException {
    return BoundedFileReader.read(file, MAX_BYTES, what);
  }

  /**
   * Refuses a {@code file} that is no regular file, or one of a kernel file system's (proc, sysfs),
   * in one line naming it as {@code what}, before anything opens it (opening a FIFO for reading
   * waits for a writer).
   *
   * @throws java.nio.file.FileSystemException naming the file and what it is instead
   */
  public static void requireRegularFile(Path file, String what) throws IOException {
    BoundedFileReader.requireRegularFile(file, what);
  }

  /**
   * Checks, before anything is compiled or written, that the artifact of the module in {@code input}
   * may be put at {@code target}: that it would replace no module, and that the path can take the
   * file ({@link Compilations#compile} writes it beside it and renames it over it; checked by the
   * same steps short of writing). A mistyped output path must not destroy a module, so {@code
   * target} may be neither the input itself (the same file however it is named: a symbolic or hard
   * link, {@code ./} or {@code ..} in the path) nor an existing file that starts with the wasm magic
   * (another module: a shared corpus file was overwritten that way). A previous artifact, which
   * starts with ELF's magic, may be replaced.
   *
   * @throws FileAlreadyExistsException naming {@code target} when it holds the input or another module
   * @throws java.nio.file.FileSystemException naming the part of the path at fault and the reason
   */
  public static void checkArtifactTarget(Path input, Path target) throws IOException {
    if (Files.exists(target) && Files.exists(input) && Files.isSameFile(input, target)) {
      throw new FileAlreadyExistsException(target.toString(), null,
          "is the input module " + input + "; not replacing it by its artifact");
    }
    // Only a regular file is opened (a FIFO would wait for a writer; the writable check refuses the
    // other kinds); one this user cannot read cannot be told from an artifact, and is left to that check.
    if (Files.isRegularFile(target) && Files.isReadable(target) && startsWithWasmMagic(target)) {
      throw new FileAlreadyExistsException(target.toString(), null,
          "is a WebAssembly module (it starts with \\0asm); not replacing it by an artifact");
    }
    ArtifactFileWriter.checkWritable(target);
  }

  private static boolean startsWithWasmMagic(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return startsWithWasmMagic(in.readNBytes(WASM_MAGIC.length));
    }
  }

  /** Whether {@code head} starts with the binary format's magic, {@code \0asm} (spec 5.5.16). */
  public static boolean startsWithWasmMagic(byte[] head) {
    return head.length >= WASM_MAGIC.length
        && Arrays.equals(head, 0, WASM_MAGIC.length, WASM_MAGIC, 0, WASM_MAGIC.length);
  }
}
