package dev.kiln.tests.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.elf.ArtifactFileWriter;
import dev.kiln.artifact.elf.BoundedFileReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file channel copies a heap array through a direct buffer as large as the part of it handed
 * over in one call, and keeps that buffer for the thread (sun.nio.ch.Util's temporary buffer
 * cache); the JVM counts it in the "direct" buffer pool. {@code kiln compile} read a 30 MB module
 * in one call (30 MB of native memory for the rest of the compile) and wrote its 70 MB artifact in
 * one call, at the end, when the heap is at its largest. Each test here fails with the whole file
 * handed over at once.
 */
class NativeCopyBufferTest {
  private static final int LARGE = 8 * ArtifactFileWriter.IO_SLICE_BYTES + 5;

  @TempDir Path dir;

  @Test
  void aLargeModuleIsReadThroughANativeBufferOfOneSliceNotOfTheFileSize() throws Exception {
    byte[] content = new byte[LARGE];
    content[LARGE - 1] = 7;
    Path module = Files.write(dir.resolve("large.wasm"), content);
    AtomicReference<byte[]> read = new AtomicReference<>();
    long grown = nativeBufferGrowth(() -> read.set(BoundedFileReader.read(module, Integer.MAX_VALUE - 8, "a module")));
    assertArrayEquals(content, read.get());
    assertTrue(grown <= ArtifactFileWriter.IO_SLICE_BYTES, "native copy buffers grew by " + grown + " bytes");
  }

  @Test
  void aLargeArtifactIsWrittenThroughANativeBufferOfOneSliceNotOfItsSize() throws Exception {
    byte[] artifact = new byte[LARGE];
    Arrays.fill(artifact, (byte) 0x5A);
    Path target = dir.resolve("large.cwasm");
    long grown = nativeBufferGrowth(() -> ArtifactFileWriter.write(target, artifact));
    assertArrayEquals(artifact, Files.readAllBytes(target));
    assertTrue(grown <= ArtifactFileWriter.IO_SLICE_BYTES, "native copy buffers grew by " + grown + " bytes");
  }

  private interface IoWork {
    void run() throws Exception;
  }

  /**
   * How much the direct buffer pool grows while {@code work} runs on a new thread (whose buffer
   * cache starts empty), measured before the thread ends and frees its cache.
   */
  private static long nativeBufferGrowth(IoWork work) throws Exception {
    BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(pool -> pool.getName().equals("direct")).findFirst().orElseThrow();
    AtomicLong grown = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    Thread thread = new Thread(() -> {
      long before = direct.getMemoryUsed();
      try {
        work.run();
      } catch (Exception e) {
        failure.set(e);
      }
      grown.set(direct.getMemoryUsed() - before);
    });
    thread.start();
    thread.join();
    if (failure.get() != null) {
      throw failure.get();
    }
    return grown.get();
  }
}
