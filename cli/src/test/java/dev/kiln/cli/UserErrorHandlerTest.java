package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** A file the user named that cannot be used is one line naming it and why, exit 1, no class name. */
class UserErrorHandlerTest {
  private static String report(Exception e) {
    StringWriter text = new StringWriter();
    try (PrintWriter err = new PrintWriter(text)) {
      assertEquals(1, UserErrorHandler.handle(e, err));
    }
    return text.toString().strip();
  }

  @Test
  void fileErrorsNameTheFileAndTheReason() {
    assertEquals("error: no such file: in.wasm", report(new NoSuchFileException("in.wasm")));
    assertEquals("error: out: no such directory for out/x.cwasm",
        report(new NoSuchFileException("out", null, "no such directory for out/x.cwasm")));
    assertEquals("error: in.wasm: permission denied", report(new AccessDeniedException("in.wasm")));
    assertEquals("error: in.wasm: Input/output error",
        report(new FileSystemException("in.wasm", null, "Input/output error")));
    assertEquals("error: in.wasm: permission denied",
        report(new UncheckedIOException(new AccessDeniedException("in.wasm"))));
  }

  @Test
  void anIoErrorWithoutAFileIsItsMessageNotItsClass() {
    assertEquals("error: Is a directory", report(new IOException("Is a directory")));
    assertEquals("error: input or output failed", report(new IOException()));
  }

  @Test
  void aHeapTooSmallIsOneLineSayingHowToRaiseItWhereverItRanOut() {
    long maxMegabytes = Runtime.getRuntime().maxMemory() / (1 << 20);
    String expected = "error: the JVM ran out of Java heap (at most " + maxMegabytes
        + " MB); give it more with JAVA_TOOL_OPTIONS=-Xmx<size>, e.g. -Xmx4g";
    // As the compiler's worker pool wraps an error of one of its threads.
    assertEquals(expected, report(new IllegalStateException("compilation worker failed",
        new OutOfMemoryError("Java heap space"))));
    assertEquals(expected, outOfMemory(new OutOfMemoryError("GC overhead limit exceeded")));
  }

  /** As the compiler's driver wraps a stack overflow of one function's compile: one line, exit 1. */
  @Test
  void aStackOverflowInACompileIsOneLineNotAnInternalError() {
    assertEquals("error: lowering of function 3 failed: the module is nested too deeply for the compiler's"
        + " thread stack (a StackOverflowError)",
        report(new IllegalStateException("lowering of function 3 failed: null", new StackOverflowError())));
  }

  @Test
  void otherKindsOfOutOfMemoryAreNamedWithoutAdviceAboutTheHeap() {
    assertEquals("error: out of memory: unable to create native thread: possibly out of memory or process/resource limits reached",
        outOfMemory(new OutOfMemoryError(
            "unable to create native thread: possibly out of memory or process/resource limits reached")));
    assertEquals("error: out of memory: Required array size too large",
        report(new java.io.UncheckedIOException(new IOException("reading in.wasm",
            new OutOfMemoryError("Required array size too large")))));
  }

  private static String outOfMemory(OutOfMemoryError e) {
    StringWriter text = new StringWriter();
    try (PrintWriter err = new PrintWriter(text)) {
      assertEquals(1, UserErrorHandler.outOfMemory(e, err));
    }
    return text.toString().strip();
  }
}
