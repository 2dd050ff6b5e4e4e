package dev.kiln.loader.module;

import dev.kiln.artifact.ArtifactException;
import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.FuncKeyKind;
import dev.kiln.artifact.IncompatibleArtifactException;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.compat.CompatHeader;
import dev.kiln.artifact.elf.ArtifactFileReader;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.elf.KilnSection;
import dev.kiln.artifact.info.Export;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.artifact.seal.SigningKey;
import dev.kiln.artifact.tables.AddressMap;
import dev.kiln.artifact.tables.InlineMap;
import dev.kiln.artifact.tables.StackMapTable;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.artifact.vm.MemoryGuard;
import dev.kiln.artifact.vm.TableStorage;
import dev.kiln.cache.CachedArtifact;
import dev.kiln.cache.ModuleCache;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.exec.HostTarget;
import dev.kiln.loader.profile.PerfMap;
import dev.kiln.loader.runtime.CodeRegion;
import dev.kiln.loader.runtime.WasmFrame;
import dev.kiln.loader.sys.WasmFaults;
import dev.kiln.loader.sys.ImageFile;
import dev.kiln.loader.sys.Protection;
import dev.kiln.loader.sys.VirtualMemory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@code .cwasm} loaded and ready to instantiate. {@link #open} does everything that can reject
 * the file before any of it runs, in this order: read it into fresh private pages; {@link
 * CwasmFile#open} on that copy (the seal's CRC32C over the whole file, and with a key its
 * HMAC-SHA256 tag; then ELF structure, layout, function index); the compatibility header against a
 * target this host runs, natively or emulated (and, given engine settings, the engine's code settings
 * and epoch and fuel checks); decode and cross-check the module info against {@code .kiln.data}, and
 * check that {@code .text} has every entry point the module info needs ({@link EntryPoints}). Only
 * then is the copy made read-only and its {@code .text} R|X. Every failure of these checks is a
 * {@link dev.kiln.artifact.ArtifactException}.
 *
 * <p><b>What runs can never change after its checks</b>, whatever the artifact came from (a file,
 * a cache entry, bytes): every load copies it into anonymous private memory ({@code
 * MAP_PRIVATE|MAP_ANONYMOUS}), checks the copy, and runs the copy. A file mapped shared would let
 * anyone who can write it change the code after the seal and tag were checked, and truncating it
 * would SIGBUS the process at its next instruction fetch (mmap(2)); a private file mapping
 * ({@code MAP_PRIVATE}) still shows later writes to pages not yet touched, and the same SIGBUS. The
 * copy costs one read of the file (docs/PERFORMANCE.md, "Loading a .cwasm"); the seal's CRC32C
 * touches every byte anyway. A load in proportion to what is used could copy and check pieces on
 * first use under the same rule (each piece read into private pages and checked there before it
 * runs); what the rule excludes is running bytes someone else can still change.
 *
 * <p>Instances made from one module share its code and data, in any number of stores and threads.
 * The pages live until {@link #close} and the last of its instances is freed, whatever the order:
 * an instance's VMFuncRefs and calls jump into them.
 */
public final class LoadedModule implements AutoCloseable, CodeRegion {
  /** The module field of the FuncKeys of a single-module artifact. */
  public static final int MODULE = 0;
  /**
   * From this size a copy asks for huge pages ({@link VirtualMemory#adviseHugePages}): a 2 MiB huge
   * page needs a region that size, and below it the faults are few anyway.
   */
  private static final long HUGE_PAGE_WORTHWHILE = 2L << 20;
  /** The name of a module loaded from bytes, for messages. */
  private static final String IN_MEMORY = "module loaded from bytes";

  private final AutoCloseable mapping;
  private final String name;
  private final CwasmFile file;
  /** {@link #data()}, sliced once: every instantiation reads it (an instance per request, issue 41). */
  private final MemorySegment data;
  private final ModuleInfo info;
  /**
   * {@code info.importedFunctionCount()}, counted once: {@link #framesAt} needs it per frame, and the
   * collector's frame walk asks for frames at every allocation slow path (ModuleInfo counts by
   * streaming over the imports: a quarter of binary-trees' samples in Kiln's code, JFR).
   */
  private final int importedFunctionCount;
  private final EntryPoints entryPoints;
  private final long textAddress;
  /**
   * Built on first instantiation and shared by every instance: lazy tables' images, eager segments.
   * Read without a lock once built.
   */
  private volatile TableInitPlan tableInitPlan;
  /**
   * Exports by name ({@link #export}); names are unique (ModuleInfo checks). Made at load, as one of
   * its loops over what the module declares, so that the load's budget bounds it ({@link
   * #exportsByName}): made at the first lookup, it was a loop over up to 2^20 exports outside any.
   */
  private final Map<String, Export> exportsByName;
  /** The live instances and whether the module is closed: striped, so a cycle writes no word other threads share. */
  private final LiveInstanceCount instances = new LiveInstanceCount();
  /** What other packages derive from the module once and share between its instances ({@link #derived}). */
  private final java.util.concurrent.ConcurrentHashMap<Class<?>, Object> derived =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** Each defined memory's copy-on-write image or empty, made on first need ({@link #memoryImages}). */
  private volatile List<Optional<ImageFile>> memoryImages;
  /**
   * Whether the file is unmapped (closed, and the last instance is gone). Written under the lock;
   * volatile so that {@link #contains} reads it without the lock.
   */
  private volatile boolean unmapped;
  /** How many of {@link #unmapIfUnused}'s steps have returned; under the lock. */
  private int unmapSteps;
  private static final int UNMAP_STEPS = 5;
  /**
   * Stack the unmap's callers ask for: between an instance free's own {@code ThreadStack.STEP},
   * checked a few frames above {@link #release}, and the {@code SharedArenaClose.ROOM} its last step
   * asks for a few frames below, so that neither nested check refuses where the outer one passed.
   */
  private static final long UNMAP_ROOM = dev.kiln.loader.sys.ThreadStack.STEP * 3 / 4;
  /** {@code .text}'s size, read once: {@link #landingPad} runs for each frame an exception unwinds through. */
  private final long textSize;
  /**
   * The handler table as the {@link Resume}s {@link #landingPad} returns, decoded on the first
   * throw through this module ({@link DecodedSites}), so a throw allocates nothing to find its
   * handler.
   */
  private final DecodedSites<Resume> landings;
  /**
   * The stack map table, decoded on the first collection that walks a frame of this module
   * ({@link DecodedSites}): the walk looks a map up for every frame it passes.
   */
  private final DecodedSites<StackMapTable.StackMap> stackMaps;
  /** The {@code .text}'s entry in {@link WasmFaults}' code table while mapped, if it is native code that can trap. */
  private WasmFaults.Registration wasmFaults;

  private LoadedModule(AutoCloseable mapping, String name, CwasmFile file, ModuleInfo info, EntryPoints entryPoints) {
    this.mapping = mapping;
    this.name = name;
    this.file = file;
    this.data = file.section(KilnSection.DATA);
    this.info = info;
    this.importedFunctionCount = info.importedFunctionCount();
    this.entryPoints = entryPoints;
    this.textAddress = file.text().address();
    this.textSize = file.text().byteSize();
    this.exportsByName = exportsByName(info.exports());
    this.landings = new DecodedSites<>(() -> file.handlers().sites().map(
        landing -> new Resume(textAddress + landing.landingOffset(), landing.frameBelowFp()), Resume[]::new), Resume[]::new);
    this.stackMaps = new DecodedSites<>(() -> file.stackMaps().sites(), StackMapTable.StackMap[]::new);
  }

  /**
   * {@code exports} by name, polling the load's budget ({@link Phase#LOAD}) as the module info's own
   * loops over the same list do. Names are strings, whose {@code compareTo} keeps a bucket of equal
   * hashes a tree, so names chosen to collide cost O(log n) a lookup.
   */
  static Map<String, Export> exportsByName(List<Export> exports) {
    Map<String, Export> byName = HashMap.newHashMap(exports.size());
    for (int i = 0; i < exports.size(); i++) {
      CompileDeadline.pollCounted(Phase.LOAD, i);
      Export e = exports.get(i);
      byName.put(e.name(), e);
    }
    return byName;
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
    return open(path, engineSettings, null, Optional.empty());
  }

  /**
   * Opens {@code path} as {@link #open(Path, Map)} does and, unless {@code limits} is null, checks
   * that its code has exactly these epoch and fuel checks ({@link ExecutionLimits#requireSameAs}).
   */
  public static LoadedModule open(Path path, Map<String, String> engineSettings, ExecutionLimits limits)
      throws IOException {
    return open(path, engineSettings, limits, Optional.empty());
  }

  /**
   * As {@link #open(Path, Map, ExecutionLimits)}; with a {@code key}, the artifact must also be
   * signed with it ({@code kiln compile --sign-key}). The file is read into private memory and
   * checked there (see the class comment).
   *
   * @throws dev.kiln.artifact.CorruptArtifactException also if a key is given and the artifact is
   *     unsigned or its tag is not this key's
   */
  public static LoadedModule open(Path path, Map<String, String> engineSettings, ExecutionLimits limits,
      Optional<SigningKey> key) throws IOException {
    try (FileChannel channel = ArtifactFileReader.open(path)) {
      return inPrivatePages(channel.size(), copy -> ArtifactFileReader.readFully(channel, copy), String.valueOf(path.getFileName()),
          engineSettings, limits, key);
    }
  }

  /**
   * Loads an artifact held in memory (e.g. just compiled): the bytes are copied once into fresh
   * pages, then checked exactly as {@link #open(Path, Map)} checks a file, and only then is the
   * copy's {@code .text} made R|X (and no longer writable).
   */
  public static LoadedModule fromBytes(byte[] bytes, Map<String, String> engineSettings) {
    return fromBytes(bytes, engineSettings, null, Optional.empty());
  }

  /**
   * Loads bytes as {@link #fromBytes(byte[], Map)} does and, unless {@code limits} is null, checks
   * that their code has exactly these epoch and fuel checks.
   */
  public static LoadedModule fromBytes(byte[] bytes, Map<String, String> engineSettings, ExecutionLimits limits) {
    return fromBytes(bytes, engineSettings, limits, Optional.empty());
  }

  /** As {@link #fromBytes(byte[], Map, ExecutionLimits)}; with a {@code key}, the artifact must be signed with it. */
  public static LoadedModule fromBytes(byte[] bytes, Map<String, String> engineSettings, ExecutionLimits limits,
      Optional<SigningKey> key) {
    try {
      return inPrivatePages(bytes.length, copy -> MemorySegment.copy(MemorySegment.ofArray(bytes), 0, copy, 0,
          bytes.length), IN_MEMORY, engineSettings, limits, key);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // copying from an array does no I/O
    }
  }

  /**
   * The compiled-module cache's {@link ModuleCache.Opener} for modules to run with {@code limits}: an
   * entry is loaded as {@link #open(Path, Map, ExecutionLimits, Optional)} loads any signed file
   * (copied into private pages, its seal and its tag under the entry's key checked there) and must
   * carry the lookup's compat header, so the lookup's check is the load's.
   */
  public static ModuleCache.Opener<LoadedModule> cacheEntries(ExecutionLimits limits) {
    return (entry, expected, tagKey) -> {
      LoadedModule module = open(entry, null, limits, Optional.of(tagKey));
      try {
        ModuleCache.requireHeader(entry, module.file().compat(), expected);
      } catch (ArtifactException e) {
        module.close();
        throw e;
      }
      return module;
    };
  }

  /**
   * Loads what a compiled-module cache lookup with {@link #cacheEntries} gave: the entry it loaded,
   * or the artifact it compiled but did not store (a cache it could not write, or refused), from
   * memory.
   */
  public static LoadedModule fromCache(CachedArtifact<LoadedModule> cached, ExecutionLimits limits) {
    // instanceof, not a pattern switch: a switch spins a class at its first run, on every cached
    // run's load (TableInitPlan.constant says why that counts); the last kind is a cast (sealed).
    if (cached instanceof CachedArtifact.Hit<LoadedModule> hit) {
      return hit.opened();
    }
    if (cached instanceof CachedArtifact.Compiled<LoadedModule> stored) {
      return stored.opened();
    }
    if (cached instanceof CachedArtifact.NotStored<LoadedModule> notStored) {
      return fromBytes(notStored.artifact(), null, limits);
    }
    return fromBytes(((CachedArtifact.Refused<LoadedModule>) cached).artifact(), null, limits);
  }

  /** How {@link #inPrivatePages} fills the fresh pages with the artifact. */
  @FunctionalInterface
  private interface Fill {
    void into(MemorySegment pages) throws IOException;
  }

  /**
   * Fills fresh private pages with the {@code length}-byte artifact, checks it there, then makes the
   * copy read-only and its {@code .text} R|X: nothing outside this process can change the checked
   * bytes, and nothing inside it can write them (the tables the checks read, or the code).
   */
  private static LoadedModule inPrivatePages(long length, Fill fill, String name, Map<String, String> engineSettings,
      ExecutionLimits limits, Optional<SigningKey> key) throws IOException {
    if (length == 0) {
      // Bytes that will never execute: an empty input always fails the checks.
      return open(MemorySegment.ofArray(new byte[0]), () -> { }, name, engineSettings, limits, key);
    }
    VirtualMemory pages = VirtualMemory.reserve(length);
    try {
      pages.protect(0, pages.size(), Protection.READ_WRITE);
      if (length >= HUGE_PAGE_WORTHWHILE) {
        pages.adviseHugePages();
      }
      MemorySegment copy = pages.segment().asSlice(0, length);
      fill.into(copy);
      LoadedModule module = open(copy, pages, name, engineSettings, limits, key);
      long textOffset = module.file.fileOffset(KilnSection.TEXT);
      long textPages = VirtualMemory.pageAlign(module.file.text().byteSize());
      if (textOffset % VirtualMemory.pageSize() != 0) {
        throw new IncompatibleArtifactException(".text at file offset 0x" + Long.toHexString(textOffset)
            + " is not aligned to this host's " + VirtualMemory.pageSize() + "-byte pages");
      }
      pages.protect(0, pages.size(), Protection.READ);
      pages.protect(textOffset, Math.min(textPages, pages.size() - textOffset), Protection.READ_EXECUTE);
      Executors.codeWritten(module.file.target(), module.textAddress, module.file.text().byteSize());
      if (HostTarget.current().equals(Optional.of(module.file.target()))) {
        // Native code in anonymous pages: only a perf map can name it.
        PerfMap.describe(module.file, module.textAddress);
      }
      module.registerWasmFaults();
      return module;
    } catch (IOException | RuntimeException | Error e) {
      pages.close();
      throw e;
    }
  }

  private static LoadedModule open(MemorySegment mapped, AutoCloseable mapping, String name,
      Map<String, String> engineSettings, ExecutionLimits limits, Optional<SigningKey> key) {
    CwasmFile file = CwasmFile.open(mapped, key);
    CompatHeader compat = file.compat();
    // The artifact's target is acceptable if an executor runs it here (natively or emulated);
    // otherwise the check reports it against the host's own target, unless only the emulator (its
    // jar or its native library) is missing, which is what the user can do something about.
    Optional<String> missing = Executors.missingEmulator(compat.target());
    if (missing.isPresent()) {
      throw new IncompatibleArtifactException(missing.get());
    }
    Target runnable = Executors.canRun(compat.target()) ? compat.target() : HostTarget.current().orElseThrow(() ->
        new IncompatibleArtifactException("this host (" + System.getProperty("os.arch") + ") runs no Kiln target"));
    compat.check(runnable, engineSettings == null ? compat.settings() : engineSettings);
    if (limits != null) {
      limits.requireSameAs(ExecutionLimits.fromSettings(compat.settings()));
    }
    if (MemoryGuard.fromSettings(compat.settings()).enabled()
        && !(compat.target() == Target.X86_64 && HostTarget.current().equals(Optional.of(Target.X86_64)))) {
      throw new IncompatibleArtifactException("the artifact leaves memory bounds checks to guard pages, which this"
          + " runtime turns into traps only for x86-64 code on an x86-64 host; recompile it with"
          + " kiln compile --explicit-bounds-checks");
    }
    if (compat.target() == Target.X86_64 && HostTarget.current().equals(Optional.of(Target.X86_64))) {
      // Native x86-64 code may use extensions of the compiling machine; a CPU without one would
      // take SIGILL mid-call, so the artifact is refused here instead.
      X64HostFeatures.host().check(compat.settings());
    }
    ModuleInfo info = file.moduleInfo();
    EntryPoints entryPoints = EntryPoints.check(file, info);
    // Every handler entry and stack map is decoded, so checked, now (once: CwasmFile.checkFrameTables
    // decodes each table whole) rather than at the first unwind or collection that looks one up: a
    // damaged one refuses the load, and the frame walker (runtime.WasmFrameRoots) only ever rewrites
    // slots inside the frames they describe. A module without GC references has no stack maps.
    file.checkFrameTables();
    return new LoadedModule(mapping, name, file, info, entryPoints);
  }

  /**
   * If the code is native x86-64 code that can trap, installs the fault handler and registers the
   * {@code .text} and its trap stub ({@link WasmFaults}), so that the code's faults in a memory
   * reservation (bounds checks left to the guard region, {@link MemoryGuard}) and at a null
   * reference's fields become traps. The last step of a load: nothing after it can fail.
   */
  private void registerWasmFaults() {
    if (file.target() != Target.X86_64 || !HostTarget.current().equals(Optional.of(Target.X86_64))) {
      return; // the guard is refused for such code in open; emulated code faults in the emulator
    }
    Optional<MemorySegment> trapStub = code(FuncKey.wasmToBuiltinTrampoline(Builtin.TRAP.index()));
    if (trapStub.isEmpty()) {
      return; // no code that can trap at all
    }
    WasmFaults.installHandler();
    wasmFaults = WasmFaults.registerCode(textAddress, textAddress + file.text().byteSize(), trapStub.get().address());
  }

  /** The module's table initialisation plan, built once ({@link TableInitPlan}). */
  public TableInitPlan tableInitPlan() {
    return tableInitPlan(() -> { });
  }

  /**
   * The module's table initialisation plan, built once ({@link TableInitPlan}), calling {@code
   * perSegment} for each element segment while building it (an instantiation's deadline; a plan
   * stopped by it is not kept).
   */
  public TableInitPlan tableInitPlan(Runnable perSegment) {
    TableInitPlan plan = tableInitPlan;
    if (plan != null) {
      return plan;
    }
    synchronized (this) {
      if (tableInitPlan == null) {
        tableInitPlan = TableInitPlan.of(info, lazyTables(), perSegment);
      }
      return tableInitPlan;
    }
  }

  /**
   * The module's one {@code type} object, made by {@code make} at its first use and shared by every
   * instance after it: what an instantiation would otherwise work out from the module each time
   * (the VMContext's layout, a walk over every field the module declares: issue 41). A {@code make}
   * that throws (an instantiation stopped by its deadline) leaves nothing behind. Read without a
   * lock once made.
   */
  public <T> T derived(Class<T> type, java.util.function.Function<LoadedModule, ? extends T> make) {
    Object existing = derived.get(type);
    if (existing == null) {
      existing = derived.computeIfAbsent(type, unused -> make.apply(this));
    }
    return type.cast(existing);
  }

  /**
   * The copy-on-write image of each memory the module defines (empty for one whose data is copied),
   * made by {@code make} at the first instantiation and kept until the module is unmapped; later
   * instantiations read it without a lock.
   */
  public List<Optional<ImageFile>> memoryImages(java.util.function.Function<LoadedModule, List<Optional<ImageFile>>> make) {
    List<Optional<ImageFile>> images = memoryImages;
    if (images != null) {
      return images;
    }
    synchronized (this) {
      if (memoryImages == null) {
        memoryImages = make.apply(this);
      }
      return memoryImages;
    }
  }

  /**
   * The export named {@code name}: a hash lookup, where {@link ModuleInfo#export} searches the list.
   * A host function asking for its caller's memory by name ({@code CallingInstance.memory}) does this on
   * every call.
   */
  public Optional<Export> export(String name) {
    return Optional.ofNullable(exportsByName.get(name));
  }

  /** The entries of the module's VMFuncRefs, found when the load checked them. */
  public EntryPoints entryPoints() {
    return entryPoints;
  }

  /** The address where {@code .text} offset {@code offset} is mapped. */
  public MemorySegment textAt(int offset) {
    return MemorySegment.ofAddress(textAddress + offset);
  }

  public ModuleInfo info() {
    return info;
  }

  public CwasmFile file() {
    return file;
  }

  /** {@code .kiln.data}: the bytes data segments refer to. */
  public MemorySegment data() {
    return data;
  }

  /** The address of {@code key}'s code, if the artifact has it (one binary search of the index). */
  public Optional<MemorySegment> code(FuncKey key) {
    int start = file.functions().startOf(key);
    return start < 0 ? Optional.empty() : Optional.of(textAt(start));
  }

  @Override
  public Resume landingPad(long returnAddress) {
    int offset = returnOffset(returnAddress);
    return offset < 0 ? null : landings.find(offset);
  }

  @Override
  public StackMapTable.StackMap stackMap(long returnAddress) {
    int offset = returnOffset(returnAddress);
    return offset < 0 ? null : stackMaps.find(offset);
  }

  /**
   * Whether {@code returnAddress} returns into this module's {@code .text}: its call instruction,
   * at {@code returnAddress - 1}, lies inside it (the range {@link #framesAt} names frames in). Two
   * comparisons and a read of the unmapped flag; no table is read and nothing is made.
   */
  @Override
  public boolean contains(long returnAddress) {
    long offset = returnAddress - 1 - textAddress;
    return offset >= 0 && offset < textSize && !unmapped;
  }

  /** {@code returnAddress}'s offset into {@code .text}, or -1 outside it (a site's return offset is never 0). */
  private int returnOffset(long returnAddress) {
    long offset = returnAddress - textAddress;
    return offset <= 0 || offset >= textSize ? -1 : (int) offset;
  }

  /**
   * The frames of code address {@code pc} (a trap pc or a caller's return address), innermost
   * first, each with its function's name and wasm offset: the function containing {@code pc} and,
   * where calls were inlined into it, before it every inlined function whose code runs there (the
   * inline map's sites, each at the wasm offset of the call it replaced in the next frame out).
   * Empty outside this module's {@code .text}. A return address points just after its call, so the
   * lookup uses {@code pc - 1}: still inside the calling instruction.
   */
  @Override
  public synchronized List<WasmFrame> framesAt(long pc) {
    if (unmapped) {
      // The index and names are unmapped: a trap inspected after its module closed has no frames here.
      return List.of();
    }
    long offset = pc - 1 - textAddress;
    if (offset < 0 || offset >= textSize) {
      return List.of();
    }
    int textOffset = (int) offset;
    Optional<FuncKey> function = file.functions().keyAt(textOffset);
    if (function.isEmpty()) {
      return List.of();
    }
    List<WasmFrame> frames = new ArrayList<>();
    int wasm = file.addressMap().wasmOffsetAt(textOffset);
    InlineMap inlined = file.inlineMap();
    for (int site = inlined.siteAt(textOffset); site != InlineMap.NONE; site = inlined.parent(site)) {
      frames.add(frame(inlined.callee(site), wasm));
      wasm = inlined.callWasmOffset(site);
    }
    frames.add(frame(function.get(), wasm));
    return frames;
  }

  private WasmFrame frame(FuncKey key, int wasmOffset) {
    Optional<String> name = Optional.empty();
    if (key.kind() == FuncKeyKind.DEFINED_WASM_FUNCTION) {
      name = Optional.ofNullable(info.functionNames().get(importedFunctionCount + key.index()));
    }
    return new WasmFrame(key, name, wasmOffset == AddressMap.NONE ? OptionalInt.empty() : OptionalInt.of(wasmOffset));
  }

  /**
   * Whether the code was compiled with lazily initialised funcref tables (the compat setting {@link
   * TableStorage#LAZY_INIT_SETTING}): the tables' layout and the table init plan depend on it.
   */
  public boolean lazyTables() {
    return "true".equals(file.compat().settings().get(TableStorage.LAZY_INIT_SETTING));
  }

  /** Where {@code .text} is mapped. */
  public long textAddress() {
    return textAddress;
  }

  /**
   * Called by each instance as it is created: the code must stay mapped while it lives.
   *
   * @throws IllegalStateException if the module is closed
   */
  public void retain() {
    if (!instances.enter()) {
      dev.kiln.loader.sys.ThreadStack.requireRoom(UNMAP_ROOM, this);
      if (instances.closedAndEmpty()) {
        unmapIfUnused(); // the count taken back may have been the last one the close waited for
      }
      throw new IllegalStateException(name + " is closed; it cannot be instantiated");
    }
  }

  /**
   * Called when an instance is freed; the last one unmaps a closed module. The room for the unmap
   * is asked before the count is taken back: a release the overflow interrupted after that would be
   * made again by the free's retry, two counts for one instance.
   */
  public void release() {
    dev.kiln.loader.sys.ThreadStack.requireRoom(UNMAP_ROOM, this);
    if (instances.exit()) {
      unmapIfUnused();
    }
  }

  /**
   * Closes the module: no new instances. The file is unmapped now, or when the last instance still
   * running from it is freed (its VMFuncRefs and any call into it jump into the mapped code).
   * Idempotent.
   */
  @Override
  public void close() {
    dev.kiln.loader.sys.ThreadStack.requireRoom(UNMAP_ROOM, this);
    if (instances.close()) {
      unmapIfUnused();
    }
  }

  /**
   * Unmaps the file once: the close, the last release and a refused retain may each see no instance
   * left. Each step is counted done only once it returned, and {@link #close()} calls this again,
   * so an unmap a throwable interrupted (a {@code StackOverflowError} at any of its calls) is
   * finished by the next close instead of leaving the pages, the guard registration or an image
   * mapped for good (issue 35). Its callers ask for {@link #UNMAP_ROOM} first, before they change
   * anything.
   */
  private synchronized void unmapIfUnused() {
    if (unmapSteps == UNMAP_STEPS || !instances.closedAndEmpty()) {
      return;
    }
    unmapped = true; // first: lookups stop finding frames in what is about to go
    for (; unmapSteps < UNMAP_STEPS; unmapSteps++) {
      switch (unmapSteps) {
        case 0 -> landings.release();
        case 1 -> stackMaps.release();
        case 2 -> {
          // Mappings made from the images stay valid; no new ones are made (no instance can be).
          List<Optional<ImageFile>> images = memoryImages;
          for (int i = 0; images != null && i < images.size(); i++) {
            if (images.get(i).isPresent()) {
              images.get(i).get().close();
            }
          }
        }
        case 3 -> {
          if (wasmFaults != null) {
            wasmFaults.close();
          }
        }
        default -> {
          try {
            mapping.close();
          } catch (RuntimeException e) {
            throw e;
          } catch (Exception e) {
            throw new IllegalStateException("unmapping " + name + " failed", e);
          }
        }
      }
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
