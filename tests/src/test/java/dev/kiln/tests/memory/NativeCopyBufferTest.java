package dev.kiln.tests.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.elf.ArtifactFileWriter;
import dev.kiln.artifact.elf.BoundedFileReader;
import dev.kiln.tests.support.ForkedJvm;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file channel copies a heap array through native memory as large as the part of it handed over
 * in one call, and keeps that buffer for the thread (sun.nio.ch.Util's temporary buffer cache,
 * {@code Unsafe.allocateMemory}, which native memory tracking counts under "Other"). {@code kiln
 * compile} read a 30 MB module in one call (30 MB of native memory for the rest of the compile)
 * and wrote its 70 MB artifact in one call, at the end, when the heap is at its largest. Each test
 * runs the read or the write in a child JVM with native memory tracking and fails when that memory
 * grows by more than a slice: it grows by the file's size with the whole file handed over at once.
 */
class NativeCopyBufferTest {
  private static final int LARGE = 16 * ArtifactFileWriter.IO_SLICE_BYTES + 5;
  /** One slice, and room for the JDK's other small native allocations meanwhile. */
  private static final long BOUND = 2L * ArtifactFileWriter.IO_SLICE_BYTES;

  @TempDir Path dir;

  @Test
  void aLargeModuleIsReadThroughNativeMemoryOfOneSliceNotOfTheFileSize() throws Exception {
    Path module = Files.write(dir.resolve("large.wasm"), new byte[LARGE]);
    assertTrue(grownBy("read", module) <= BOUND);
  }

  @Test
  void aLargeArtifactIsWrittenThroughNativeMemoryOfOneSliceNotOfItsSize() throws Exception {
    assertTrue(grownBy("write", dir.resolve("large.cwasm")) <= BOUND);
    assertEquals(LARGE, Files.size(dir.resolve("large.cwasm")));
  }

  private static long grownBy(String what, Path file) {
    ForkedJvm.Outcome outcome = ForkedJvm.run(List.of("-XX:NativeMemoryTracking=summary", "-Xmx256m"),
        Child.class, what, file.toString());
    assertEquals(0, outcome.exit(), outcome.describe());
    long grown = Long.parseLong(outcome.out().strip());
    System.out.println(what + ": native memory (Other) grew by " + grown + " bytes");
    return grown;
  }

  /** Reads or writes ({@code args[0]}) the file {@code args[1]} and prints how much "Other" grew. */
  public static final class Child {
    private static final Pattern OTHER = Pattern.compile("Other \\(reserved=\\d+KB, committed=(\\d+)KB\\)");

    public static void main(String[] args) throws Exception {
      Path file = Path.of(args[1]);
      byte[] bytes = new byte[LARGE];
      Arrays.fill(bytes, (byte) 0x5A);
      long before = otherCommitted();
      if (args[0].equals("read")) {
        bytes = BoundedFileReader.read(file, Integer.MAX_VALUE - 8, "a module");
      } else {
        ArtifactFileWriter.write(file, bytes);
      }
      long after = otherCommitted();
      if (bytes.length != LARGE) {
        throw new IllegalStateException("read " + bytes.length + " bytes of " + LARGE);
      }
      System.out.println(after - before);
    }

    /** Native memory tracking's "Other" committed bytes (jcmd PID VM.native_memory summary). */
    private static long otherCommitted() throws Exception {
      String summary = (String) ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
          new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
      Matcher m = OTHER.matcher(summary);
      if (!m.find()) {
        throw new IllegalStateException("no \"Other\" line in the native memory summary:\n" + summary);
      }
      return Long.parseLong(m.group(1)) * 1024;
    }
  }
}
