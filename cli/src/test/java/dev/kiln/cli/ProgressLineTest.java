package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.tools.ProgressListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ProgressLine}: silent for quick compiles, one redrawn line for long ones, erased at the end. */
class ProgressLineTest {
  @Test
  void aLongCompileDrawsOneLineInPlaceAndErasesIt() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    AtomicLong now = new AtomicLong();
    ProgressLine line = new ProgressLine(err, "big.wasm", now::get);
    now.set(2 * ProgressLine.DELAY_NANOS);
    line.finished(1, 8);
    now.addAndGet(ProgressLine.REDRAW_NANOS / 2);
    line.finished(2, 8); // within the redraw interval: skipped
    line.finished(8, 8); // the last one is always drawn
    line.close();
    String out = bytes.toString(StandardCharsets.UTF_8);
    String first = "kiln: compiling big.wasm: 1/8 functions (12%)";
    String last = "kiln: compiling big.wasm: 8/8 functions (100%)";
    assertEquals("\r" + first + "\r" + last + "\r" + " ".repeat(last.length()) + "\r", out);
    assertFalse(out.contains("\n"), "never a new line");
  }

  /** The line goes to the terminal past Main's writer: a file's name is escaped here (red team 40 F2). */
  @Test
  void aFileNameWithATerminalSequenceIsDrawnEscaped() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    AtomicLong now = new AtomicLong();
    ProgressLine line = new ProgressLine(err, "x\u001b]0;pwned\u0007.wasm", now::get);
    now.set(2 * ProgressLine.DELAY_NANOS);
    line.finished(1, 2);
    assertEquals("\rkiln: compiling x\\x1b]0;pwned\\x07.wasm: 1/2 functions (50%)", bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aCompileShorterThanTheDelayDrawsNothing() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    AtomicLong now = new AtomicLong();
    ProgressLine line = new ProgressLine(err, "small.wasm", now::get);
    line.finished(1, 2);
    now.set(ProgressLine.DELAY_NANOS - 1);
    line.finished(2, 2);
    line.close();
    assertEquals("", bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void withoutATerminalOnStderrNothingIsDrawn() {
    // Surefire's forked JVM writes stderr to a pipe, like a redirected kiln compile.
    assertFalse(ProgressLine.stderrIsTerminal());
    assertSame(ProgressListener.NONE, ProgressLine.forStderr("x.wasm"));
  }

  @Test
  void terminalDevicesAreTheOnesIsattyAnswersFor() {
    for (String terminal : List.of("/dev/pts/0", "/dev/pts/17", "/dev/tty", "/dev/tty1", "/dev/ttyS0", "/dev/console")) {
      assertTrue(ProgressLine.isTerminalDevice(terminal), terminal);
    }
    for (String other : List.of("pipe:[123456]", "socket:[42]", "/dev/null", "/tmp/kiln.log", "anon_inode:[eventfd]")) {
      assertFalse(ProgressLine.isTerminalDevice(other), other);
    }
  }

  @Test
  void compileSummaryReportsTimeAndWasmMegabytesPerSecond(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("hello.cwasm");
    ArtifactCommandsTest.Run run = ArtifactCommandsTest.kiln("compile", ArtifactCommandsTest.HELLO.toString(), "-o",
        out.toString(), "-j", "3");
    assertEquals(0, run.exit(), run.err());
    Matcher m = Pattern.compile("; (\\d+\\.\\d\\d) s, (\\d+\\.\\d+) MB/s of wasm on 3 jobs\n$").matcher(run.out());
    assertTrue(m.find(), run.out());
    double seconds = Double.parseDouble(m.group(1));
    double mbPerSecond = Double.parseDouble(m.group(2));
    // The rate is the input's size over the time; both printed values are rounded.
    double mb = Files.size(ArtifactCommandsTest.HELLO) / 1e6;
    assertTrue(mbPerSecond <= mb / Math.max(seconds - 0.005, 1e-9) + 0.0005, run.out());
    assertTrue(mbPerSecond >= mb / (seconds + 0.005) - 0.0005, run.out());
    assertEquals("1.5", CompileCommand.megabytesPerSecond(3_000_000, 2));
    assertEquals("0.250", CompileCommand.megabytesPerSecond(500_000, 2));
    assertEquals("0.0000930", CompileCommand.megabytesPerSecond(93, 1), "plain notation, however small");
    assertEquals("0.00150", CompileCommand.megabytesPerSecond(3_000, 2));
    assertEquals("", run.err(), "no progress line when stderr is not a terminal");
  }
}
