package dev.kiln.compiler.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.Reloc;
import dev.kiln.codegen.RelocKind;
import dev.kiln.codegen.SourceMapping;
import dev.kiln.codegen.TrapSite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FunctionSpill}: the file a large compile keeps its finished functions in. What it gives
 * back is what it was given, whichever threads wrote side by side, and the file never has a name
 * another process could open it by.
 */
class FunctionSpillTest {
  @TempDir
  Path directory;

  private static CompiledFunction function(int seed) {
    Random random = new Random(seed);
    byte[] code = new byte[1 + random.nextInt(3000)];
    random.nextBytes(code);
    List<SourceMapping> map = new ArrayList<>();
    for (int i = 0; i < code.length / 10; i++) {
      map.add(new SourceMapping(10 * i, random.nextInt(1 << 20), -1));
    }
    return new CompiledFunction(code, List.of(new Reloc(0, RelocKind.X86_CALL_PC_REL4, seed, -4)),
        List.of(new TrapSite(code.length - 1, seed % 10)), map);
  }

  @Test
  void functionsWrittenByTwoThreadsReadBackAsWritten() throws Exception {
    try (FunctionSpill spill = FunctionSpill.open(directory)) {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Future<FunctionSpill.Spilled>> places = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        int seed = i;
        places.add(pool.submit(() -> (FunctionSpill.Spilled) spill.keep(function(seed))));
      }
      pool.shutdown();
      for (int i = 0; i < places.size(); i++) {
        CompiledFunction written = function(i);
        FunctionSpill.Spilled place = places.get(i).get();
        assertEquals(written.size(), place.codeSize());
        assertArrayEquals(written.calleeKeys(), place.calleeKeys());
        CompiledFunction read = spill.load(place);
        assertArrayEquals(written.code(), read.code(), "function " + i);
        assertEquals(written.relocs(), read.relocs());
        assertEquals(written.trapSites(), read.trapSites());
        assertEquals(written.sourceMap(), read.sourceMap());
      }
    }
  }

  @Test
  void theFileHasNoNameFromItsFirstUse() throws IOException {
    try (FunctionSpill spill = FunctionSpill.open(directory)) {
      spill.keep(function(1));
      try (Stream<Path> files = Files.list(directory)) {
        assertEquals(List.of(), files.toList(), "nothing to open by name");
      }
    }
  }

  @Test
  void aDirectoryThatCannotTakeTheFileIsNamedInTheError() {
    Path missing = directory.resolve("missing");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> FunctionSpill.open(missing));
    FileSystemException cause = (FileSystemException) e.getCause();
    assertEquals(missing.toString(), cause.getFile());
    assertTrue(cause.getReason().startsWith("cannot make a file for the compile's finished functions"),
        cause.getReason());
  }

  @Test
  void aFileSystemThatIgnoresTheModeAskedForGetsNoSpillAndNoFileLeft() throws IOException {
    Path shared = HostileFileSystem.over(directory, HostileFileSystem.Behaviour.IGNORES_MODE);
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> FunctionSpill.open(shared).close(),
        "a file others may open for writing would carry their code into the artifact");
    String reason = ((FileSystemException) e.getCause()).getReason();
    assertTrue(reason.contains("made with mode 666 for user"), reason);
    try (Stream<Path> files = Files.list(directory)) {
      assertEquals(List.of(), files.toList(), "the refused file is removed");
    }
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // without the bound: a loop forever
  void aFileSystemThatSaysEveryNameExistsEndsTheSearchForANameWithAnError() {
    Path lying = HostileFileSystem.over(directory, HostileFileSystem.Behaviour.EVERY_NAME_EXISTS);
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> FunctionSpill.open(lying).close(),
        "a mount that answers every exclusive create with EEXIST must not keep the compile looping");
    String reason = ((FileSystemException) e.getCause()).getReason();
    assertTrue(reason.contains(FunctionSpill.NAME_ATTEMPTS + " random names in a row already existed"), reason);
  }

  /** The rule of that check on the modes and owners no file system of this machine's gives: another user's file in its place. */
  @Test
  void onlyAFileOfThisUsersWithMode600IsKept() {
    assertEquals(Optional.empty(), FunctionSpill.whyNotPrivate(0100600, 1000, 1000));
    assertEquals(Optional.of("made with mode 644 for user 1000, not 600 for user 1000"),
        FunctionSpill.whyNotPrivate(0100644, 1000, 1000));
    assertTrue(FunctionSpill.whyNotPrivate(0100600, 1001, 1000).isPresent(),
        "vfat mounted uid=another,fmask=0177: rw------- but another user's");
  }

  @Test
  void aClosedSpillIsNotReadAsIfItHeldSomething() {
    FunctionSpill spill = FunctionSpill.open(directory);
    FunctionSpill.Spilled place = (FunctionSpill.Spilled) spill.keep(function(3));
    spill.close();
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> spill.load(place));
    assertEquals("cannot read back the compile's finished functions (the file is closed)",
        ((FileSystemException) e.getCause()).getReason());
  }

  /** A write that fails on a file that is still open (a full disk) keeps that function and every later one in memory. */
  @Test
  void aFunctionTheFileCannotTakeStaysInMemoryAndSoDoEveryLaterOne() throws IOException {
    try (FunctionSpill spill = new FunctionSpill(directory, new FullDisk(directory.resolve("full")))) {
      CompiledFunction f = function(4);
      CompiledFunctions.Held kept = spill.keep(f);
      assertSame(f, ((CompiledFunctions.Resident) kept).function());
      assertTrue(spill.keep(function(5)) instanceof CompiledFunctions.Resident);
    }
  }

  /** A file whose every write fails as on a full disk ({@code ENOSPC}); the rest is the real file's. */
  private static final class FullDisk extends FileChannel {
    private final FileChannel file;

    FullDisk(Path path) throws IOException {
      file = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @Override
    public int write(ByteBuffer source, long position) throws IOException {
      throw new IOException("No space left on device");
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
      throw new IOException("No space left on device");
    }

    @Override
    public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
      throw new IOException("No space left on device");
    }

    @Override
    public int read(ByteBuffer destination) throws IOException {
      return file.read(destination);
    }

    @Override
    public long read(ByteBuffer[] destinations, int offset, int length) throws IOException {
      return file.read(destinations, offset, length);
    }

    @Override
    public int read(ByteBuffer destination, long position) throws IOException {
      return file.read(destination, position);
    }

    @Override
    public long position() throws IOException {
      return file.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      file.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return file.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      file.truncate(size);
      return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      file.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
      return file.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel source, long position, long count) throws IOException {
      throw new IOException("No space left on device");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      return file.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return file.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return file.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      file.close();
    }
  }

  @Test
  void anInterruptedWriteSaysSoRatherThanNull() {
    // An embedder's compile thread interrupted (a cancelled task): the JDK's exception has no message,
    // and the interrupt closes the file with every function already in it.
    try (FunctionSpill spill = FunctionSpill.open(directory)) {
      Thread.currentThread().interrupt();
      UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> spill.keep(function(4)));
      assertEquals("cannot write the compile's finished functions (the thread was interrupted, which closes the file)",
          ((FileSystemException) e.getCause()).getReason());
    } finally {
      Thread.interrupted();
    }
  }
}
