package dev.kiln.loader.instance;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.IncompatibleArtifactException;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.compat.CompatHeader;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.elf.KilnSection;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.artifact.info.ModuleInfoDecoder;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code .cwasm} mapped and ready to instantiate. {@link #open} does everything that can reject
 * the file before any of it runs, in this order: map it read-only; {@link CwasmFile#open} (ELF
 * structure, every section in bounds, function index, trap table and address map); the
 * compatibility header against the host target (and, with {@link #open(Path, Map)}, the engine's
 * code settings); decode and cross-check the module info against {@code .kiln.data}. Only then is
 * {@code .text} flipped to R|X, in place in the file mapping.
 *
 * <p>Instances made from one module share its code and data; the mapping lives until {@link #close}.
 */
public final class LoadedModule implements AutoCloseable {
  /** The module field of the FuncKeys of a single-module artifact. */
  public static final int MODULE = 0;

  private final Arena arena;
  private final CwasmFile file;
  private final ModuleInfo info;
  private final long textAddress;

  private LoadedModule(Arena arena, CwasmFile file, ModuleInfo info) {
    this.arena = arena;
    this.file = file;
    this.info = info;
    this.textAddress = file.text().address();
  }

  /**
   * Opens {@code path}, checking the artifact's target against the host. Code-changing settings in
   * the compatibility header are taken as the compiler wrote them: this overload is for callers
   * with no engine configuration of their own to compare (see {@link #open(Path, Map)}).
   *
   * @throws dev.kiln.artifact.CorruptArtifactException if the file is damaged or not a .cwasm
   * @throws IncompatibleArtifactException if it was compiled for another target or format version
   */
  public static LoadedModule open(Path path) throws IOException {
    return open(path, null);
  }

  /**
   * Opens {@code path}, checking the target and, unless {@code engineSettings} is null, that the
   * artifact's code-changing settings are exactly these.
   */
  public static LoadedModule open(Path path, Map<String, String> engineSettings) throws IOException {
    Arena arena = Arena.ofShared();
    try {
      MemorySegment mapped;
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
        mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
      }
      LoadedModule module = open(mapped, arena, engineSettings);
      CodePublisher.publishExecutable(module.textAddress, module.file.text().byteSize(),
          module.file.target().pageSize());
      return module;
    } catch (IOException | RuntimeException | Error e) {
      arena.close();
      throw e;
    }
  }

  private static LoadedModule open(MemorySegment mapped, Arena arena, Map<String, String> engineSettings) {
    CwasmFile file = CwasmFile.open(mapped);
    CompatHeader compat = file.compat();
    Target host = HostTarget.current().orElseThrow(() -> new IncompatibleArtifactException(
        "this host (" + System.getProperty("os.arch") + ") runs no Kiln target"));
    compat.check(host, engineSettings == null ? compat.settings() : engineSettings);
    ModuleInfo info = ModuleInfoDecoder.decode(file.section(KilnSection.INFO), file.section(KilnSection.DATA).byteSize());
    return new LoadedModule(arena, file, info);
  }

  public ModuleInfo info() {
    return info;
  }

  public CwasmFile file() {
    return file;
  }

  /** {@code .kiln.data}: the bytes data segments refer to. */
  public MemorySegment data() {
    return file.section(KilnSection.DATA);
  }

  /** The address of {@code key}'s code, if the artifact has it (one binary search of the index). */
  public Optional<MemorySegment> code(FuncKey key) {
    int start = file.functions().startOf(key);
    return start < 0 ? Optional.empty() : Optional.of(MemorySegment.ofAddress(textAddress + start));
  }

  /** Where {@code .text} is mapped. */
  public long textAddress() {
    return textAddress;
  }

  /** Unmaps the file; no instance of this module may run afterwards. */
  @Override
  public void close() {
    arena.close();
  }
}
