package dev.kiln.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.compat.CompatHeader;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.wasm.Wasm;
import java.io.IOException;
import dev.kiln.artifact.seal.ArtifactSeal;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Optional;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compiled-module cache with real artifacts (examples/hello.wasm for x86-64): hits, misses, the
 * key's parts, damaged entries, the size bound and a cache that cannot store.
 */
class ModuleCacheTest {
  private static final Path HELLO = Path.of("../examples/hello.wasm");
  private static final String BUILD = "kiln dev build 1";

  @TempDir Path dir;
  /** The user's configuration directory, where the cache's key is made: never inside the cache. */
  @TempDir Path config;

  /** A cache in {@code directory} whose key is this test's. */
  ModuleCache cacheAt(Path directory, long maxBytes, String build) {
    return ModuleCache.at(directory, config.resolve("kiln").resolve("cache.key"), maxBytes, build);
  }

  /** A compile of {@code wasm} with {@code options}, counting its calls, and the header it writes. */
  record Compile(byte[] wasm, CompileOptions options, String kilnVersion, AtomicInteger calls)
      implements Supplier<byte[]> {
    Compile(byte[] wasm, CompileOptions options) {
      this(wasm, options, "dev", new AtomicInteger());
    }

    private static final X64Backend BACKEND = new X64Backend(CpuFeatures.parse("baseline"), false);

    CompatHeader header() {
      return CompatHeader.current(kilnVersion, Target.X86_64, Compiler.settings(BACKEND, options));
    }

    @Override
    public byte[] get() {
      calls.incrementAndGet();
      CompiledModule compiled = Compiler.compile(Wasm.load(wasm), BACKEND, options);
      return ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), kilnVersion);
    }
  }

  static Compile hello() throws IOException {
    return new Compile(Files.readAllBytes(HELLO), new CompileOptions(1));
  }

  /**
   * An opener that reads the entry and opens it with {@link CwasmFile} (seal and tag, structure),
   * compares its header and keeps nothing open: it gives back the entry's path.
   */
  static final ModuleCache.Opener<Path> CHECKED_PATH = (entry, expected, tagKey) -> {
    CwasmFile file = CwasmFile.open(MemorySegment.ofArray(Files.readAllBytes(entry)), Optional.of(tagKey));
    ModuleCache.requireHeader(entry, file.compat(), expected);
    return entry;
  };

  static byte[] withoutSeal(byte[] artifact) {
    return Arrays.copyOf(artifact, artifact.length - ArtifactSeal.SIZE);
  }

  static CachedArtifact<Path> lookup(ModuleCache cache, Compile compile) {
    return cache.lookup(compile.wasm(), compile.header(), compile, CHECKED_PATH);
  }

  /** The entry's path, after checking it is a whole artifact equal to a fresh compile's. */
  private static Path assertStoredArtifact(CachedArtifact<Path> result, Compile compile) throws IOException {
    Path path = switch (result) {
      case CachedArtifact.Hit<Path> hit -> hit.path();
      case CachedArtifact.Compiled<Path> stored -> stored.path();
      case CachedArtifact.NotStored<Path> notStored -> throw new AssertionError("not stored", notStored.reason());
      case CachedArtifact.Refused<Path> refused -> throw new AssertionError("refused", refused.reason());
    };
    try (Arena arena = Arena.ofConfined()) {
      assertEquals(compile.header(), CwasmFile.read(path, arena).compat());
    }
    // The compiler's bytes; only the seal differs, which now carries the entry's tag (checked on open).
    byte[] fresh = new Compile(compile.wasm(), compile.options(), compile.kilnVersion(), new AtomicInteger()).get();
    byte[] stored = Files.readAllBytes(path);
    assertEquals(fresh.length, stored.length);
    assertArrayEquals(withoutSeal(fresh), withoutSeal(stored));
    return path;
  }

  private static CachedArtifact<Path> compiled(Path entry, boolean replaced) {
    return new CachedArtifact.Compiled<>(entry, replaced, entry);
  }

  private static CachedArtifact<Path> hit(Path entry) {
    return new CachedArtifact.Hit<>(entry, entry);
  }

  @Test
  void aMissCompilesAndStoresAndTheNextLookupOnlyMaps() throws IOException {
    ModuleCache cache = cacheAt(dir, ModuleCache.DEFAULT_MAX_BYTES, BUILD);
    Compile compile = hello();
    CachedArtifact<Path> first = lookup(cache, compile);
    assertEquals(compiled(assertStoredArtifact(first, compile), false), first);
    CachedArtifact<Path> second = lookup(cache, compile);
    assertEquals(hit(((CachedArtifact.Compiled<Path>) first).path()), second);
    assertEquals(1, compile.calls().get(), "a hit does not compile");
    assertEquals(1, cache.stats().entries());
  }

  /**
   * A compile that ends past the budget bound to its thread stores nothing (red team 29 F4: the
   * cache signed, wrote and evicted a 300 MB entry 10 s past {@code --timeout} and kept it).
   */
  @Test
  void aCompileThatEndsPastTheBudgetStoresNothing() throws IOException {
    ModuleCache cache = cacheAt(dir, ModuleCache.DEFAULT_MAX_BYTES, BUILD);
    Compile compile = hello();
    byte[] artifact = compile.get();
    // the budget runs out while the module compiles: the compile itself does not poll here
    dev.kiln.deadline.CompileDeadline spent = dev.kiln.deadline.CompileDeadline.after(java.time.Duration.ZERO);
    assertThrows(dev.kiln.deadline.CompileTimeoutException.class, () -> spent.call(
        () -> cache.lookup(compile.wasm(), compile.header(), () -> artifact.clone(), CHECKED_PATH)));
    assertEquals(0, cache.stats().entries());
    CachedArtifact<Path> later = lookup(cache, compile); // without a budget: stored as usual
    assertStoredArtifact(later, compile);
  }

  @Test
  void aTruncatedOrCorruptedEntryIsCompiledAgainAndReplaced() throws IOException {
    ModuleCache cache = cacheAt(dir, ModuleCache.DEFAULT_MAX_BYTES, BUILD);
    Compile compile = hello();
    Path entry = assertStoredArtifact(lookup(cache, compile), compile);
    byte[] good = Files.readAllBytes(entry);

    Files.write(entry, java.util.Arrays.copyOf(good, good.length / 2));
    CachedArtifact<Path> afterTruncation = lookup(cache, compile);
    assertEquals(compiled(entry, true), afterTruncation);
    assertStoredArtifact(afterTruncation, compile);

    byte[] flipped = good.clone();
    flipped[good.length / 3] ^= 0x10; // inside .text or a table: the CRC32C seal no longer matches
    Files.write(entry, flipped);
    assertEquals(compiled(entry, true), lookup(cache, compile));
    assertStoredArtifact(lookup(cache, compile), compile);

    Files.write(entry, new byte[0]);
    assertEquals(compiled(entry, true), lookup(cache, compile));
    assertEquals(4, compile.calls().get(), "three repairs after the first compile, then one hit");
  }

  @Test
  void aChangedSettingIsAnotherEntry() throws IOException {
    ModuleCache cache = cacheAt(dir, ModuleCache.DEFAULT_MAX_BYTES, BUILD);
    Compile plain = hello();
    Compile epochs = new Compile(plain.wasm(), plain.options().withLimits(new ExecutionLimits(true, false)));
    Compile eager = new Compile(plain.wasm(), plain.options().withTableLazyInit(false));
    Path a = assertStoredArtifact(lookup(cache, plain), plain);
    Path b = assertStoredArtifact(lookup(cache, epochs), epochs);
    Path c = assertStoredArtifact(lookup(cache, eager), eager);
    assertEquals(3, java.util.Set.of(a, b, c).size());
    assertInstanceOf(CachedArtifact.Hit.class, lookup(cache, epochs));
    // jobs changes how fast, not what: the same entry.
    Compile twoJobs = new Compile(plain.wasm(), new CompileOptions(2));
    assertEquals(hit(a), lookup(cache, twoJobs));
    assertEquals(0, twoJobs.calls().get());
  }

  @Test
  void anotherKilnVersionOrBuildIsAnotherEntryAndAForeignEntryUnderTheKeyIsReplaced() throws IOException {
    Compile dev = hello();
    Compile release = new Compile(dev.wasm(), dev.options(), "0.2.0", new AtomicInteger());
    ModuleCache cache = cacheAt(dir, ModuleCache.DEFAULT_MAX_BYTES, BUILD);
    Path devEntry = assertStoredArtifact(lookup(cache, dev), dev);
    Path releaseEntry = assertStoredArtifact(lookup(cache, release), release);
    assertNotEquals(devEntry, releaseEntry);

    ModuleCache rebuilt = cacheAt(dir, ModuleCache.DEFAULT_MAX_BYTES, "kiln dev build 2");
    CachedArtifact<Path> afterRebuild = lookup(rebuilt, dev);
    assertInstanceOf(CachedArtifact.Compiled.class, afterRebuild);
    assertNotEquals(devEntry, assertStoredArtifact(afterRebuild, dev));

    // A file written by another version, put where this version's entry belongs, is not trusted.
    Files.copy(releaseEntry, devEntry, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertEquals(compiled(devEntry, true), lookup(cache, dev));
    assertStoredArtifact(lookup(cache, dev), dev);
  }

  @Test
  void aFullCacheEvictsTheLeastRecentlyUsedEntries() throws IOException {
    Compile plain = hello();
    Compile epochs = new Compile(plain.wasm(), plain.options().withLimits(new ExecutionLimits(true, false)));
    Compile fuel = new Compile(plain.wasm(), plain.options().withLimits(new ExecutionLimits(false, true)));
    long entrySize = plain.get().length;
    // Room for two entries of about this size, not three.
    ModuleCache cache = cacheAt(dir, entrySize * 5 / 2, BUILD);
    Path a = assertStoredArtifact(lookup(cache, plain), plain);
    Path b = assertStoredArtifact(lookup(cache, epochs), epochs);
    Files.setLastModifiedTime(a, FileTime.fromMillis(1_000_000));
    Files.setLastModifiedTime(b, FileTime.fromMillis(2_000_000));
    assertEquals(hit(a), lookup(cache, plain)); // a is now the most recently used
    Path c = assertStoredArtifact(lookup(cache, fuel), fuel);
    assertTrue(Files.exists(a) && Files.exists(c));
    assertTrue(Files.notExists(b), "the least recently used entry was evicted");
    assertEquals(2, cache.stats().entries());
    // The evicted module still runs: compiled again.
    assertInstanceOf(CachedArtifact.Compiled.class, lookup(cache, epochs));

    // An entry larger than the whole bound is still stored (and used); the others make room.
    ModuleCache tiny = cacheAt(dir.resolve("tiny"), 1, BUILD);
    assertStoredArtifact(lookup(tiny, plain), plain);
    assertStoredArtifact(lookup(tiny, epochs), epochs);
    assertEquals(1, tiny.stats().entries());
  }

  @Test
  void aCacheThatCannotStoreStillGivesTheArtifact() throws IOException {
    Path notADirectory = Files.writeString(dir.resolve("file"), "x");
    Compile compile = hello();
    CachedArtifact<Path> result = cacheAt(notADirectory, ModuleCache.DEFAULT_MAX_BYTES, BUILD).lookup(
        compile.wasm(), compile.header(), compile, CHECKED_PATH);
    CachedArtifact.NotStored<?> notStored = assertInstanceOf(CachedArtifact.NotStored.class, result);
    assertArrayEquals(compile.get(), notStored.artifact());

    // A directory where the entry belongs cannot be read as one nor replaced: compiled, not stored.
    Path cacheDir = Files.createDirectory(dir.resolve("cache"));
    Files.createDirectories(cacheDir.resolve(CacheKey.of(BUILD, compile.header(), compile.wasm()).hex() + ".cwasm")
        .resolve("inside"));
    CachedArtifact<Path> blocked = cacheAt(cacheDir, ModuleCache.DEFAULT_MAX_BYTES, BUILD).lookup(
        compile.wasm(), compile.header(), compile, CHECKED_PATH);
    // Tagged for the entry it was to be: the compiler's bytes but for the seal.
    assertArrayEquals(withoutSeal(compile.get()),
        withoutSeal(assertInstanceOf(CachedArtifact.NotStored.class, blocked).artifact()));
  }

  @Test
  void cleanDeletesEntriesAndLeftoverTemporaryFilesOnly() throws IOException {
    ModuleCache cache = cacheAt(dir, ModuleCache.DEFAULT_MAX_BYTES, BUILD);
    Path entry = assertStoredArtifact(lookup(cache, hello()), hello());
    Files.writeString(dir.resolve("." + entry.getFileName() + ".1234.tmp"), "left by a killed writer");
    Files.writeString(dir.resolve(".cache.key.5678.tmp"), "left by a killed writer of the secret");
    String entryLike = "a".repeat(64) + ".cwasm";
    List<Path> unrelated = List.of(Files.writeString(dir.resolve("notes.txt"), "not ours"),
        Files.writeString(dir.resolve("app.cwasm"), "the user's own artifact"),
        Files.writeString(dir.resolve(".app.cwasm.1234.tmp"), "another writer's"),
        Files.writeString(dir.resolve(entry.getFileName().toString().toUpperCase(java.util.Locale.ROOT)), "no key's"),
        Files.writeString(dir.resolve("." + entry.getFileName() + "..tmp"), "no writer's: no random part"),
        Files.writeString(dir.resolve(".cache.key.mine.tmp"), "no writer's: not a number"),
        Files.createDirectory(dir.resolve("b".repeat(64) + ".cwasm")),
        Files.writeString(Files.createDirectory(dir.resolve(entryLike)).resolve("inside"), "a folder's"));
    assertEquals(3, cache.clean());
    assertEquals(0, cache.stats().entries());
    unrelated.forEach(file -> assertTrue(Files.exists(file), file + " is not the cache's"));
    assertEquals(0, cacheAt(dir.resolve("missing"), 1, BUILD).clean());
  }

  /**
   * A folder named as the cache may hold the user's own artifacts: the size bound counts and evicts
   * only the cache's entries, named by their key (red team 104: a build folder's {@code .cwasm}
   * files were evicted as entries).
   */
  @Test
  void theBoundEvictsOnlyTheCachesOwnEntries() throws IOException {
    Path mine = Files.write(dir.resolve("app.cwasm"), new byte[4096]);
    Path folder = Files.createDirectory(dir.resolve("c".repeat(64) + ".cwasm"));
    Files.writeString(folder.resolve("inside"), "a folder named as an entry would be");
    Path emptyFolder = Files.createDirectory(dir.resolve("d".repeat(64) + ".cwasm"));
    for (Path p : List.of(mine, folder, emptyFolder)) {
      Files.setLastModifiedTime(p, FileTime.fromMillis(1_000));
    }
    ModuleCache cache = cacheAt(dir, 1, BUILD);
    assertStoredArtifact(lookup(cache, hello()), hello());
    assertTrue(Files.exists(mine) && Files.exists(folder) && Files.exists(emptyFolder),
        "the user's files, older than every entry, are no entries to evict");
    assertEquals(1, cache.stats().entries());
  }

  @Test
  void theDefaultDirectoryFollowsXdg() {
    assertEquals(Path.of("/x/cache/kiln"), ModuleCache.defaultDirectory(Map.of("XDG_CACHE_HOME", "/x/cache",
        "HOME", "/home/u")));
    assertEquals(Path.of("/home/u/.cache/kiln"), ModuleCache.defaultDirectory(Map.of("HOME", "/home/u")));
    assertEquals(Path.of("/home/u/.cache/kiln"), ModuleCache.defaultDirectory(Map.of("XDG_CACHE_HOME", "",
        "HOME", "/home/u")));
    assertEquals(Path.of("/home/u/.cache/kiln"), ModuleCache.defaultDirectory(Map.of("XDG_CACHE_HOME", "rel",
        "HOME", "/home/u")), "a relative XDG_CACHE_HOME is ignored");
    assertThrows(IllegalArgumentException.class, () -> cacheAt(dir, -1, BUILD));
  }
}
