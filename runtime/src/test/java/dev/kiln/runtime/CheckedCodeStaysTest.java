package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.wat.Wat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What runs can never change after its checks, on every load path and both targets (x86-64 native,
 * AArch64 on Unicorn): a {@code .cwasm} file loaded with {@link WasmModule#load}, a compiled-module
 * cache entry, and bytes given to {@link WasmModule#deserialize}. Tried as a writer of the file
 * would: after the load the file is overwritten in place with another module's artifact (whose
 * {@code .text} returns another number), then truncated to nothing; the loaded module must go on
 * returning its own number, in the instance made before and in new ones, and the process must not
 * take a SIGBUS. With the cache, a genuine entry of another module planted under this module's name
 * must be refused and this module's code must run.
 */
class CheckedCodeStaysTest {
  private static final int OURS = 4242;
  private static final int THEIRS = 6666;

  @TempDir Path dir;

  private static byte[] returning(int value) {
    return Wat.toBinaryWithNames("(module (func (export \"f\") (result i32) (i32.const " + value + ")))", "test.wat");
  }

  private static int call(Store store, WasmModule module) {
    return new Linker(store).instantiate(module).func("f", IntSupplier.class).getAsInt();
  }

  private static byte[] artifact(Engine engine, int value) {
    try (WasmModule module = WasmModule.compile(engine, returning(value))) {
      return module.serialize();
    }
  }

  /** Writes {@code bytes} over the start of {@code file} in place (same inode, no truncation), as cp does. */
  private static void overwriteInPlace(Path file, byte[] bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(bytes), 0);
    }
  }

  private static void truncate(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(0);
    }
  }

  /** Calls the module's code before and after its file is rewritten in place and truncated. */
  private static void assertUnchangedByItsFile(Store store, WasmModule module, Path file, byte[] other)
      throws IOException {
    IntSupplier before = new Linker(store).instantiate(module).func("f", IntSupplier.class);
    assertEquals(OURS, before.getAsInt());
    overwriteInPlace(file, other);
    assertEquals(OURS, before.getAsInt(), "the instance made before the file was rewritten");
    assertEquals(OURS, call(store, module), "an instance made after the file was rewritten");
    truncate(file);
    assertEquals(OURS, before.getAsInt(), "after the file was truncated");
    assertEquals(OURS, call(store, module), "an instance made after the file was truncated");
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aLoadedFileRewrittenOrTruncatedInPlaceChangesNothingThatRuns(Target target) throws IOException {
    Engine engine = Engine.builder().target(target).build();
    byte[] theirs = artifact(engine, THEIRS);
    Path file = Files.write(dir.resolve("ours.cwasm"), artifact(engine, OURS));
    try (WasmModule module = WasmModule.load(engine, file); Store store = new Store(engine)) {
      assertUnchangedByItsFile(store, module, file, theirs);
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aCacheEntryRewrittenOrTruncatedInPlaceChangesNothingThatRuns(Target target) throws IOException {
    Engine engine = Engine.builder().target(target).moduleCache(dir.resolve("cache"), 1 << 30).build();
    byte[] theirs = artifact(Engine.builder().target(target).build(), THEIRS);
    for (int round = 0; round < 2; round++) {
      if (round == 1) {
        // Replaces the entry truncated in round 0, so that this round's module is a hit.
        WasmModule.compile(engine, returning(OURS)).close();
      }
      // Round 0: the entry just stored, then opened from its file; round 1: a hit.
      try (WasmModule module = WasmModule.compile(engine, returning(OURS)); Store store = new Store(engine)) {
        assertUnchangedByItsFile(store, module, onlyEntry(dir.resolve("cache")), theirs);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void bytesChangedAfterDeserializingChangeNothingThatRuns(Target target) {
    Engine engine = Engine.builder().target(target).build();
    byte[] bytes = artifact(engine, OURS);
    byte[] theirs = artifact(engine, THEIRS);
    try (WasmModule module = WasmModule.deserialize(engine, bytes); Store store = new Store(engine)) {
      System.arraycopy(theirs, 0, bytes, 0, Math.min(bytes.length, theirs.length));
      assertEquals(OURS, call(store, module));
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void anotherModulesEntryPlantedUnderThisModulesNameIsRefusedAndThisModuleRuns(Target target)
      throws IOException {
    Path cache = dir.resolve("cache");
    Engine engine = Engine.builder().target(target).moduleCache(cache, 1 << 30).build();
    WasmModule.compile(engine, returning(OURS)).close();
    Path ours = onlyEntry(cache);
    Files.delete(ours);
    WasmModule.compile(engine, returning(THEIRS)).close();
    // Their entry, tagged by this very user's key for their module, under our module's name.
    Files.move(onlyEntry(cache), ours);
    try (WasmModule module = WasmModule.compile(engine, returning(OURS)); Store store = new Store(engine)) {
      assertEquals(OURS, call(store, module));
    }
    try (WasmModule module = WasmModule.compile(engine, returning(OURS)); Store store = new Store(engine)) {
      assertEquals(OURS, call(store, module), "the entry that replaced the planted one");
    }
  }

  private static Path onlyEntry(Path cache) throws IOException {
    try (Stream<Path> files = Files.list(cache)) {
      List<Path> entries = files.filter(p -> p.toString().endsWith(".cwasm")).toList();
      assertEquals(1, entries.size(), entries.toString());
      return entries.getFirst();
    }
  }
}
