package dev.kiln.runtime.sidebyside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/EMBEDDING.md's three tasks run on Kiln, Chicory and wasmtime-java with the same results, and
 * every Java block of the document is the code of these classes, so the document cannot drift from
 * code that compiles and runs.
 */
class SideBySideTest {
  private static final Path HELLO = Path.of("../examples/hello.wasm");
  private static final Path DOC = Path.of("../docs/EMBEDDING.md");
  private static final byte[] GREETER = dev.kiln.wat.Wat.toBinaryWithNames("""
      (module
        (import "env" "print" (func $print (param i32 i32)))
        (memory (export "memory") 1)
        (data (i32.const 16) "hello, host")
        (func (export "greet") (call $print (i32.const 16) (i32.const 11))))
      """, "test.wat");
  private static final byte[] WASI_HELLO = dev.kiln.wat.Wat.toBinaryWithNames("""
      (module
        (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
        (memory (export "memory") 1)
        (data (i32.const 8) "\\10\\00\\00\\00\\0d\\00\\00\\00")
        (data (i32.const 16) "hello, WASI!\\n")
        (func (export "_start") (drop (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 0)))))
      """, "test.wat");

  @TempDir Path scratch;

  @Test
  void callAnExport() {
    assertEquals(42, KilnTasks.callExport(HELLO));
    assertEquals(42, ChicoryTasks.callExport(HELLO));
    assertEquals(42, WasmtimeJavaTasks.callExport(HELLO));
  }

  @Test
  void aHostFunctionReadsTheCallersMemory() {
    assertEquals("hello, host", KilnTasks.hostFunctionWithMemory(GREETER));
    assertEquals("hello, host", ChicoryTasks.hostFunctionWithMemory(GREETER));
    assertEquals("hello, host", WasmtimeJavaTasks.hostFunctionWithMemory(GREETER));
  }

  @Test
  void aWasiProgramsStdoutIsCaptured() throws IOException {
    assertEquals("hello, WASI!\n", KilnTasks.runWasi(WASI_HELLO));
    assertEquals("hello, WASI!\n", ChicoryTasks.runWasi(WASI_HELLO));
    assertEquals("hello, WASI!\n", WasmtimeJavaTasks.runWasi(WASI_HELLO, scratch));
  }

  @Test
  void pooledRequestsRunInTheEnginesPool() {
    assertEquals(0 + 1 + 1 + 1 + 2 + 1 + 3 + 1, KilnTasks.pooledRequests(HELLO, 4));
  }

  /** Each ```java block of the document, its lines stripped of indentation, is a run of lines of one of the task classes. */
  @Test
  void everyJavaBlockOfTheDocumentIsCodeThatRunsHere() throws IOException {
    List<List<String>> sources = new ArrayList<>();
    for (String name : List.of("KilnTasks", "ChicoryTasks", "WasmtimeJavaTasks")) {
      sources.add(stripped(Files.readString(Path.of("src/test/java/dev/kiln/runtime/sidebyside/" + name + ".java"))));
    }
    Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
    int blocks = 0;
    while (block.find()) {
      blocks++;
      List<String> lines = stripped(block.group(1));
      assertTrue(sources.stream().anyMatch(source -> java.util.Collections.indexOfSubList(source, lines) >= 0),
          "docs/EMBEDDING.md block " + blocks + " is not code of the task classes:\n" + block.group(1));
    }
    assertEquals(10, blocks, "three tasks, three runtimes, and Kiln's instance pool");
  }

  private static List<String> stripped(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }
}
