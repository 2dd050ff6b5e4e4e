package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.runtime.tools.ArtifactContents;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln run app.wasm --no-cache --profile perfmap}: a sightglass program compiled in memory and run, its
 * perf map read back against the functions {@code kiln inspect} lists for the same module compiled by
 * {@code kiln compile}: one line per function, in index order, each at the code's start (all at one
 * offset from the index's starts, the run's {@code .text} address), with the index's size and the
 * symbol's name.
 */
class PerfMapRunTest {
  @TempDir Path dir;

  private record MapLine(long start, long size, String name) {
    static MapLine parse(String line) {
      String[] parts = line.split(" ", 3);
      return new MapLine(Long.parseUnsignedLong(parts[0], 16), Long.parseLong(parts[1], 16), parts[2]);
    }
  }

  @Test
  void aSightglassProgramsMapNamesEveryFunctionAtItsAddress() throws Exception {
    Path quicksort = Path.of(System.getProperty("kiln.corpora", "../../shared/corpora"), "sightglass/quicksort");
    assumeTrue(Files.isDirectory(quicksort), "no sightglass corpus");
    Files.copy(quicksort.resolve("default.input"), dir.resolve("default.input"));
    // perf's convention for a JIT's symbols (tools/perf/Documentation/jit-interface.txt in Linux).
    Path map = Path.of("/tmp", "perf-" + ProcessHandle.current().pid() + ".map");
    long before = Files.exists(map) ? Files.size(map) : 0;

    PrintStream savedOut = System.out;
    ByteArrayOutputStream guestOut = new ByteArrayOutputStream();
    ArtifactCommandsTest.Run run;
    try {
      System.setOut(new PrintStream(guestOut, true, StandardCharsets.UTF_8));
      run = ArtifactCommandsTest.kiln("run", quicksort.resolve("benchmark.wasm").toString(),
          "--no-cache", "--profile", "perfmap", "--bench-timer", "--dir", dir + "::.");
    } finally {
      System.setOut(savedOut);
    }
    assertEquals(0, run.exit(), run.err());
    assertEquals(Files.readString(quicksort.resolve("benchmark.stdout.expected")),
        guestOut.toString(StandardCharsets.UTF_8));

    byte[] all = Files.readAllBytes(map);
    List<MapLine> lines = new String(all, (int) before, (int) (all.length - before), StandardCharsets.UTF_8)
        .lines().map(MapLine::parse).toList();

    Path cwasm = dir.resolve("quicksort.cwasm");
    assertEquals(0, ArtifactCommandsTest.kiln("compile", quicksort.resolve("benchmark.wasm").toString(),
        "-o", cwasm.toString()).exit());
    try (Arena arena = Arena.ofConfined()) {
      List<ArtifactContents.Function> functions = ArtifactContents.open(cwasm, arena).functions();
      assertEquals(functions.size(), lines.size(), "one line per function");
      long text = lines.get(0).start() - functions.get(0).start();
      assertTrue(text > 0);
      for (int i = 0; i < functions.size(); i++) {
        ArtifactContents.Function function = functions.get(i);
        MapLine line = lines.get(i);
        assertEquals(text + function.start(), line.start(), function.key());
        assertEquals(function.length(), line.size(), function.key());
        assertEquals(function.name(), line.name(), function.key());
      }
      assertTrue(lines.stream().anyMatch(l -> l.name().equals("_start")), "exports name their functions");
    }
  }

  /**
   * Red team 27 F3: another local user plants something at the name the run will use, and the run
   * must neither hang nor write to it: it ends with one error line naming the path and why. The
   * plant is made by a shell at its own pid's name, which then becomes the run's JVM ({@code exec}
   * keeps the pid), so the name is the one the run uses.
   */
  @ParameterizedTest
  @ValueSource(strings = {"fifo", "nobodys-file"})
  void aPlantedMapIsRefusedInOneLineWithoutHangingOrWriting(String plant) throws Exception {
    String map = "/tmp/perf-$$.map";
    String planting = plant.equals("fifo") ? "mkfifo -m 666 " + map
        : "printf 'theirs\\n' > " + map + " && chmod 666 " + map + " && chown nobody " + map;
    Path plantedAt = dir.resolve("planted");
    Process child = new ProcessBuilder(List.of("sh", "-c",
            "{ " + planting + "; } || { rm -f " + map + "; exit 3; }; echo " + map + " > " + plantedAt
                + " && exec \"$@\"", "sh",
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
            "run", "--no-cache", "--timeout", "10s", "--profile", "perfmap", ArtifactCommandsTest.HELLO.toString(),
            "--invoke", "fac", "5"))
        .redirectErrorStream(true)
        .start();
    try {
      boolean ended = child.waitFor(60, TimeUnit.SECONDS);
      if (!ended) {
        child.destroyForcibly();
      }
      assertTrue(ended, "the run hung on the planted " + plant);
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assumeTrue(Files.exists(plantedAt), "could not plant the " + plant + " here (chown needs root): " + output);
      Path planted = Path.of(Files.readString(plantedAt).strip());
      String reason = plant.equals("fifo") ? "a FIFO, not a regular file"
          : "owned by user " + Files.getAttribute(planted, "unix:uid") + ", not by this user ("
              + Files.getAttribute(Path.of("/proc/self"), "unix:uid") + ")";
      assertEquals("error: cannot open the perf map " + planted + ": " + reason + "\n", output);
      assertEquals(1, child.exitValue());
      if (!plant.equals("fifo")) {
        assertEquals("theirs\n", Files.readString(planted), "nothing appended to the planted file");
      }
    } finally {
      if (Files.exists(plantedAt)) {
        Files.deleteIfExists(Path.of(Files.readString(plantedAt).strip()));
      }
    }
  }
}
