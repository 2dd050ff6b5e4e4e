package dev.kiln.bench;

import dev.kiln.wat.Wat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The modules an instance-per-request cycle instantiates (issue 41), each exporting {@code fac: i64
 * -> i64}: {@code hello} ({@code examples/hello.wasm}: no memory, table or data) and {@code memory}
 * ({@code examples/memory-cycle.wat}: a page of memory with 8 KiB of data, a table with an element
 * segment, a global, and a {@code fac} that writes the memory). The same files are what {@code
 * scripts/cycle-soak} and {@code bench/instantiate-wasmtime.py} cycle, so the peers run one module.
 * Paths are relative to the repository, where {@code bench/run} starts.
 */
public enum CycleModule {
  HELLO("hello", Path.of("examples", "hello.wasm")),
  MEMORY("memory", Path.of("examples", "memory-cycle.wat"));

  private final String label;
  private final Path file;

  CycleModule(String label, Path file) {
    this.label = label;
    this.file = file;
  }

  /** The module called {@code label} on the command line. */
  public static CycleModule named(String label) {
    for (CycleModule module : values()) {
      if (module.label.equals(label)) {
        return module;
      }
    }
    throw new IllegalArgumentException("no cycle module '" + label + "' (hello or memory)");
  }

  public String label() {
    return label;
  }

  /** The module's binary; a text module is read by Kiln's own text reader. */
  public byte[] wasm() {
    try {
      return file.toString().endsWith(".wat")
          ? Wat.toBinary(Files.readString(file), file.getFileName().toString())
          : Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
